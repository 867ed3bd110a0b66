import { accessEntryForResident, isWorkerEntry } from './access-entry-for-resident';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateBy } from 'class-validator';
import { DomainError, erasureGroundProblem, householdStream, HouseholdState } from '@eenplan/domain';
import {
  ACCESS_LOG_PAGE,
  AccessLog,
  anchorForVerification,
  InvalidCursorError,
  sealOf,
  type AccessQuery,
  type Principal,
  type SealedEventStore,
} from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { badRequest, notFoundProblem } from '../common/problem';
import { WorkerNames } from '../common/worker-names';
import { HouseholdAccess } from '../common/household-access';
import { SEALED_EVENT_STORE } from '../common/tokens';
import { ID_MESSAGE, ID_PATTERN, ParseIdPipe } from '../common/validation';
import { answer } from '../common/write-response';
import { Write, WriteContext } from '../common/write-context';
import { ExecuteHouseholdCommand } from '../households/household.handler';
import { parseInstant } from '../regie/regie.controller';
import { ErasureService, type ErasureStatus, type MemberErasureStatus } from './erasure.service';
import { AccessLogPageDto, AuditTrailPageDto, HouseholdAccessLogPageDto } from './privacy.pages.dto';
import { ApiPaged, keysetPage, keysetQuery } from '../common/paging';

/** A page of a household's audit trail: events without their personal parts, a few hundred bytes each. */
export const TRAIL_PAGE = { fallback: 100, max: 500 } as const;
import type { Written } from '../common/aggregate-executor';
import type { HouseholdEvent } from '@eenplan/domain';
import { HouseholdErasedDto, MemberErasedDto } from './privacy-answer.dto';

export class ErasureDto {
  @ApiProperty({
    example: 'AVG art. 17, verzoek 2026-118',
    description:
      'the ground for the erasure, kept for good: a reference (a request number, a legal article), never a name. 3-120 letters, digits, spaces and . , - / : ( ) §; at least one digit; no word after the first written as a name',
  })
  @IsString()
  @ValidateBy({
    name: 'erasureGround',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && erasureGroundProblem(value) === null,
      defaultMessage: (args) =>
        typeof args?.value === 'string' ? (erasureGroundProblem(args.value) ?? '') : 'must be a string',
    },
  })
  reason!: string;
}

export class MemberErasureDto {
  @ApiProperty({
    example: 'AVG art. 17, verzoek 2026-119',
    description:
      "the ground for the member's erasure, kept for good: a reference (a request number, a legal article), never a name. 3-120 letters, digits, spaces and . , - / : ( ) §; at least one digit; no word after the first written as a name",
  })
  @IsString()
  @ValidateBy({
    name: 'erasureGround',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && erasureGroundProblem(value) === null,
      defaultMessage: (args) =>
        typeof args?.value === 'string' ? (erasureGroundProblem(args.value) ?? '') : 'must be a string',
    },
  })
  ground!: string;
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

export class ErasureStatusDto {
  @ApiProperty()
  householdId!: string;
  @ApiProperty({
    enum: ['complete', 'pending', 'not-erased'],
    description:
      "complete: the household's key is destroyed; pending: HouseholdDataErased is recorded, the key not yet destroyed (it goes on in the background; after a restart the erasure sweep finishes it); not-erased",
  })
  status!: string;
  @ApiProperty({ nullable: true, type: String })
  erasedAt!: string | null;
  @ApiProperty({ nullable: true, type: String })
  ground!: string | null;
  @ApiProperty({ nullable: true, type: String })
  keyDestroyedAt!: string | null;
}

export class MemberErasureStatusDto {
  @ApiProperty()
  householdId!: string;
  @ApiProperty()
  memberId!: string;
  @ApiProperty({
    enum: ['complete', 'pending', 'not-erased'],
    description:
      "complete: the member's own key is destroyed; pending: MemberDataErased is recorded, the key not yet destroyed (it goes on in the background, or a repeated POST finishes it); not-erased",
  })
  status!: string;
  @ApiProperty({ nullable: true, type: String })
  erasedAt!: string | null;
  @ApiProperty({ nullable: true, type: String })
  ground!: string | null;
  @ApiProperty({ nullable: true, type: String })
  keyDestroyedAt!: string | null;
  @ApiProperty({
    description:
      "true while events written before person parts (a registration's memberNames) still hold this member's name under the household's key, which the member's own erasure does not reach: erase the household to erase it",
  })
  nameUnderHouseholdKey!: boolean;
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
    private readonly accessLog: AccessLog,
    private readonly households: HouseholdAccess,
    private readonly erasures: ErasureService,
    private readonly workerNames: WorkerNames,
  ) {}

  @ApiOperation({
    operationId: 'eraseHousehold',
    summary: "Erase a household's personal data (crypto-shredding its key)",
  })
  @Post('households/:id/erasure')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({
    type: HouseholdErasedDto,
    description:
      "records HouseholdDataErased, then destroys the household's key in the key store: names and free text become unreadable, the history stays. 200 with status complete once the key is destroyed",
  })
  @ApiAcceptedResponse({
    type: HouseholdErasedDto,
    description:
      'the event is recorded but the key store did not destroy the key within 5 s: status pending, it goes on in the background (GET the erasure to see it complete)',
  })
  async erase(@Param('id', ParseIdPipe) id: string, @Body() dto: ErasureDto, @Write() ctx: WriteContext) {
    let written: Written<HouseholdState, HouseholdEvent>;
    try {
      written = await this.commands.execute(
        new ExecuteHouseholdCommand({ type: 'EraseHouseholdData', householdId: id, ground: dto.reason }, ctx),
      );
    } catch (error) {
      // Erased before, but the process may have stopped between the event and the key: finish it.
      if (error instanceof DomainError && error.code === 'HouseholdErased')
        await this.erasures.destroyKey(id);
      throw error;
    }
    const status = await this.erasures.destroyKey(id);
    return answer(written, { householdId: id, erased: true, status }, status === 'pending' ? 202 : undefined);
  }

  @ApiOperation({
    operationId: 'getErasureStatus',
    summary: "Whether the household's personal data is erased, pending or kept",
  })
  @Get('households/:id/erasure')
  @Roles('admin', 'auditor')
  @ApiOkResponse({
    type: ErasureStatusDto,
    description: "whether the household's erasure is complete (its key destroyed), pending, or not done",
  })
  erasureStatus(@Param('id', ParseIdPipe) id: string): Promise<ErasureStatus> {
    return this.erasures.status(id);
  }

  @ApiOperation({
    operationId: 'eraseMember',
    summary: "Erase one member's personal data (a member who left; crypto-shredding their own key)",
  })
  @Post('households/:id/members/:memberId/erasure')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({
    type: MemberErasedDto,
    description:
      "records MemberDataErased, then destroys the member's own key in the key store: their part of the household's events (their name, from this release on) becomes unreadable, the household goes on. 200 with status complete once the key is destroyed",
  })
  @ApiAcceptedResponse({
    type: MemberErasedDto,
    description:
      'the event is recorded but the key store did not destroy the key within 5 s: status pending, it goes on in the background (GET the erasure to see it complete)',
  })
  async eraseMember(
    @Param('id', ParseIdPipe) id: string,
    @Param('memberId', ParseIdPipe) memberId: string,
    @Body() dto: MemberErasureDto,
    @Write() ctx: WriteContext,
  ) {
    let written: Written<HouseholdState, HouseholdEvent>;
    try {
      written = await this.commands.execute(
        new ExecuteHouseholdCommand(
          { type: 'EraseMemberData', householdId: id, memberId, ground: dto.ground },
          ctx,
        ),
      );
    } catch (error) {
      // Erased before, but the process may have stopped between the event and the key: finish it.
      if (error instanceof DomainError && error.code === 'MemberDataAlreadyErased')
        await this.erasures.destroyMemberKey(id, memberId);
      throw error;
    }
    const status = await this.erasures.destroyMemberKey(id, memberId);
    return answer(
      written,
      { householdId: id, memberId, erased: true, status },
      status === 'pending' ? 202 : undefined,
    );
  }

  @ApiOperation({
    operationId: 'getMemberErasureStatus',
    summary: "Whether one member's personal data is erased, pending or kept",
  })
  @Get('households/:id/members/:memberId/erasure')
  @Roles('admin', 'auditor')
  @ApiOkResponse({
    type: MemberErasureStatusDto,
    description: "whether the member's erasure is complete (their key destroyed), pending, or not done",
  })
  memberErasureStatus(
    @Param('id', ParseIdPipe) id: string,
    @Param('memberId', ParseIdPipe) memberId: string,
  ): Promise<MemberErasureStatus> {
    return this.erasures.memberStatus(id, memberId);
  }

  @ApiOperation({
    operationId: 'listHouseholdAuditEvents',
    summary: "The household's events as an audit trail, with their chain",
  })
  @Get('audit/households/:id/events')
  @Roles('auditor')
  @ApiPaged(TRAIL_PAGE.fallback, TRAIL_PAGE.max)
  @ApiOkResponse({
    type: AuditTrailPageDto,
    description:
      "the household's events in order: version, type, actor, time, data and the seal (hash and predecessor); personal parts are not shown, only `personal`: none, sealed, erased (the key destroyed) or key-missing (the key store lost the key: no erasure); paged by version, so a new event comes last",
  })
  async trail(
    @Param('id', ParseIdPipe) id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<AuditTrailPageDto> {
    const { limit, after } = keysetQuery(
      query,
      TRAIL_PAGE.fallback,
      TRAIL_PAGE.max,
      ['int'],
      `audit-trail:${id}`,
    );
    const afterVersion = (after?.[0] as number | undefined) ?? 0;
    // The stream from the cursor on: what comes after this page is never decrypted, only counted.
    const stored = await this.sealed.readSealed(householdStream(id), afterVersion + 1);
    if (stored.length === 0 && (await this.sealed.streamVersion(householdStream(id))) === 0)
      throw notFoundProblem('HouseholdNotFound', `household ${id} is not registered`);
    // What became of the personal parts is the key's state, one for the stream: nothing is
    // decrypted for the trail, and a key the store lost shows as such, not as an erasure.
    const key = await this.sealed.keys.state(householdStream(id));
    const personal = key === 'erased' ? 'erased' : key === 'none' ? 'key-missing' : 'sealed';
    const page = keysetPage(stored, limit, (event) => [event.streamVersion], `audit-trail:${id}`);
    return {
      householdId: id,
      events: page.items.map((event) => ({
        version: event.streamVersion,
        eventId: event.eventId,
        type: event.type,
        recordedAt: event.metadata.recordedAt,
        actor: event.metadata.actor,
        correlationId: event.metadata.correlationId,
        data: event.data,
        personal: event.personal == null ? 'none' : personal,
        seal: sealOf(event) ?? null,
      })),
      next: page.next,
    };
  }

  @ApiOperation({
    operationId: 'verifyAuditChains',
    summary: 'Verify the hash chains of the events and the access log against their anchors',
  })
  @Get('audit/verify')
  @Roles('auditor')
  @ApiQuery({ name: 'householdId', required: false })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['ok'],
      properties: {
        ok: { type: 'boolean', description: 'every chain checked holds, and the anchor is intact' },
        accessLog: { type: 'object', additionalProperties: true, description: "the access log's chain" },
        anchorInvalid: { type: 'string', description: 'why the anchor itself was found changed' },
      },
      additionalProperties: true,
    },
    description:
      "checks every stream's hash chain (or one household's) and names the first broken link per stream; " +
      "without householdId also the access log's chain (`accessLog`), and `ok` is false when either fails. " +
      'Both are checked against the last anchor of their heads in the key store: `anchor` says when it was written, ' +
      'how many events it counted up to its position and how many are found now; rows and events cut below it are ' +
      "named 'cut-below-anchor'; `anchorInvalid` when the anchor itself was changed",
  })
  async verify(@Query('householdId') householdId?: unknown) {
    const id = optionalId(householdId, 'householdId');
    const { anchor, invalid } = await anchorForVerification(this.sealed.keys);
    const eventsAnchor = anchor?.events ? { ...anchor.events, at: anchor.at } : null;
    const anchorInvalid = invalid ? { anchorInvalid: invalid } : {};
    if (id) {
      const events = await this.sealed.verify({ streamIds: [householdStream(id)], anchor: eventsAnchor });
      return { ...events, ok: events.ok && !invalid, ...anchorInvalid };
    }
    const [events, accessLog] = await Promise.all([
      this.sealed.verify({ anchor: eventsAnchor }),
      this.accessLog.verify({ anchor: anchor?.accessLog ? { ...anchor.accessLog, at: anchor.at } : null }),
    ]);
    return { ...events, ok: events.ok && accessLog.ok && !invalid, accessLog, ...anchorInvalid };
  }

  @ApiOperation({
    operationId: 'listAccessLog',
    summary: 'A page of the access log: who read or wrote what, when and why',
  })
  @Get('audit/access-log')
  @Roles('auditor')
  @ApiOkResponse({
    type: AccessLogPageDto,
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

  @ApiOperation({
    operationId: 'listHouseholdAccessLog',
    summary: "A page of the access log's entries on one household",
  })
  @Get('households/:id/access-log')
  @Roles('worker', 'auditor', 'admin', 'resident')
  @ApiOkResponse({
    type: HouseholdAccessLogPageDto,
    description:
      '"who viewed my file": every access to this household, newest first, one page, for its team, auditors and its residents (who also see workers by name and everyone else by a Dutch role label)',
  })
  async viewers(
    @Param('id', ParseIdPipe) id: string,
    @Query() query: AccessLogPageQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.households.view(id, principal, {
      auditor: true,
      admin: true,
      resident: true,
      whileRestricted: true,
    });
    const { entries, next } = await this.page({ householdId: id, limit: query.limit, cursor: query.cursor });
    const shown = entries.map(
      ({ at, actorId, actorVerified, actorRoles, onBehalfOf, action, outcome, purpose, count, lastAt }) => ({
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
    );
    if (!principal.roles.includes('resident')) return { entries: shown, next };
    // A resident reads who viewed their file by name: workers by their name (WorkerNames), anyone
    // else by a Dutch label of their role, never by their id (access-entry-for-resident.ts).
    const seen = shown.map((e) => ({ ...e, ...accessEntryForResident(e, principal.sub) }));
    const workerIds = shown
      .filter((e) => e.actorVerified && isWorkerEntry(e.actorRoles))
      .map((e) => e.actorId);
    const names = await this.workerNames.names(workerIds);
    return {
      entries: seen.map((e) => ({
        ...e,
        actorName:
          e.actorVerified && isWorkerEntry(e.actorRoles) && e.actorId !== null
            ? (names.get(e.actorId) ?? null)
            : null,
      })),
      next,
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
