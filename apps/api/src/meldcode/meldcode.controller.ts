import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { stepNumber, type HouseholdEvent, type HouseholdState } from '@eenplan/domain';
import { MeldcodeTracksQueries } from '@eenplan/projections';
import { isTeamLeadOf, type Principal } from '@eenplan/security';
import type { Written } from '../common/aggregate-executor';
import { CurrentPrincipal, Roles } from '../common/auth';
import { HouseholdAccess } from '../common/household-access';
import { ApiPaged, keysetPage, keysetQuery, pageOf, pageQuery } from '../common/paging';
import { forbiddenProblem } from '../common/problem';
import { ReadModelSync } from '../common/read-models';
import { CLOCK, Clock } from '../common/tokens';
import { ParseIdPipe } from '../common/validation';
import { answer, ETAG_HEADER, versioned } from '../common/write-response';
import { newId, Write, WriteContext } from '../common/write-context';
import { ExecuteHouseholdCommand, HouseholdIntent } from '../households/household.handler';
import { ReasonDto } from '../households/households.dto';
import {
  MeldcodeTrackWrittenDto,
  MeldcodeTracksPageDto,
  SafetyPlanAnswerDto,
  SafetyPlanRecordedDto,
  TeamMeldcodeTracksPageDto,
} from './meldcode-answer.dto';
import {
  MeldcodeConsultationDto,
  MeldcodeConversationDto,
  MeldcodeDecisionDto,
  MeldcodeWeighingDto,
  RecordSafetyPlanDto,
  StartMeldcodeTrackDto,
} from './meldcode.dto';
import { meldcodeRead } from './meldcode.read';

/** A page of a household's tracks with every text at its longest stays under 1 MB (7 texts of 8 KB each). */
export const TRACKS_PAGE = { fallback: 10, max: 10 } as const;
/** A page of a team's open tracks: a few hundred bytes each. */
export const TEAM_TRACKS_PAGE = { fallback: 50, max: 200 } as const;

/**
 * The Wet verplichte meldcode (docs/MELDCODE.md): a household's track of five steps, recorded by
 * its team's workers and its regie holder; the team's open tracks for its leads; the safety plan.
 */
@ApiTags('meldcode')
@ApiBearerAuth()
@Controller('v1')
export class MeldcodeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly households: HouseholdAccess,
    private readonly tracks: MeldcodeTracksQueries,
    private readonly readModels: ReadModelSync,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private run(intent: HouseholdIntent, ctx: WriteContext): Promise<Written<HouseholdState, HouseholdEvent>> {
    return this.commands.execute(new ExecuteHouseholdCommand(intent, ctx));
  }

  private trackAnswer(
    written: Written<HouseholdState, HouseholdEvent>,
    householdId: string,
    trackId: string,
  ) {
    const track = written.state.meldcode.tracks[trackId]!;
    return answer(written, {
      householdId,
      trackId,
      status: track.status,
      step: track.step,
      stepNumber: stepNumber(track.step),
    });
  }

  @ApiOperation({
    operationId: 'startMeldcodeTrack',
    summary: 'Start a meldcode track: step 1, the signals mapped',
  })
  @Post('households/:id/meldcode-tracks')
  @Roles('worker')
  @ApiCreatedResponse({
    type: MeldcodeTrackWrittenDto,
    description:
      'one open track per household (409 MeldcodeTrackAlreadyOpen); the track is then at step 2 (team of the household, regie holder)',
  })
  async start(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: StartMeldcodeTrackDto,
    @Write() ctx: WriteContext,
  ) {
    const trackId = dto.trackId ?? newId(ctx, 'trackId');
    const written = await this.run(
      { type: 'StartMeldcodeTrack', householdId: id, trackId, signals: dto.signals },
      ctx,
    );
    return this.trackAnswer(written, id, trackId);
  }

  @ApiOperation({
    operationId: 'recordMeldcodeConsultation',
    summary: 'Step 2: consultation of a colleague (or the aandachtsfunctionaris), or advice of Veilig Thuis',
  })
  @Post('households/:id/meldcode-tracks/:trackId/consultations')
  @Roles('worker')
  @ApiCreatedResponse({
    type: MeldcodeTrackWrittenDto,
    description:
      "the colleague's consultation completes step 2; Veilig Thuis's advice is optional, until step 3",
  })
  async consult(
    @Param('id', ParseIdPipe) id: string,
    @Param('trackId', ParseIdPipe) trackId: string,
    @Body() dto: MeldcodeConsultationDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      {
        type: 'RecordMeldcodeConsultation',
        householdId: id,
        trackId,
        consultation: dto.consultation,
        consultedRole: dto.consultedRole,
        advice: dto.advice,
      },
      ctx,
    );
    return this.trackAnswer(written, id, trackId);
  }

  @ApiOperation({
    operationId: 'recordMeldcodeConversation',
    summary: 'Step 3: the conversation with the client',
  })
  @Post('households/:id/meldcode-tracks/:trackId/conversation')
  @Roles('worker')
  @ApiCreatedResponse({ type: MeldcodeTrackWrittenDto, description: 'held, or not held and why' })
  async converse(
    @Param('id', ParseIdPipe) id: string,
    @Param('trackId', ParseIdPipe) trackId: string,
    @Body() dto: MeldcodeConversationDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'RecordMeldcodeConversation', householdId: id, trackId, held: dto.held, account: dto.account },
      ctx,
    );
    return this.trackAnswer(written, id, trackId);
  }

  @ApiOperation({
    operationId: 'recordMeldcodeWeighing',
    summary: "Step 4: the weighing with the afwegingskader's two questions",
  })
  @Post('households/:id/meldcode-tracks/:trackId/weighing')
  @Roles('worker')
  @ApiCreatedResponse({ type: MeldcodeTrackWrittenDto })
  async weigh(
    @Param('id', ParseIdPipe) id: string,
    @Param('trackId', ParseIdPipe) trackId: string,
    @Body() dto: MeldcodeWeighingDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      {
        type: 'RecordMeldcodeWeighing',
        householdId: id,
        trackId,
        reportNecessary: dto.reportNecessary,
        helpPossible: dto.helpPossible,
        explanation: dto.explanation,
      },
      ctx,
    );
    return this.trackAnswer(written, id, trackId);
  }

  @ApiOperation({
    operationId: 'recordMeldcodeDecision',
    summary: 'Step 5: the decision to report to Veilig Thuis and/or organise help; ends the track',
  })
  @Post('households/:id/meldcode-tracks/:trackId/decision')
  @Roles('worker')
  @ApiCreatedResponse({
    type: MeldcodeTrackWrittenDto,
    description:
      'reporting is required when step 4 found it necessary or found help not possible (409 MeldcodeReportRequired)',
  })
  async decide(
    @Param('id', ParseIdPipe) id: string,
    @Param('trackId', ParseIdPipe) trackId: string,
    @Body() dto: MeldcodeDecisionDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      {
        type: 'RecordMeldcodeDecision',
        householdId: id,
        trackId,
        reportToVeiligThuis: dto.reportToVeiligThuis,
        organiseHelp: dto.organiseHelp,
        reasons: dto.reasons,
      },
      ctx,
    );
    return this.trackAnswer(written, id, trackId);
  }

  @ApiOperation({
    operationId: 'closeMeldcodeTrack',
    summary: 'Close a meldcode track before its decision, with a reason',
  })
  @Post('households/:id/meldcode-tracks/:trackId/close')
  @HttpCode(200)
  @Roles('worker')
  @ApiOkResponse({ type: MeldcodeTrackWrittenDto })
  async close(
    @Param('id', ParseIdPipe) id: string,
    @Param('trackId', ParseIdPipe) trackId: string,
    @Body() dto: ReasonDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'CloseMeldcodeTrack', householdId: id, trackId, reason: dto.reason },
      ctx,
    );
    return this.trackAnswer(written, id, trackId);
  }

  @ApiOperation({
    operationId: 'listMeldcodeTracks',
    summary: "A page of the household's meldcode tracks, with every step",
  })
  @Get('households/:id/meldcode-tracks')
  @Roles('worker')
  @ApiPaged(TRACKS_PAGE.fallback, TRACKS_PAGE.max)
  @ApiOkResponse({
    type: MeldcodeTracksPageDto,
    headers: ETAG_HEADER,
    description:
      'every step with who, when and its text, in the order the tracks started (team of the household, regie holder)',
  })
  async list(
    @Param('id', ParseIdPipe) id: string,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const paging = pageQuery(query, TRACKS_PAGE.fallback, TRACKS_PAGE.max);
    const view = await this.households.view(id, principal);
    const { tracks } = meldcodeRead(await view.events(), this.clock.now());
    const page = pageOf(tracks, (t) => t.trackId, paging);
    return versioned(view.fold.version, {
      householdId: id,
      openTrackId: view.state.meldcode.openTrackId,
      tracks: page.items,
      total: page.total,
      next: page.next,
    });
  }

  @ApiOperation({ operationId: 'recordSafetyPlan', summary: "Record or replace the household's safety plan" })
  @Put('households/:id/safety-plan')
  @Roles('worker')
  @ApiOkResponse({
    type: SafetyPlanRecordedDto,
    description:
      'agreements (text, who, by when) and a review date; a new plan names the revision it replaces (409 SafetyPlanRevisionMismatch)',
  })
  async recordSafetyPlan(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: RecordSafetyPlanDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      {
        type: 'RecordSafetyPlan',
        householdId: id,
        agreements: dto.agreements.map((a) => ({ text: a.text, who: a.who, dueOn: a.dueOn })),
        reviewOn: dto.reviewOn,
        replaces: dto.replaces,
      },
      ctx,
    );
    const plan = written.state.meldcode.safetyPlan!;
    return answer(written, { householdId: id, revision: plan.revision, reviewOn: plan.reviewOn });
  }

  @ApiOperation({ operationId: 'getSafetyPlan', summary: "The household's current safety plan" })
  @Get('households/:id/safety-plan')
  @Roles('worker')
  @ApiOkResponse({
    type: SafetyPlanAnswerDto,
    headers: ETAG_HEADER,
    description: 'the current revision with its agreements, or null (team of the household, regie holder)',
  })
  async safetyPlan(@Param('id', ParseIdPipe) id: string, @CurrentPrincipal() principal: Principal) {
    const view = await this.households.view(id, principal);
    const { safetyPlan } = meldcodeRead(await view.events(), this.clock.now());
    return versioned(view.fold.version, { householdId: id, safetyPlan });
  }

  @ApiOperation({
    operationId: 'listTeamMeldcodeTracks',
    summary: "The team's open meldcode tracks and how long each step has been open",
  })
  @Get('teams/:teamId/meldcode-tracks')
  @Roles('team-lead')
  @ApiPaged(TEAM_TRACKS_PAGE.fallback, TEAM_TRACKS_PAGE.max)
  @ApiOkResponse({
    type: TeamMeldcodeTracksPageDto,
    description:
      "the team's open tracks, the step open longest first, paged (`count`: all of them); no texts (team leads of the team)",
  })
  async forTeam(
    @Param('teamId', ParseIdPipe) teamId: string,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TeamMeldcodeTracksPageDto> {
    const scope = `meldcode-tracks:${teamId}`;
    const { limit, after } = keysetQuery(
      query,
      TEAM_TRACKS_PAGE.fallback,
      TEAM_TRACKS_PAGE.max,
      ['instant', 'id', 'id'],
      scope,
    );
    if (!isTeamLeadOf(principal, teamId))
      throw forbiddenProblem(`only team leads of team ${teamId} see its open meldcode tracks`);
    await this.readModels.caughtUp();
    const now = this.clock.now();
    const { tracks, count } = await this.tracks.openForTeam(teamId, {
      limit: limit + 1,
      after: after as [string, string, string] | undefined,
    });
    const page = keysetPage(tracks, limit, (t) => [t.stepSince, t.householdId, t.trackId], scope);
    return {
      teamId,
      now: now.toISOString(),
      count,
      tracks: page.items.map((t) => ({
        ...t,
        stepOpenSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(t.stepSince)) / 1000)),
      })),
      next: page.next,
    };
  }
}
