import { Module } from '@nestjs/common';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { DistrictAnalysisQueries } from '@eenplan/projections';
import { SQL } from '../common/tokens';
import { AnalysisController } from './analysis.controller';

/** The district analysis: questions and outcomes per district, for policy. */
@Module({
  controllers: [AnalysisController],
  providers: [
    {
      provide: DistrictAnalysisQueries,
      inject: [SQL],
      useFactory: (sql: Sql) => new DistrictAnalysisQueries(sql),
    },
  ],
})
export class AnalysisModule {}
