import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';

/** The audit views: regie handoffs, as JSON or CSV. */
@Module({ controllers: [AuditController] })
export class AuditModule {}
