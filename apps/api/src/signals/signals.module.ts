import { Module } from '@nestjs/common';
import { SignalsController } from './signals.controller';

/** Consent, UWV work-and-income signals, and questions on a household. */
@Module({ controllers: [SignalsController] })
export class SignalsModule {}
