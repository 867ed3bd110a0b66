import { Module } from '@nestjs/common';
import { PrivacyModule } from '../privacy/privacy.module';
import { PersonsController } from './persons.controller';

/** One person's rights in a household (AVG art. 15 access); HouseholdAccess is global infrastructure. */
@Module({
  imports: [PrivacyModule],
  controllers: [PersonsController],
})
export class PersonsModule {}
