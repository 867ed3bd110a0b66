import { Module } from '@nestjs/common';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { VolunteerAssignmentsQueries } from '@eenplan/projections';
import { SQL } from '../common/tokens';
import { VolunteerCommandHandler } from './volunteer.handler';
import { VolunteersController } from './volunteers.controller';

/** Volunteers: registration, VOG, deactivation; the hours assigned to them (also for people-around). */
@Module({
  controllers: [VolunteersController],
  providers: [
    VolunteerCommandHandler,
    {
      provide: VolunteerAssignmentsQueries,
      inject: [SQL],
      useFactory: (sql: Sql) => new VolunteerAssignmentsQueries(sql),
    },
  ],
  exports: [VolunteerAssignmentsQueries],
})
export class VolunteersModule {}
