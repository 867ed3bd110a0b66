import { Module } from '@nestjs/common';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { DistrictAnalysisQueries, OutcomesQueries } from '@eenplan/projections';
import { SQL } from '../common/tokens';
import { AnalysisController } from './analysis.controller';
import { OutcomesController } from './outcomes.controller';

/** The district analysis: questions, ZRM progress and the outcomes of plans per district, for policy. */
@Module({
  controllers: [AnalysisController, OutcomesController],
  providers: [
    {
      provide: DistrictAnalysisQueries,
      inject: [SQL],
      useFactory: (sql: Sql) => new DistrictAnalysisQueries(sql),
    },
    { provide: OutcomesQueries, inject: [SQL], useFactory: (sql: Sql) => new OutcomesQueries(sql) },
  ],
})
export class AnalysisModule {}
