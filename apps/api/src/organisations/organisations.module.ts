import { Module } from '@nestjs/common';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { SocialMapQueries } from '@eenplan/projections';
import { SQL } from '../common/tokens';
import { OrganisationCommandHandler } from './organisation.handler';
import { OrganisationsController } from './organisations.controller';

/** The social map: organisations, their expertise and waiting times. */
@Module({
  controllers: [OrganisationsController],
  providers: [
    OrganisationCommandHandler,
    { provide: SocialMapQueries, inject: [SQL], useFactory: (sql: Sql) => new SocialMapQueries(sql) },
  ],
})
export class OrganisationsModule {}
