import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { dateInNl } from '@eenplan/domain';
import { OverdueCheckInsQueries } from '@eenplan/projections';
import { inTeam, Principal } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { forbiddenProblem } from '../common/problem';
import { ReadModelSync } from '../common/read-models';
import { CLOCK, Clock } from '../common/tokens';
import { ParseIdPipe } from '../common/validation';
import { answer } from '../common/write-response';
import { Write, WriteContext, newId } from '../common/write-context';
import { ExecuteHouseholdCommand, HouseholdIntent } from '../households/household.handler';
import { ReasonDto } from '../households/households.dto';
import { HouseholdAccess } from '../common/household-access';
import { CheckInSweep } from '@eenplan/runtime';
import {
  CheckInStatusDto,
  CheckInSweepResultDto,
  RecordContactDto,
  ScheduleCheckInsDto,
} from './check-ins.dto';
import { OverdueCheckInsPageDto } from './check-ins.pages.dto';
import { ApiPaged, keysetPage, keysetQuery } from '../common/paging';
import { CheckInCadenceEndedDto, CheckInCadenceSetDto, ContactRecordedDto } from './check-ins-answer.dto';

/** A page of overdue households: each is a few hundred bytes. */
export const OVERDUE_PAGE = { fallback: 100, max: 500 } as const;

/** Check-ins (vinger aan de pols), invariant 16: cadences, contacts, and what is overdue. */
@ApiTags('check-ins')
@ApiBearerAuth()
@Controller('v1')
export class CheckInsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly overdue: OverdueCheckInsQueries,
    private readonly readModels: ReadModelSync,
    private readonly households: HouseholdAccess,
    private readonly sweep: CheckInSweep,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private run(intent: HouseholdIntent, ctx: WriteContext) {
    return this.commands.execute(new ExecuteHouseholdCommand(intent, ctx));
  }

  private today() {
    return dateInNl(this.clock.now().toISOString());
  }

  @ApiOperation({
    operationId: 'scheduleCheckIns',
    summary: 'Agree a check-in cadence with the household (every so many weeks)',
  })
  @Post('households/:id/check-ins/cadence')
  @Roles('worker')
  @ApiCreatedResponse({
    type: CheckInCadenceSetDto,
    description:
      'starts (or replaces) the cadence: due on startsOn and every everyWeeks weeks after it, also after the plan closes',
  })
  async schedule(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: ScheduleCheckInsDto,
    @Write() ctx: WriteContext,
  ) {
    const cadenceId = dto.cadenceId ?? newId(ctx, 'cadenceId');
    const written = await this.run(
      {
        type: 'ScheduleCheckIns',
        householdId: id,
        cadenceId,
        everyWeeks: dto.everyWeeks,
        startsOn: dto.startsOn,
      },
      ctx,
    );
    return answer(written, {
      householdId: id,
      cadenceId,
      everyWeeks: dto.everyWeeks,
      nextDueOn: written.state.checkIns.nextDueOn,
    });
  }

  @ApiOperation({ operationId: 'endCheckIns', summary: 'End the check-in cadence, with a reason' })
  @Post('households/:id/check-ins/cadence/end')
  @HttpCode(200)
  @Roles('worker')
  @ApiOkResponse({
    type: CheckInCadenceEndedDto,
    description: 'stops the running cadence; 409 (invariant 16) when none runs',
  })
  async end(@Param('id', ParseIdPipe) id: string, @Body() dto: ReasonDto, @Write() ctx: WriteContext) {
    const written = await this.run({ type: 'EndCheckIns', householdId: id, reason: dto.reason }, ctx);
    return answer(written, { householdId: id, cadence: null });
  }

  @ApiOperation({
    operationId: 'recordContact',
    summary: 'Record a contact with the household: the next check-in is due a cadence later',
  })
  @Post('households/:id/check-ins/contacts')
  @Roles('worker')
  @ApiCreatedResponse({
    type: ContactRecordedDto,
    description:
      'a contact on or after a due date satisfies it (and every earlier one); answers the next due date',
  })
  async contact(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: RecordContactDto,
    @Write() ctx: WriteContext,
  ) {
    const contactId = dto.contactId ?? newId(ctx, 'contactId');
    const written = await this.run(
      {
        type: 'RecordCheckInContact',
        householdId: id,
        contactId,
        contactOn: dto.contactOn,
        notes: dto.notes,
      },
      ctx,
    );
    return answer(written, { householdId: id, contactId, nextDueOn: written.state.checkIns.nextDueOn });
  }

  @ApiOperation({
    operationId: 'getCheckIns',
    summary: "The household's check-in cadence, last contact and when the next is due",
  })
  @Get('households/:id/check-ins')
  @Roles('worker')
  @ApiOkResponse({
    type: CheckInStatusDto,
    description:
      "the household's cadence, next due date, last contact and, when the due date has passed, how overdue (team of the household, regie holder)",
  })
  async forHousehold(@Param('id', ParseIdPipe) id: string, @CurrentPrincipal() principal: Principal) {
    await this.households.view(id, principal);
    await this.readModels.caughtUp();
    const status = await this.overdue.forHousehold(id, this.today());
    return status ?? { householdId: id, cadence: null, nextDueOn: null, lastContactOn: null, overdue: null };
  }

  @ApiOperation({
    operationId: 'listOverdueCheckIns',
    summary: "The team's households whose check-in is overdue",
  })
  @Get('teams/:teamId/check-ins/overdue')
  @Roles('worker')
  @ApiPaged(OVERDUE_PAGE.fallback, OVERDUE_PAGE.max)
  @ApiOkResponse({
    type: OverdueCheckInsPageDto,
    description:
      "the team's households whose check-in due date has passed without a contact, most overdue first, paged " +
      '(`count`: all of them); a household whose due date moves (a contact) moves with it',
  })
  async overdueForTeam(
    @Param('teamId', ParseIdPipe) teamId: string,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OverdueCheckInsPageDto> {
    const { limit, after } = keysetQuery(
      query,
      OVERDUE_PAGE.fallback,
      OVERDUE_PAGE.max,
      ['text', 'id'],
      `overdue-check-ins:${teamId}`,
    );
    if (!inTeam(principal, teamId))
      throw forbiddenProblem(`only workers of team ${teamId} see its overdue check-ins`);
    await this.readModels.caughtUp();
    const today = this.today();
    const { households, count } = await this.overdue.overdueForTeam(teamId, today, {
      limit: limit + 1,
      after: after as [string, string] | undefined,
    });
    const page = keysetPage(
      households,
      limit,
      (h) => [h.nextDueOn!, h.householdId],
      `overdue-check-ins:${teamId}`,
    );
    return { teamId, today, count, households: page.items, next: page.next };
  }

  @ApiOperation({
    operationId: 'runCheckInSweep',
    summary: 'Run the overdue check-in sweep now (it also runs on a timer)',
  })
  @Post('check-ins/sweep')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({
    type: CheckInSweepResultDto,
    description:
      'records CheckInOverdue for every due date passed without a contact, now, instead of at the next timed sweep (CHECK_IN_SWEEP_MS); idempotent',
  })
  async runSweep() {
    await this.readModels.caughtUp();
    return this.sweep.run();
  }
}
