import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';
import { DomainError, householdStream, HouseholdState } from '@eenplan/domain';
import { AccessLog, isErased, sealOf, type Principal, type SealedEventStore } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { notFoundProblem } from '../common/problem';
import { HouseholdAccess } from '../common/household-access';
import { EVENT_STORE, SEALED_EVENT_STORE } from '../common/tokens';
import { ParseIdPipe } from '../common/validation';
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
    await this.households.read(id, principal, { auditor: true, admin: true });
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
