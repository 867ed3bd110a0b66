import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Consent, dateInNl, consentStatusOf } from '@eenplan/domain';
import { Principal } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { ApiPaged, keysetPage, keysetQuery } from '../common/paging';
import { ParseIdPipe } from '../common/validation';
import { CLOCK, Clock } from '../common/tokens';
import { answer } from '../common/write-response';
import { Write, WriteContext, newId } from '../common/write-context';
import { ExecuteHouseholdCommand, HouseholdIntent } from '../households/household.handler';
import { HouseholdAccess } from '../common/household-access';
import { GiveConsentDto, partiesOf, WithdrawConsentDto } from './consents.dto';
import { ConsentRecordedDto, ConsentsPageDto, ConsentWithdrawalDto } from './consents-answer.dto';

const PAGE = { fallback: 25, max: 100 } as const;

/**
 * The consent register (issue 18): each member's consent for one purpose and one recipient, given
 * and withdrawn by whoever has capacity for them (persons.ts), and listed with how it stands today.
 */
@ApiTags('consents')
@ApiBearerAuth()
@Controller('v1/households')
export class ConsentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly households: HouseholdAccess,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private run(intent: HouseholdIntent, ctx: WriteContext) {
    return this.commands.execute(new ExecuteHouseholdCommand(intent, ctx));
  }

  @ApiOperation({
    operationId: 'giveConsent',
    summary: "Record a member's consent for one purpose and one recipient",
    description:
      'given by the parties with capacity for the member today (16+: the member; 12-15: the member and a holder ' +
      'of parental authority; under 12: a holder), else 409 NoCapacity naming what is missing',
  })
  @Post(':id/consents')
  @Roles('worker')
  @ApiCreatedResponse({ type: ConsentRecordedDto })
  async give(@Param('id', ParseIdPipe) id: string, @Body() dto: GiveConsentDto, @Write() ctx: WriteContext) {
    const consentId = dto.consentId ?? newId(ctx, 'consentId');
    const written = await this.run(
      {
        type: 'GiveConsent',
        householdId: id,
        consentId,
        memberId: dto.memberId,
        purpose: dto.purpose,
        recipient: dto.recipient,
        givenBy: partiesOf(dto.givenBy),
        from: dto.from,
        until: dto.until,
      },
      ctx,
    );
    const consent = written.state.consents[consentId];
    const status = consent ? consentStatusOf(consent, this.today()) : 'in-force';
    return answer(written, { householdId: id, consentId, status });
  }

  @ApiOperation({
    operationId: 'withdrawConsent',
    summary: 'Record the withdrawal of a consent, from today',
  })
  @Post(':id/consents/:consentId/withdraw')
  @HttpCode(200)
  @Roles('worker')
  @ApiOkResponse({ type: ConsentWithdrawalDto })
  async withdraw(
    @Param('id', ParseIdPipe) id: string,
    @Param('consentId', ParseIdPipe) consentId: string,
    @Body() dto: WithdrawConsentDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'WithdrawConsent', householdId: id, consentId, withdrawnBy: partiesOf(dto.withdrawnBy) },
      ctx,
    );
    return answer(written, { householdId: id, consentId, status: 'withdrawn' });
  }

  @ApiOperation({
    operationId: 'listConsents',
    summary: "A page of the household's consent register, each consent with how it stands today",
  })
  @Get(':id/consents')
  @Roles('worker')
  @ApiPaged(PAGE.fallback, PAGE.max)
  @ApiOkResponse({ type: ConsentsPageDto })
  async list(
    @Param('id', ParseIdPipe) id: string,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const scope = `consents:${id}`;
    const { limit, after } = keysetQuery(query, PAGE.fallback, PAGE.max, ['instant', 'id'], scope);
    const { state } = await this.households.view(id, principal);
    const key = (c: Consent) => [c.givenAt, c.consentId] as const;
    const all = Object.values(state.consents).sort(
      (a, b) => a.givenAt.localeCompare(b.givenAt) || a.consentId.localeCompare(b.consentId),
    );
    const rest = after
      ? all.filter((c) => {
          const [at, cid] = key(c);
          return at > (after[0] as string) || (at === after[0] && cid > (after[1] as string));
        })
      : all;
    const page = keysetPage(rest.slice(0, limit + 1), limit, key, scope);
    const today = this.today();
    return {
      householdId: id,
      consents: page.items.map((c) => ({
        consentId: c.consentId,
        memberId: c.memberId,
        purpose: c.purpose,
        recipient: c.recipient,
        givenBy: c.givenBy,
        from: c.from,
        until: c.until,
        givenAt: c.givenAt,
        withdrawn: c.withdrawn,
        status: consentStatusOf(c, today),
        legacy: c.legacy === true,
      })),
      total: all.length,
      next: page.next,
    };
  }

  private today(): string {
    return dateInNl(this.clock.now().toISOString());
  }
}
