import { Module } from '@nestjs/common';
import { AssessmentsController } from './assessments.controller';

/** ZRM assessments of a household and the progress between them. */
@Module({ controllers: [AssessmentsController] })
export class AssessmentsModule {}
