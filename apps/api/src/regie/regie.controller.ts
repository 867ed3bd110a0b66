import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { RegieHistoryQueries } from '@eenplan/projections';
import type { Principal } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { badRequest, notFoundProblem } from '../common/problem';
import { HouseholdAccess } from '../common/household-access';
import { ParseIdPipe } from '../common/validation';
import { APP_CONFIG, CLOCK, Clock } from '../common/tokens';
import { AppConfig, confirmDeadline } from '@eenplan/runtime';
import { ReadModelSync } from '../common/read-models';
import { answer } from '../common/write-response';
import { Write, WriteContext, newId } from '../common/write-context';
import { ExecuteHouseholdCommand, HouseholdIntent } from '../households/household.handler';
import { ReasonDto } from '../households/households.dto';
import { RequestTransferDto, ReturnToHouseholdDto } from './regie.dto';
import { RegieHolderDto, TransferDecidedDto, TransferRequestedDto } from '../households/household-answer.dto';
import { RegieHistoryPageDto } from './regie.pages.dto';
import { ApiPaged, keysetPage, keysetQuery } from '../common/paging';
import { RegieReturnedDto } from './regie-answer.dto';

/** A page of regie history: each interval is small (one reason of at most 2,000 characters). */
export const HISTORY_PAGE = { fallback: 50, max: 200 } as const;

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO-8601 date or instant; an impossible calendar date (2026-02-30) is refused, never rolled over. */
export const parseInstant = (raw: string | undefined, field: string): string | undefined => {
  if (raw === undefined || raw === '') return undefined;
  const m = INSTANT.exec(raw);
  const [y, mo, d, h = '0', mi = '0', sec = '0'] = (m ?? []).slice(1).map((x) => x ?? undefined);
  const daysInMonth = m ? new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate() : 0;
  const valid =
    m !== null &&
    Number(mo) >= 1 &&
    Number(mo) <= 12 &&
    Number(d) >= 1 &&
    Number(d) <= daysInMonth &&
    Number(h) <= 23 &&
    Number(mi) <= 59 &&
    Number(sec) <= 59;
  const ms = valid ? Date.parse(m![4] !== undefined && m![7] === undefined ? `${raw}Z` : raw) : NaN;
  if (Number.isNaN(ms)) {
    throw badRequest(
      'InvalidInstant',
      `${field} must be an ISO-8601 date or instant, e.g. 2026-11-23T10:00:00Z`,
      [{ field, reason: 'must be an ISO-8601 date or instant' }],
    );
  }
  return new Date(ms).toISOString();
};

@ApiTags('regie')
@ApiBearerAuth()
@Controller('v1')
export class RegieController {
  constructor(
    private readonly commands: CommandBus,
    private readonly history: RegieHistoryQueries,
    private readonly households: HouseholdAccess,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly readModels: ReadModelSync,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private run(intent: HouseholdIntent, ctx: WriteContext) {
    return this.commands.execute(new ExecuteHouseholdCommand(intent, ctx));
  }

  @ApiOperation({
    operationId: 'requestRegieTransfer',
    summary:
      "Request a transfer of regie to a worker (or to yourself, the reverse request) or to an organisation's professional",
  })
  @Post('households/:id/regie/transfers')
  @Roles('worker', 'professional')
  @ApiCreatedResponse({ type: TransferRequestedDto })
  async request(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: RequestTransferDto,
    @Write() ctx: WriteContext,
  ) {
    if (dto.to.kind === 'worker' && dto.to.organisationId !== undefined)
      throw badRequest('ValidationFailed', 'to.organisationId: only a professional names an organisation', [
        {
          field: 'to.organisationId',
          reason: "is only for a professional: a worker's team comes from the registry",
        },
      ]);
    const transferId = dto.transferId ?? newId(ctx, 'transferId');
    const written = await this.run(
      {
        type: 'RequestRegieTransfer',
        householdId: id,
        transferId,
        ...(dto.to.kind === 'professional'
          ? { toProfessional: { id: dto.to.id, organisationId: dto.to.organisationId! } }
          : { toWorkerId: dto.to.id }),
        reason: dto.reason,
        handoverNotes: dto.handoverNotes,
        agreedBy: dto.agreedBy,
      },
      ctx,
    );
    return answer(written, {
      householdId: id,
      transferId,
      variant: written.state.pendingTransfer?.variant,
      status: 'pending',
    });
  }

  @ApiOperation({
    operationId: 'acceptRegieTransfer',
    summary: 'Accept a pending regie transfer: the receiver now holds regie',
  })
  @Post('households/:id/regie/transfers/:transferId/accept')
  @HttpCode(200)
  @Roles('worker', 'professional')
  @ApiOkResponse({ type: TransferDecidedDto })
  async accept(
    @Param('id', ParseIdPipe) id: string,
    @Param('transferId', ParseIdPipe) transferId: string,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run({ type: 'AcceptRegieTransfer', householdId: id, transferId }, ctx);
    return answer(written, {
      householdId: id,
      transferId,
      status: 'accepted',
      holder: written.state.regie,
    });
  }

  @ApiOperation({
    operationId: 'declineRegieTransfer',
    summary: 'Decline a pending regie transfer, with a reason',
  })
  @Post('households/:id/regie/transfers/:transferId/decline')
  @HttpCode(200)
  @Roles('worker', 'professional')
  @ApiOkResponse({ type: TransferDecidedDto })
  async decline(
    @Param('id', ParseIdPipe) id: string,
    @Param('transferId', ParseIdPipe) transferId: string,
    @Body() dto: ReasonDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'DeclineRegieTransfer', householdId: id, transferId, reason: dto.reason },
      ctx,
    );
    return answer(written, { householdId: id, transferId, status: 'declined' });
  }

  @ApiOperation({
    operationId: 'cancelRegieTransfer',
    summary: 'Cancel a pending regie transfer, with a reason',
  })
  @Post('households/:id/regie/transfers/:transferId/cancel')
  @HttpCode(200)
  @Roles('worker', 'professional')
  @ApiOkResponse({ type: TransferDecidedDto })
  async cancel(
    @Param('id', ParseIdPipe) id: string,
    @Param('transferId', ParseIdPipe) transferId: string,
    @Body() dto: ReasonDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'CancelRegieTransfer', householdId: id, transferId, reason: dto.reason },
      ctx,
    );
    return answer(written, { householdId: id, transferId, status: 'cancelled' });
  }

  @ApiOperation({
    operationId: 'returnRegieToHousehold',
    summary: 'Return regie to the household itself, agreed by a member',
  })
  @Post('households/:id/regie/return-to-household')
  @HttpCode(200)
  @Roles('worker', 'professional')
  @ApiOkResponse({ type: RegieReturnedDto })
  async returnToHousehold(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: ReturnToHouseholdDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'ReturnRegieToHousehold', householdId: id, agreedBy: dto.agreedBy },
      ctx,
    );
    return answer(written, { householdId: id, holder: { kind: 'household', id } });
  }

  @ApiOperation({
    operationId: 'getRegieHistory',
    summary: 'Who held regie over the household, from when to when, and why it changed',
  })
  @Get('households/:id/regie/history')
  @Roles('worker', 'professional', 'auditor')
  @ApiPaged(HISTORY_PAGE.fallback, HISTORY_PAGE.max)
  @ApiOkResponse({
    type: RegieHistoryPageDto,
    description:
      'regie intervals [from, to) with holder, cause, who requested, accepted, approved (a team lead confirming a ' +
      'safety takeover, only once they did) or rejected, and the reasons (read from the events: none after an erasure); ' +
      'paged, the oldest first: a new handoff comes last',
  })
  async getHistory(
    @Param('id', ParseIdPipe) id: string,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RegieHistoryPageDto> {
    const { limit, after } = keysetQuery(
      query,
      HISTORY_PAGE.fallback,
      HISTORY_PAGE.max,
      ['int'],
      `regie-history:${id}`,
    );
    await this.requireTeamOrAuditor(id, principal);
    await this.readModels.caughtUp();
    const overdueBefore = confirmDeadline(this.clock.now(), this.config.safetyConfirmHours);
    const rows = await this.history.history(
      id,
      { overdueBefore },
      { limit: limit + 1, afterSeq: after?.[0] as number | undefined },
    );
    const page = keysetPage(rows, limit, (r) => [r.seq], `regie-history:${id}`);
    return {
      householdId: id,
      intervals: page.items.map(({ householdId: _h, seq: _s, ...interval }) => interval),
      next: page.next,
    };
  }

  @ApiOperation({
    operationId: 'getRegieHolder',
    summary: 'Who held regie over a household at an instant (default now)',
  })
  @Get('regie/holder')
  @Roles('worker', 'professional', 'auditor')
  @ApiQuery({ name: 'householdId', required: true })
  @ApiQuery({ name: 'at', required: false, description: 'ISO-8601 instant; default now' })
  @ApiOkResponse({ type: RegieHolderDto })
  @ApiNotFoundResponse({
    description: 'HouseholdNotFound, or NoRegieHolder: the household was not registered at that instant',
  })
  async holder(
    @Query('householdId') householdId: string | undefined,
    @Query('at') at: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    if (typeof householdId !== 'string')
      throw badRequest('ValidationFailed', 'householdId is required', [
        { field: 'householdId', reason: 'is required' },
      ]);
    const id = new ParseIdPipe().transform(householdId, { type: 'query', data: 'householdId' });
    const instant =
      parseInstant(typeof at === 'string' ? at : undefined, 'at') ?? this.clock.now().toISOString();
    await this.requireTeamOrAuditor(id, principal);
    await this.readModels.caughtUp();
    const interval = await this.history.holderAt(id, instant);
    if (!interval) throw notFoundProblem('NoRegieHolder', `household ${id} was not registered at ${instant}`);
    return {
      householdId: id,
      at: instant,
      holder: interval.holder,
      since: interval.from,
      cause: interval.cause,
    };
  }

  /** Team of the household, its regie holder or an auditor; facts from the stream, so a new household is never "unknown". */
  private async requireTeamOrAuditor(householdId: string, principal: Principal) {
    await this.households.view(householdId, principal, { auditor: true });
  }
}
