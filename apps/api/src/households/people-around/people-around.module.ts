import { Module } from '@nestjs/common';
import { VolunteersModule } from '../../volunteers/volunteers.module';
import { PeopleAroundController } from './people-around.controller';
import { PeopleAroundCommandHandler } from './people-around.handler';

/**
 * On the household: its network, volunteer assignments and referrals. Infrastructure (executor,
 * SQL, read-model sync) comes from the global InfrastructureModule.
 */
@Module({
  imports: [VolunteersModule],
  controllers: [PeopleAroundController],
  providers: [PeopleAroundCommandHandler],
})
export class PeopleAroundModule {}
