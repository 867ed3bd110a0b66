import { Module } from '@nestjs/common';
import { ResidentsController } from './residents.controller';

/** The household's own way in (issue 20); the household commands go to HouseholdsModule's handler. */
@Module({ controllers: [ResidentsController] })
export class ResidentsModule {}
