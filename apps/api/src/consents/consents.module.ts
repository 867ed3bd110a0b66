import { Module } from '@nestjs/common';
import { ConsentsController } from './consents.controller';

/** The consent register of a household's members (issue 18). */
@Module({ controllers: [ConsentsController] })
export class ConsentsModule {}
