import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditController } from './audit/audit.controller';
import { CaseloadsController } from './caseloads/caseloads.controller';
import { AuthGuard } from './common/auth';
import { IdempotencyInterceptor } from './common/idempotency';
import { ProblemFilter } from './common/problem.filter';
import { Clock } from './common/tokens';
import { AnswerHeadersInterceptor } from './common/write-response';
import { ObjectBodyPipe, validationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { HealthModule } from './health/health.module';
import { PeopleAroundModule } from './people-around.module';
import { HouseholdCommandHandler } from './households/household.handler';
import { HouseholdsController } from './households/households.controller';
import { HouseholdViews } from './households/household-views';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { MeasurementsModule } from './measurements/measurements.module';
import { PrivacyModule } from './privacy/privacy.module';
import { PurposeGuard } from './privacy/purpose.guard';
import { createLogger, Logger } from './observability/logger';
import { ObservabilityModule } from './observability/observability.module';
import { AsyncApiController } from './messaging/asyncapi.controller';
import { RegieModule } from './regie/regie.module';
import { TeamCommandHandler } from './teams/team.handler';
import { TeamsController } from './teams/teams.controller';
import { TimelineController } from './timeline/timeline.controller';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock?: Clock, logger?: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        ObservabilityModule.forRoot(logger ?? createLogger('silent')),
        InfrastructureModule.forRoot({ config, clock }),
        HealthModule,
        PeopleAroundModule,
        MeasurementsModule,
        PrivacyModule,
        RegieModule,
      ],
      controllers: [
        TeamsController,
        HouseholdsController,
        CaseloadsController,
        AuditController,
        TimelineController,
        AsyncApiController,
      ],
      providers: [
        TeamCommandHandler,
        HouseholdCommandHandler,
        HouseholdViews,
        { provide: APP_GUARD, useClass: AuthGuard },
        // After the AuthGuard (it needs the principal): X-Purpose and X-On-Behalf-Of.
        { provide: APP_GUARD, useClass: PurposeGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useClass: ObjectBodyPipe },
        { provide: APP_PIPE, useValue: validationPipe },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        // Inside the IdempotencyInterceptor: it stores the headers and the plain body this one makes.
        { provide: APP_INTERCEPTOR, useClass: AnswerHeadersInterceptor },
      ],
    };
  }
}
