import { Module } from '@nestjs/common';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { MeldcodeTracksQueries } from '@eenplan/projections';
import { SQL } from '../common/tokens';
import { MeldcodeController } from './meldcode.controller';

/** The meldcode's tracks, the team's open ones, and the safety plan (docs/MELDCODE.md). */
@Module({
  controllers: [MeldcodeController],
  providers: [
    {
      provide: MeldcodeTracksQueries,
      inject: [SQL],
      useFactory: (sql: Sql) => new MeldcodeTracksQueries(sql),
    },
  ],
})
export class MeldcodeModule {}
