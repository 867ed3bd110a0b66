import { Module } from '@nestjs/common';
import { MijnPlanController } from './mijn-plan.controller';

/** The residents' page "Mijn plan" (its static files; the data comes from the guarded API). */
@Module({ controllers: [MijnPlanController] })
export class MijnPlanModule {}
