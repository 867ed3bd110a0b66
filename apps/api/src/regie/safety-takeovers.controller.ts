import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import type { HouseholdEvent, HouseholdState } from '@eenplan/domain';
import { RegieHistoryQueries, TakeoverCursor } from '@eenplan/projections';
import { isTeamLeadOf, type Principal } from '@eenplan/security';
import type { Written } from '../common/aggregate-executor';
import { CurrentPrincipal, Roles } from '../common/auth';
import { keysetPage, keysetQuery } from '../common/paging';
import { forbiddenProblem } from '../common/problem';
import { ReadModelSync } from '../common/read-models';
import { APP_CONFIG, CLOCK, Clock } from '../common/tokens';
import { ParseIdPipe } from '../common/validation';
import { answer } from '../common/write-response';
import { newId, Write, WriteContext } from '../common/write-context';
import { AppConfig, confirmDeadline } from '@eenplan/runtime';
import { ExecuteHouseholdCommand, HouseholdIntent } from '../households/household.handler';
import { ReasonDto } from '../households/households.dto';
import { SafetyTakeoverDto } from './regie.dto';
import { UnconfirmedTakeoversPageDto } from './regie.pages.dto';
import {
  SafetyTakeoverConfirmedDto,
  SafetyTakeoverRejectedDto,
  SafetyTakeoverTakenDto,
} from './regie-answer.dto';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
/** The cursor's list: a cursor of another list is a 400 here. */
const SCOPE = 'unconfirmed-takeovers';

/**
 * Safety takeover as break-glass (invariant 6): the worker takes regie at once; a team lead of the
 * household's team who is not the taker confirms or rejects it with their own token; takeovers
 * left unconfirmed longer than SAFETY_CONFIRM_HOURS are listed for that team's leads and auditors.
 */
@ApiTags('regie')
@ApiBearerAuth()
@Controller('v1')
export class SafetyTakeoversController {
  constructor(
    private readonly commands: CommandBus,
    private readonly history: RegieHistoryQueries,
    private readonly readModels: ReadModelSync,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private run(intent: HouseholdIntent, ctx: WriteContext): Promise<Written<HouseholdState, HouseholdEvent>> {
    return this.commands.execute(new ExecuteHouseholdCommand(intent, ctx));
  }

  @ApiOperation({
    operationId: 'takeOverRegieForSafety',
    summary: 'Take regie at once for the safety of the household (break-glass)',
  })
  @Post('households/:id/regie/safety-takeover')
  @HttpCode(200)
  @Roles('worker')
  @ApiOkResponse({
    type: SafetyTakeoverTakenDto,
    description:
      'break-glass: regie passes to the caller at once (a pending transfer is cancelled); the answer names the ' +
      'takeoverId a team lead of the household’s team then confirms or rejects. No approver in the body (400).',
  })
  @ApiBadRequestResponse({
    description: 'an approvedBy in the body: the approval is the team lead’s own act',
  })
  async takeOver(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: SafetyTakeoverDto,
    @Write() ctx: WriteContext,
  ) {
    const takeoverId = dto.takeoverId ?? newId(ctx, 'takeoverId');
    const meldcode = dto.meldcode && {
      trackId: dto.meldcode.trackId ?? newId(ctx, 'trackId'),
      signals: dto.meldcode.signals,
    };
    const written = await this.run(
      { type: 'TakeOverRegieForSafety', householdId: id, takeoverId, reason: dto.reason, meldcode },
      ctx,
    );
    return answer(written, {
      householdId: id,
      takeoverId,
      holder: written.state.regie,
      cause: 'safety-takeover',
      confirmation: written.state.safetyTakeovers.byId[takeoverId]?.status,
      // Only with a meldcode part, so the answer of a takeover without one stays as it was: the track
      // it started, or the one already open (then meldcodeTrackStarted is false).
      ...(meldcode
        ? {
            meldcodeTrackId: written.state.meldcode.openTrackId ?? meldcode.trackId,
            meldcodeTrackStarted: written.state.meldcode.openTrackId === meldcode.trackId,
          }
        : {}),
    });
  }

  @ApiOperation({
    operationId: 'confirmSafetyTakeover',
    summary: "Confirm a safety takeover as a team lead of the household's team",
  })
  @Post('households/:id/regie/safety-takeover/:takeoverId/confirm')
  @HttpCode(200)
  @Roles('team-lead')
  @ApiOkResponse({
    type: SafetyTakeoverConfirmedDto,
    description:
      'an active team lead of the household’s team (per its registry), not the taker, confirms: the history names them ' +
      'as approvedBy from now on. Once: a second decision is 409 SafetyTakeoverAlreadyDecided.',
  })
  async confirm(
    @Param('id', ParseIdPipe) id: string,
    @Param('takeoverId', ParseIdPipe) takeoverId: string,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run({ type: 'ConfirmSafetyTakeover', householdId: id, takeoverId }, ctx);
    return answer(written, {
      householdId: id,
      takeoverId,
      confirmation: 'confirmed',
      approvedBy: ctx.actor.id,
    });
  }

  @ApiOperation({
    operationId: 'rejectSafetyTakeover',
    summary: 'Reject a safety takeover: regie goes back to who held it',
  })
  @Post('households/:id/regie/safety-takeover/:takeoverId/reject')
  @HttpCode(200)
  @Roles('team-lead')
  @ApiOkResponse({
    type: SafetyTakeoverRejectedDto,
    description:
      'as confirm, with a reason: regie goes back to whoever held it before the takeover (the household when that ' +
      'worker can no longer hold it; nobody’s regie changes when it changed hands since). Once.',
  })
  async reject(
    @Param('id', ParseIdPipe) id: string,
    @Param('takeoverId', ParseIdPipe) takeoverId: string,
    @Body() dto: ReasonDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'RejectSafetyTakeover', householdId: id, takeoverId, reason: dto.reason },
      ctx,
    );
    const rejected = written.events.find((e) => e.type === 'SafetyTakeoverRejected');
    return answer(written, {
      householdId: id,
      takeoverId,
      confirmation: 'rejected',
      regieReturned:
        rejected?.type === 'SafetyTakeoverRejected' ? rejected.data.regieReturned !== null : false,
      holder: written.state.regie,
    });
  }

  @ApiOperation({
    operationId: 'listUnconfirmedSafetyTakeovers',
    summary: 'Safety takeovers not confirmed or rejected in time',
  })
  @Get('regie/safety-takeovers/unconfirmed')
  @Roles('team-lead', 'auditor')
  @ApiQuery({
    name: 'teamId',
    required: false,
    description: 'one team; default: a team lead’s own teams, all for auditors',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
    description: `1-${MAX_LIMIT}, default ${DEFAULT_LIMIT}`,
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    schema: { type: 'string' },
    description: 'the `next` of the previous page',
  })
  @ApiOkResponse({
    type: UnconfirmedTakeoversPageDto,
    description:
      'safety takeovers no team lead confirmed or rejected within SAFETY_CONFIRM_HOURS, oldest first, paged: ' +
      '{ confirmHours, takenBefore, takeovers, next } (next: null on the last page)',
  })
  async unconfirmed(@Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal) {
    const teamId =
      typeof query.teamId === 'string' && query.teamId !== ''
        ? new ParseIdPipe().transform(query.teamId, { type: 'query', data: 'teamId' })
        : undefined;
    const { limit, after: key } = keysetQuery(
      query,
      DEFAULT_LIMIT,
      MAX_LIMIT,
      ['instant', 'id', 'id'],
      SCOPE,
    );
    const after: TakeoverCursor | undefined = key && {
      takenAt: key[0] as string,
      householdId: key[1] as string,
      takeoverId: key[2] as string,
    };
    const auditor = principal.roles.includes('auditor');
    if (teamId !== undefined && !auditor && !isTeamLeadOf(principal, teamId))
      throw forbiddenProblem(
        `only team leads of team ${teamId} and auditors see its unconfirmed safety takeovers`,
      );
    const teamIds = teamId !== undefined ? [teamId] : auditor ? undefined : principal.teams;
    const takenBefore = confirmDeadline(this.clock.now(), this.config.safetyConfirmHours);
    await this.readModels.caughtUp();
    const page = await this.history.unconfirmedTakeovers({ takenBefore, teamIds, limit: limit + 1, after });
    const { items: takeovers, next } = keysetPage(
      page,
      limit,
      (t) => [t.takenAt, t.householdId, t.takeoverId],
      SCOPE,
    );
    return { confirmHours: this.config.safetyConfirmHours, takenBefore, takeovers, next };
  }
}
