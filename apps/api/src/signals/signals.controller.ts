import { Body, Controller, Get, HttpCode, HttpException, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import {
  ConsentsState,
  dateInNl,
  HouseholdEvent,
  InboundSignalRefused,
  isConsentInForce,
  UWV_RECIPIENT,
  WorkIncomeSignalRecorded,
} from '@eenplan/domain';
import { isWorker, Principal } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { pageOf, pageQuery, ApiPaged } from '../common/paging';
import { WorkIncomeSignalsPageDto } from './signals.pages.dto';
import { ParseIdPipe } from '../common/validation';
import { badRequest } from '../common/problem';
import { APP_CONFIG, CLOCK, Clock } from '../common/tokens';
import { AppConfig } from '@eenplan/runtime';
import { answer, Answer } from '../common/write-response';
import { Write, WriteContext, newId } from '../common/write-context';
import { ExecuteHouseholdCommand, HouseholdIntent } from '../households/household.handler';
import { HouseholdAccess } from '../common/household-access';
import { ConsentDto, RecordSignalDto, RegisterQuestionDto } from './signals.dto';
import {
  InboundSignalReceivedDto,
  QuestionRegisteredDto,
  UwvConsentGivenDto,
  UwvConsentWithdrawnDto,
  WorkIncomeSignalRecordedDto,
} from './signals-answer.dto';

/** UWV consent as it stands today, read from the register (the old household-wide shape, plus members). */
const uwvConsentSummary = (consents: ConsentsState, today: string) => {
  const uwv = Object.values(consents).filter(
    (c) => c.purpose === 'uwv-signals' && c.recipient === UWV_RECIPIENT,
  );
  const inForce = uwv.filter((c) => isConsentInForce(c, today));
  if (inForce.length > 0)
    return {
      status: 'given',
      agreedBy: inForce[0]!.memberId,
      since: inForce[0]!.givenAt,
      members: inForce.map((c) => c.memberId),
    };
  const withdrawn = uwv
    .filter((c) => c.withdrawn !== null)
    .sort((a, b) => a.withdrawn!.at.localeCompare(b.withdrawn!.at));
  const last = withdrawn[withdrawn.length - 1];
  return last
    ? { status: 'withdrawn', agreedBy: null, since: last.withdrawn!.at, members: [] }
    : { status: 'none', agreedBy: null, since: null, members: [] };
};

/** Refused inbound signals shown in the signals answer, newest first. */
const REFUSED_SHOWN = 25;

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
    private readonly households: HouseholdAccess,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private run(intent: HouseholdIntent, ctx: WriteContext) {
    return this.commands.execute(new ExecuteHouseholdCommand(intent, ctx));
  }

  @ApiOperation({
    operationId: 'giveUwvConsent',
    summary: 'Record a member’s consent to share work and income signals with UWV',
  })
  @Post(':id/uwv-consent')
  @Roles('worker')
  @ApiCreatedResponse({
    type: UwvConsentGivenDto,
    description: 'a member consents to sharing work/income signals with UWV',
  })
  async giveConsent(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: ConsentDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run({ type: 'GiveUwvConsent', householdId: id, memberId: dto.memberId }, ctx);
    return answer(written, { householdId: id, consent: 'given', agreedBy: dto.memberId });
  }

  @ApiOperation({
    operationId: 'withdrawUwvConsent',
    summary: 'Record that the member withdrew the consent for UWV signals',
  })
  @Post(':id/uwv-consent/withdraw')
  @HttpCode(200)
  @Roles('worker')
  @ApiOkResponse({
    type: UwvConsentWithdrawnDto,
    description: 'a member withdraws consent; later signals stay internal (invariant 15)',
  })
  async withdrawConsent(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: ConsentDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'WithdrawUwvConsent', householdId: id, memberId: dto.memberId },
      ctx,
    );
    return answer(written, { householdId: id, consent: 'withdrawn', withdrawnBy: dto.memberId });
  }

  @ApiOperation({
    operationId: 'recordWorkIncomeSignal',
    summary: 'Record a work or income signal, outbound to UWV or inbound from it',
  })
  @Post(':id/work-income-signals')
  @Roles('worker', 'integrator')
  @ApiCreatedResponse({
    type: WorkIncomeSignalRecordedDto,
    description:
      'a worker raises an outbound signal: the answer says whether it is published to UWV, on which basis, or why ' +
      'it stays internal (invariant 14). An integrator posts an inbound one from UWV and is answered 202 ' +
      '{signalId, status: received} whether or not the household exists or has grounds for it; the team sees the outcome.',
  })
  @ApiAcceptedResponse({
    type: InboundSignalReceivedDto,
    description: "an integrator's inbound signal: the same answer whatever became of it (issue 16)",
  })
  async recordSignal(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: RecordSignalDto,
    @Write() ctx: WriteContext,
  ) {
    if (dto.legalBasis !== undefined && !this.config.legalBases.includes(dto.legalBasis)) {
      throw badRequest(
        'UnknownLegalBasis',
        `legalBasis must be one of the configured legal grounds: ${this.config.legalBases.join(', ')}`,
        [{ field: 'legalBasis', reason: `must be one of ${this.config.legalBases.join(', ')}` }],
      );
    }
    const signalId = dto.signalId ?? newId(ctx, 'signalId');
    const direction = isWorker(ctx.principal) ? 'outbound' : 'inbound';
    const intent: HouseholdIntent = {
      type: 'RecordWorkIncomeSignal',
      householdId: id,
      signalId,
      direction,
      category: dto.category,
      legalBasis: dto.legalBasis,
      memberId: dto.memberId,
      description: dto.description,
    };
    if (direction === 'inbound') return this.receive(intent, ctx);
    const written = await this.run(intent, ctx);
    const event = (written.events as HouseholdEvent[]).find(
      (e): e is WorkIncomeSignalRecorded => e.type === 'WorkIncomeSignalRecorded',
    );
    return answer(written, {
      householdId: id,
      signalId,
      direction,
      publication: event?.data.publication,
    });
  }

  /**
   * UWV's side learns nothing from the answer (issue 16): not whether the household exists, nor
   * whether it consented, nor that the signal was a repeat. Whatever happened, 202 and the same
   * body; what became of it is for the team to see (GET .../work-income-signals).
   */
  private async receive(intent: HouseholdIntent, ctx: WriteContext) {
    try {
      await this.run(intent, ctx);
    } catch (error) {
      // Every refusal to one who may not see the household is the one 404 (HouseholdAdmission).
      if (!(error instanceof HttpException && error.getStatus() === 404)) throw error;
    }
    return new Answer(
      { signalId: (intent as { signalId: string }).signalId, status: 'received' },
      undefined,
      202,
    );
  }

  @ApiOperation({
    operationId: 'listWorkIncomeSignals',
    summary: "A page of the household's work and income signals",
  })
  @Get(':id/work-income-signals')
  @Roles('worker')
  @ApiPaged(25, 50)
  @ApiOkResponse({
    type: WorkIncomeSignalsPageDto,
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
    const household = await this.households.view(id, principal);
    const { state } = household;
    const events = await household.events();
    const signals = events
      .map((e) => e as unknown as HouseholdEvent)
      .filter((e): e is WorkIncomeSignalRecorded => e.type === 'WorkIncomeSignalRecorded')
      .map((e) => ({ ...e.data, description: (e.personal?.description as string | undefined) ?? null }));
    const page = pageOf(signals, (s) => s.signalId, paging);
    const refused = events
      .map((e) => e as unknown as HouseholdEvent)
      .filter((e): e is InboundSignalRefused => e.type === 'InboundSignalRefused')
      .map((e) => e.data);
    return {
      householdId: id,
      consent: uwvConsentSummary(state.consents, dateInNl(this.clock.now().toISOString())),
      signals: page.items,
      total: page.total,
      next: page.next,
      // The newest few: they can be many (up to MAX_REFUSED_INBOUND_SIGNALS), the total says how many.
      refusedInbound: refused.slice(-REFUSED_SHOWN).reverse(),
      refusedInboundTotal: refused.length,
    };
  }

  @ApiOperation({
    operationId: 'registerQuestion',
    summary: "Register a household's question in a life domain, for the district analysis",
  })
  @Post(':id/questions')
  @Roles('worker')
  @ApiCreatedResponse({
    type: QuestionRegisteredDto,
    description: 'a question or need of the household in one life domain (for the district analysis)',
  })
  async registerQuestion(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: RegisterQuestionDto,
    @Write() ctx: WriteContext,
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
    return answer(written, { householdId: id, questionId, lifeDomain: dto.lifeDomain });
  }
}
