import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { PurposeGuard } from '../privacy/purpose.guard';
import { AuthGuard } from './auth';
import { IdempotencyInterceptor } from './idempotency';
import { QueryParametersGuard } from './query-parameters';
import { ProblemFilter } from './problem.filter';
import { ObjectBodyPipe, validationPipe } from './validation';
import { AnswerHeadersInterceptor } from './write-response';

/** What every route goes through: authentication, purpose, validation, idempotency, answers, problems. */
@Module({
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    // After the AuthGuard (it needs the principal): X-Purpose and X-On-Behalf-Of.
    { provide: APP_GUARD, useClass: PurposeGuard },
    // After the AuthGuard: only a caller who may use the API learns which parameters a route takes.
    { provide: APP_GUARD, useClass: QueryParametersGuard },
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_PIPE, useClass: ObjectBodyPipe },
    { provide: APP_PIPE, useValue: validationPipe },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
    // Inside the IdempotencyInterceptor: it stores the headers and the plain body this one makes.
    { provide: APP_INTERCEPTOR, useClass: AnswerHeadersInterceptor },
  ],
})
export class CoreModule {}
