import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HouseholdEvent, WorkIncomeSignalRecorded } from '@eenplan/domain';
import { isWorker, Principal } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { pageOf, pageQuery, ApiPaged } from '../common/paging';
import { ParseIdPipe } from '../common/validation';
import { answer, WriteResultDto } from '../common/write-response';
import { Write, WriteContext, newId } from '../common/write-context';
import { ExecuteHouseholdCommand, HouseholdIntent } from '../households/household.handler';
import { HouseholdReader } from '../measurements/household-access';
import { ConsentDto, RecordSignalDto, RegisterQuestionDto } from './signals.dto';

/**
 * Consent for sharing with UWV, work/income signals (invariants 14, 15) and questions per life
 * domain: what the household tells and what may leave the team.
 */
@ApiTags('signals and consent')
@ApiBearerAuth()
@Controller('v1/households')
export class SignalsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly households: HouseholdReader,
  ) {}

  private run(intent: HouseholdIntent, ctx: WriteContext) {
    return this.commands.execute(new ExecuteHouseholdCommand(intent, ctx));
  }

  @Post(':id/uwv-consent')
  @Roles('worker')
  @ApiCreatedResponse({
    type: WriteResultDto,
    description: 'a member consents to sharing work/income signals with UWV',
  })
  async giveConsent(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: ConsentDto,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const written = await this.run({ type: 'GiveUwvConsent', householdId: id, memberId: dto.memberId }, ctx);
    return answer(res, written, { householdId: id, consent: 'given', agreedBy: dto.memberId });
  }

  @Post(':id/uwv-consent/withdraw')
  @HttpCode(200)
  @Roles('worker')
  @ApiOkResponse({
    type: WriteResultDto,
    description: 'a member withdraws consent; later signals stay internal (invariant 15)',
  })
  async withdrawConsent(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: ConsentDto,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const written = await this.run(
      { type: 'WithdrawUwvConsent', householdId: id, memberId: dto.memberId },
      ctx,
    );
    return answer(res, written, { householdId: id, consent: 'withdrawn', withdrawnBy: dto.memberId });
  }

  @Post(':id/work-income-signals')
  @Roles('worker', 'integrator')
  @ApiCreatedResponse({
    type: WriteResultDto,
    description:
      'a worker raises an outbound signal; an integrator posts an inbound one from UWV (only with consent or a legal basis). ' +
      'The answer says whether it is published to UWV, on which basis, or why it stays internal (invariant 14).',
  })
  async recordSignal(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: RecordSignalDto,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const signalId = dto.signalId ?? newId(ctx, 'signalId');
    const direction = isWorker(ctx.principal) ? 'outbound' : 'inbound';
    const written = await this.run(
      {
        type: 'RecordWorkIncomeSignal',
        householdId: id,
        signalId,
        direction,
        category: dto.category,
        legalBasis: dto.legalBasis,
        description: dto.description,
      },
      ctx,
    );
    const event = (written.events as HouseholdEvent[]).find(
      (e): e is WorkIncomeSignalRecorded => e.type === 'WorkIncomeSignalRecorded',
    );
    return answer(res, written, {
      householdId: id,
      signalId,
      direction,
      publication: event?.data.publication,
    });
  }

  @Get(':id/work-income-signals')
  @Roles('worker')
  @ApiPaged(25, 50)
  @ApiOkResponse({
    description:
      'consent as it stands and the signals with their publication, in the order recorded, paged: `total` and `next` (team of the household, regie holder)',
  })
  async listSignals(
    @Param('id', ParseIdPipe) id: string,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ) {
    // 50 signals with the longest descriptions (16 KB each as JSON) stay under 1 MB.
    const paging = pageQuery(query, 25, 50);
    const { state, events } = await this.households.readFor(id, principal);
    const signals = events
      .map((e) => e as unknown as HouseholdEvent)
      .filter((e): e is WorkIncomeSignalRecorded => e.type === 'WorkIncomeSignalRecorded')
      .map((e) => ({ ...e.data, description: (e.personal?.description as string | undefined) ?? null }));
    const page = pageOf(signals, (s) => s.signalId, paging);
    return {
      householdId: id,
      consent: {
        status: state.uwv.consent,
        agreedBy: state.uwv.consentAgreedBy,
        since: state.uwv.consentSince,
      },
      signals: page.items,
      total: page.total,
      next: page.next,
    };
  }

  @Post(':id/questions')
  @Roles('worker')
  @ApiCreatedResponse({
    type: WriteResultDto,
    description: 'a question or need of the household in one life domain (for the district analysis)',
  })
  async registerQuestion(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: RegisterQuestionDto,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const questionId = dto.questionId ?? newId(ctx, 'questionId');
    const written = await this.run(
      {
        type: 'RegisterQuestion',
        householdId: id,
        questionId,
        lifeDomain: dto.lifeDomain,
        askedOn: dto.askedOn,
        description: dto.description,
      },
      ctx,
    );
    return answer(res, written, { householdId: id, questionId, lifeDomain: dto.lifeDomain });
  }
}
