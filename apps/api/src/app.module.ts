import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AnalysisModule } from './analysis/analysis.module';
import { AssessmentsModule } from './assessments/assessments.module';
import { AuditModule } from './audit/audit.module';
import { CaseloadsModule } from './caseloads/caseloads.module';
import { CheckInsModule } from './check-ins/check-ins.module';
import { PlanCycleModule } from './plan-cycle/plan-cycle.module';
import { CoreModule } from './common/core.module';
import { ConsentsModule } from './consents/consents.module';
import { Clock } from './common/tokens';
import { AppConfig } from '@eenplan/runtime';
import { HealthModule } from './health/health.module';
import { HouseholdsModule } from './households/households.module';
import { PeopleAroundModule } from './households/people-around/people-around.module';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { MeldcodeModule } from './meldcode/meldcode.module';
import { MessagingModule } from './messaging/messaging.module';
import { MijnPlanModule } from './mijn-plan/mijn-plan.module';
import { createLogger, Logger } from './observability/logger';
import { ObservabilityModule } from './observability/observability.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { PersonsModule } from './persons/persons.module';
import { PrivacyModule } from './privacy/privacy.module';
import { RegieModule } from './regie/regie.module';
import { ResidentsModule } from './residents/residents.module';
import { RetentionModule } from './retention/retention.module';
import { SignalsModule } from './signals/signals.module';
import { TeamsModule } from './teams/teams.module';
import { TimelineModule } from './timeline/timeline.module';
import { VolunteersModule } from './volunteers/volunteers.module';

/** Modules only: the infrastructure, what every route goes through, then one module per capability. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock?: Clock, logger?: Logger, tokenNow?: () => number): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        ObservabilityModule.forRoot(logger ?? createLogger('silent')),
        InfrastructureModule.forRoot({ config, clock, tokenNow }),
        CoreModule,
        HealthModule,
        VolunteersModule,
        OrganisationsModule,
        PeopleAroundModule,
        ResidentsModule,
        CheckInsModule,
        PlanCycleModule,
        AssessmentsModule,
        SignalsModule,
        ConsentsModule,
        AnalysisModule,
        PrivacyModule,
        PersonsModule,
        RetentionModule,
        RegieModule,
        MeldcodeModule,
        TeamsModule,
        HouseholdsModule,
        CaseloadsModule,
        AuditModule,
        TimelineModule,
        MijnPlanModule,
        MessagingModule,
      ],
    };
  }
}
