import { Module } from '@nestjs/common';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { SocialMapQueries, VolunteerAssignmentsQueries } from '@eenplan/projections';
import { SQL } from './common/tokens';
import { PeopleAroundController } from './households/people-around/people-around.controller';
import { PeopleAroundCommandHandler } from './households/people-around/people-around.handler';
import { OrganisationCommandHandler } from './organisations/organisation.handler';
import { OrganisationsController } from './organisations/organisations.controller';
import { VolunteerCommandHandler } from './volunteers/volunteer.handler';
import { VolunteersController } from './volunteers/volunteers.controller';

/**
 * The people around a household: volunteers, the social map (organisations), and on the household
 * its network, volunteer assignments and referrals. Infrastructure (executor, SQL, read-model sync)
 * comes from the global InfrastructureModule.
 */
@Module({
  controllers: [VolunteersController, OrganisationsController, PeopleAroundController],
  providers: [
    VolunteerCommandHandler,
    OrganisationCommandHandler,
    PeopleAroundCommandHandler,
    {
      provide: VolunteerAssignmentsQueries,
      inject: [SQL],
      useFactory: (sql: Sql) => new VolunteerAssignmentsQueries(sql),
    },
    { provide: SocialMapQueries, inject: [SQL], useFactory: (sql: Sql) => new SocialMapQueries(sql) },
  ],
})
export class PeopleAroundModule {}
