import { ChildProtectionController } from './child-protection.controller';
import { Module } from '@nestjs/common';
import { HouseholdCommandHandler } from './household.handler';
import { HouseholdsController } from './households.controller';
import { MembersController } from './members.controller';
import { CircleController } from './circle/circle.controller';

/**
 * The household and its plan. Its command handler decides every household command, whichever
 * capability's controller sends it over the CommandBus (regie, signals, check-ins, privacy).
 */
@Module({
  controllers: [HouseholdsController, MembersController, CircleController, ChildProtectionController],
  providers: [HouseholdCommandHandler],
})
export class HouseholdsModule {}
