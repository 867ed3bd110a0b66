import { Module } from '@nestjs/common';
import { CaseloadNormController } from './caseload-norm.controller';
import { CaseloadsController } from './caseloads.controller';
import { PlanCycleModule } from '../plan-cycle/plan-cycle.module';

/** Caseloads per worker and the team's caseload norm. */
@Module({ imports: [PlanCycleModule], controllers: [CaseloadsController, CaseloadNormController] })
export class CaseloadsModule {}
