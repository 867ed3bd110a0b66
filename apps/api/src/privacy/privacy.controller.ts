import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiProperty,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, ValidateBy } from 'class-validator';
import type { Response } from 'express';
import { DomainError, erasureGroundProblem, householdStream, HouseholdState } from '@eenplan/domain';
import { AccessLog, isErased, sealOf, type Principal, type SealedEventStore } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { forbiddenProblem, notFoundProblem } from '../common/problem';
import { EVENT_STORE, SEALED_EVENT_STORE } from '../common/tokens';
import { ParseIdPipe } from '../common/validation';
import { answer, WriteResultDto } from '../common/write-response';
import { Write, WriteContext } from '../common/write-context';
import { ExecuteHouseholdCommand } from '../households/household.handler';
import { householdView } from '../households/household.view';
import { parseInstant } from '../regie/regie.controller';
import { ErasureService, type ErasureStatus } from './erasure.service';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { Written } from '../common/aggregate-executor';
import type { HouseholdEvent } from '@eenplan/domain';

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

export class ErasureStatusDto {
  @ApiProperty()
  householdId!: string;
  @ApiProperty({
    enum: ['complete', 'pending', 'not-erased'],
    description:
      "complete: the household's key is destroyed; pending: HouseholdDataErased is recorded, the key not yet destroyed (it goes on in the background; a repeated POST finishes it after a restart); not-erased",
  })
  status!: string;
  @ApiProperty({ nullable: true, type: String })
  erasedAt!: string | null;
  @ApiProperty({ nullable: true, type: String })
  ground!: string | null;
  @ApiProperty({ nullable: true, type: String })
  keyDestroyedAt!: string | null;
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
    private readonly erasures: ErasureService,
  ) {}

  @Post('households/:id/erasure')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({
    type: WriteResultDto,
    description:
      "records HouseholdDataErased, then destroys the household's key in the key store: names and free text become unreadable, the history stays. 200 with status complete once the key is destroyed",
  })
  @ApiAcceptedResponse({
    type: WriteResultDto,
    description:
      'the event is recorded but the key store did not destroy the key within 5 s: status pending, it goes on in the background (GET the erasure to see it complete)',
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
        await this.erasures.destroyKey(id);
      throw error;
    }
    const status = await this.erasures.destroyKey(id);
    if (status === 'pending') res.status(202);
    return answer(res, written, { householdId: id, erased: true, status });
  }

  @Get('households/:id/erasure')
  @Roles('admin', 'auditor')
  @ApiOkResponse({
    type: ErasureStatusDto,
    description: "whether the household's erasure is complete (its key destroyed), pending, or not done",
  })
  erasureStatus(@Param('id', ParseIdPipe) id: string): Promise<ErasureStatus> {
    return this.erasures.status(id);
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
      "checks every stream's hash chain (or one household's) and names the first broken link per stream",
  })
  verify(@Query('householdId') householdId?: unknown) {
    const id = optionalId(householdId, 'householdId');
    return this.sealed.verify(id ? { streamIds: [householdStream(id)] } : {});
  }

  @Get('audit/access-log')
  @Roles('auditor')
  @ApiQuery({ name: 'householdId', required: false })
  @ApiQuery({ name: 'actorId', required: false })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiOkResponse({
    description:
      'access log entries (NEN 7513): who, on whose behalf, which household, action, when, outcome, purpose',
  })
  accessEntries(@Query() query: Record<string, unknown>) {
    return this.accessLog.find({
      householdId: optionalId(query['householdId'], 'householdId'),
      actorId: optionalId(query['actorId'], 'actorId'),
      from: parseInstant(typeof query['from'] === 'string' ? query['from'] : undefined, 'from'),
      to: parseInstant(typeof query['to'] === 'string' ? query['to'] : undefined, 'to'),
    });
  }

  @Get('households/:id/access-log')
  @Roles('worker', 'auditor', 'admin')
  @ApiOkResponse({
    description: '"who viewed my file": every access to this household, for its team and auditors',
  })
  async viewers(@Param('id', ParseIdPipe) id: string, @CurrentPrincipal() principal: Principal) {
    if (!principal.roles.includes('auditor') && !principal.roles.includes('admin')) {
      const events = await this.store.readStream(householdStream(id));
      if (events.length === 0)
        throw notFoundProblem('HouseholdNotFound', `household ${id} is not registered`);
      const { state } = householdView(events);
      if (!principal.teams.includes(state.teamId))
        throw forbiddenProblem(
          `only team ${state.teamId}, auditors and administrators see who viewed this household`,
        );
    }
    const entries = await this.accessLog.find({ householdId: id });
    return entries.map(({ at, actorId, actorRoles, onBehalfOf, action, outcome, purpose }) => ({
      at,
      actorId,
      actorRoles,
      onBehalfOf,
      action,
      outcome,
      purpose,
    }));
  }
}
