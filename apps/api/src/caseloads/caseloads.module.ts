import { Module } from '@nestjs/common';
import { CaseloadNormController } from './caseload-norm.controller';
import { CaseloadsController } from './caseloads.controller';

/** Caseloads per worker and the team's caseload norm. */
@Module({ controllers: [CaseloadsController, CaseloadNormController] })
export class CaseloadsModule {}
