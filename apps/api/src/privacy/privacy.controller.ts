import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { DomainError, householdStream, HouseholdState } from '@eenplan/domain';
import {
  ACCESS_LOG_PAGE,
  AccessLog,
  InvalidCursorError,
  isErased,
  sealOf,
  type AccessQuery,
  type Principal,
  type SealedEventStore,
} from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { badRequest, notFoundProblem } from '../common/problem';
import { HouseholdAccess } from '../common/household-access';
import { EVENT_STORE, SEALED_EVENT_STORE } from '../common/tokens';
import { ID_MESSAGE, ID_PATTERN, ParseIdPipe } from '../common/validation';
import { answer, WriteResultDto } from '../common/write-response';
import { Write, WriteContext } from '../common/write-context';
import { ExecuteHouseholdCommand } from '../households/household.handler';
import { parseInstant } from '../regie/regie.controller';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { Written } from '../common/aggregate-executor';
import type { HouseholdEvent } from '@eenplan/domain';

export class ErasureDto {
  @ApiProperty({
    example: 'AVG art. 17, verzoek 2026-118',
    description: 'the ground for the erasure: a request reference or legal article, never a name',
  })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

/** A whole number as the query string has it; anything else stays text and fails @IsInt. */
const wholeNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
const absentWhenEmpty = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** A page of the access log: `limit` entries after `cursor` (the `next` of the page before). */
export class AccessLogPageQuery {
  @ApiPropertyOptional({
    description: `entries per page, 1 to ${ACCESS_LOG_PAGE.max}; default ${ACCESS_LOG_PAGE.default}`,
    example: ACCESS_LOG_PAGE.default,
  })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt({ message: `must be a whole number from 1 to ${ACCESS_LOG_PAGE.max}` })
  @Min(1)
  @Max(ACCESS_LOG_PAGE.max)
  limit?: number;

  @ApiPropertyOptional({ description: 'the `next` of the page before; absent for the newest page' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}

export class AuditAccessLogQuery extends AccessLogPageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(absentWhenEmpty)
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  householdId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(absentWhenEmpty)
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  actorId?: string;

  @ApiPropertyOptional({ description: 'from this instant on (inclusive)', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({ description: 'before this instant (exclusive)', example: '2026-02-01T00:00:00Z' })
  @IsOptional()
  @IsString()
  to?: string;
}

const optionalId = (value: unknown, field: string) =>
  typeof value === 'string' && value !== ''
    ? new ParseIdPipe().transform(value, { type: 'query', data: field })
    : undefined;

/**
 * Privacy and audit (issue 6): erasure by crypto-shredding, the audit trail of one household with
 * its seals, verification of every stream's chain, and the access log.
 */
@ApiTags('privacy and audit')
@ApiBearerAuth()
@Controller('v1')
export class PrivacyController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(SEALED_EVENT_STORE) private readonly sealed: SealedEventStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly accessLog: AccessLog,
    private readonly households: HouseholdAccess,
  ) {}

  @Post('households/:id/erasure')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({
    type: WriteResultDto,
    description:
      "records HouseholdDataErased, then destroys the household's key: names and free text become unreadable, the history stays",
  })
  async erase(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: ErasureDto,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    let written: Written<HouseholdState, HouseholdEvent>;
    try {
      written = await this.commands.execute(
        new ExecuteHouseholdCommand({ type: 'EraseHouseholdData', householdId: id, ground: dto.reason }, ctx),
      );
    } catch (error) {
      // Erased before, but the process may have stopped between the event and the key: finish it.
      if (error instanceof DomainError && error.code === 'HouseholdErased')
        await this.sealed.erase(householdStream(id));
      throw error;
    }
    await this.sealed.erase(householdStream(id));
    return answer(res, written, { householdId: id, erased: true });
  }

  @Get('audit/households/:id/events')
  @Roles('auditor')
  @ApiOkResponse({
    description:
      "the household's events in order: version, type, actor, time, data and the seal (hash and predecessor); personal parts are not shown",
  })
  async trail(@Param('id', ParseIdPipe) id: string) {
    const stored = await this.sealed.readSealed(householdStream(id));
    if (stored.length === 0) throw notFoundProblem('HouseholdNotFound', `household ${id} is not registered`);
    const opened = await this.store.readStream(householdStream(id));
    return stored.map((event, i) => ({
      version: event.streamVersion,
      eventId: event.eventId,
      type: event.type,
      recordedAt: event.metadata.recordedAt,
      actor: event.metadata.actor,
      correlationId: event.metadata.correlationId,
      data: event.data,
      personal: event.personal == null ? 'none' : opened[i] && isErased(opened[i]) ? 'erased' : 'sealed',
      seal: sealOf(event) ?? null,
    }));
  }

  @Get('audit/verify')
  @Roles('auditor')
  @ApiQuery({ name: 'householdId', required: false })
  @ApiOkResponse({
    description:
      "checks every stream's hash chain (or one household's) and names the first broken link per stream; " +
      "without householdId also the access log's chain (`accessLog`), and `ok` is false when either fails",
  })
  async verify(@Query('householdId') householdId?: unknown) {
    const id = optionalId(householdId, 'householdId');
    if (id) return this.sealed.verify({ streamIds: [householdStream(id)] });
    const [events, accessLog] = await Promise.all([this.sealed.verify({}), this.accessLog.verify()]);
    return { ...events, ok: events.ok && accessLog.ok, accessLog };
  }

  @Get('audit/access-log')
  @Roles('auditor')
  @ApiOkResponse({
    description:
      'access log entries (NEN 7513), newest first, one page: who (verified or only claimed), on whose behalf, ' +
      'which household, action, when, outcome, purpose, how many requests the row stands for; `next` leads to the page after',
  })
  accessEntries(@Query() query: AuditAccessLogQuery) {
    return this.page({
      householdId: query.householdId,
      actorId: query.actorId,
      from: parseInstant(query.from, 'from'),
      to: parseInstant(query.to, 'to'),
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  @Get('households/:id/access-log')
  @Roles('worker', 'auditor', 'admin')
  @ApiOkResponse({
    description:
      '"who viewed my file": every access to this household, newest first, one page, for its team and auditors',
  })
  async viewers(
    @Param('id', ParseIdPipe) id: string,
    @Query() query: AccessLogPageQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.households.read(id, principal, { auditor: true, admin: true });
    const { entries, next } = await this.page({ householdId: id, limit: query.limit, cursor: query.cursor });
    return {
      entries: entries.map(
        ({
          at,
          actorId,
          actorVerified,
          actorRoles,
          onBehalfOf,
          action,
          outcome,
          purpose,
          count,
          lastAt,
        }) => ({
          at,
          actorId,
          actorVerified,
          actorRoles,
          onBehalfOf,
          action,
          outcome,
          purpose,
          count,
          lastAt,
        }),
      ),
      ...(next ? { next } : {}),
    };
  }

  private async page(query: AccessQuery) {
    try {
      return await this.accessLog.find(query);
    } catch (error) {
      if (error instanceof InvalidCursorError)
        throw badRequest('InvalidCursor', `cursor ${error.message}`, [
          { field: 'cursor', reason: error.message },
        ]);
      throw error;
    }
  }
}
