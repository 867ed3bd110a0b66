import { Module } from '@nestjs/common';
import { TimelineController } from './timeline.controller';

/** The timeline page and the events it shows. */
@Module({ controllers: [TimelineController] })
export class TimelineModule {}
