import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { inForce } from '@eenplan/domain';
import type { Principal } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { HouseholdAccess } from '../common/household-access';
import { ApiPaged, pageOf, pageQuery } from '../common/paging';
import { CLOCK, Clock } from '../common/tokens';
import { ParseIdPipe } from '../common/validation';
import { answer } from '../common/write-response';
import { newId, Write, WriteContext } from '../common/write-context';
import { ExecuteHouseholdCommand, HouseholdIntent } from '../households/household.handler';
import {
  CorrectPersonalDataDto,
  HouseholdRestrictionsPageDto,
  PersonalDataCorrectedDto,
  ProcessingRestrictedDto,
  RestrictionLiftedDto,
  RestrictProcessingDto,
} from './rights.dto';

export const RESTRICTIONS_PAGE = { fallback: 50, max: 100 } as const;

/**
 * The data subject's rights per person (issue 18): restriction of processing (AVG art. 18), by an
 * administrator, and correction (art. 16), by the household's workers. docs/PERSONS.md, "Restriction
 * and correction (AVG art. 18 and 16)".
 */
@ApiTags('privacy and audit')
@ApiBearerAuth()
@Controller('v1/households')
export class RightsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly households: HouseholdAccess,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private run(intent: HouseholdIntent, ctx: WriteContext) {
    return this.commands.execute(new ExecuteHouseholdCommand(intent, ctx));
  }

  @ApiOperation({
    operationId: 'restrictProcessing',
    summary:
      'Restrict the processing of a household or one member (AVG art. 18): only storage, audit and erasure go on',
  })
  @Post(':id/restrictions')
  @Roles('admin')
  @ApiCreatedResponse({ type: ProcessingRestrictedDto })
  async restrict(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: RestrictProcessingDto,
    @Write() ctx: WriteContext,
  ) {
    const restrictionId = dto.restrictionId ?? newId(ctx, 'restrictionId');
    const written = await this.run(
      {
        type: 'RestrictProcessing',
        householdId: id,
        restrictionId,
        ground: dto.ground,
        ...(dto.memberId === undefined ? {} : { memberId: dto.memberId }),
        ...(dto.until === undefined ? {} : { until: new Date(dto.until).toISOString() }),
      },
      ctx,
    );
    return answer(written, {
      householdId: id,
      restrictionId,
      ...(dto.memberId === undefined ? {} : { memberId: dto.memberId }),
    });
  }

  @ApiOperation({
    operationId: 'liftRestriction',
    summary: 'Lift a restriction of processing (AVG art. 18(3))',
  })
  @Post(':id/restrictions/:restrictionId/lift')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: RestrictionLiftedDto })
  async lift(
    @Param('id', ParseIdPipe) id: string,
    @Param('restrictionId', ParseIdPipe) restrictionId: string,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run({ type: 'LiftRestriction', householdId: id, restrictionId }, ctx);
    return answer(written, { householdId: id, restrictionId, lifted: true });
  }

  @ApiOperation({
    operationId: 'listRestrictions',
    summary: "A page of the household's restrictions of processing, lifted ones included",
  })
  @Get(':id/restrictions')
  @Roles('worker', 'auditor', 'admin')
  @ApiPaged(RESTRICTIONS_PAGE.fallback, RESTRICTIONS_PAGE.max)
  @ApiOkResponse({
    type: HouseholdRestrictionsPageDto,
    description:
      '{householdId, restrictions[], total, next, version}: readable to its workers also while the household is restricted (so they see why), and to auditors and admins',
  })
  async restrictions(
    @Param('id', ParseIdPipe) id: string,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<HouseholdRestrictionsPageDto> {
    const { limit, cursor } = pageQuery(query, RESTRICTIONS_PAGE.fallback, RESTRICTIONS_PAGE.max);
    const { fold } = await this.households.view(id, principal, {
      auditor: true,
      admin: true,
      whileRestricted: true,
    });
    const now = this.clock.now().toISOString();
    const page = pageOf(Object.values(fold.state.restrictions), (r) => r.restrictionId, { limit, cursor });
    return {
      householdId: id,
      restrictions: page.items.map((r) => ({ ...r, inForce: inForce(r, now) })),
      total: page.total,
      next: page.next,
      version: fold.version,
    };
  }

  @ApiOperation({
    operationId: 'correctPersonalData',
    summary:
      "Correct a member's name or birth, or a goal's or action's description (AVG art. 16); the history keeps both",
  })
  @Post(':id/corrections')
  @Roles('worker')
  @ApiCreatedResponse({ type: PersonalDataCorrectedDto })
  async correct(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: CorrectPersonalDataDto,
    @Write() ctx: WriteContext,
  ) {
    const correctionId = dto.correctionId ?? newId(ctx, 'correctionId');
    const written = await this.run(
      {
        type: 'CorrectPersonalData',
        householdId: id,
        correctionId,
        field: dto.field,
        value: dto.value,
        ...(dto.memberId === undefined ? {} : { memberId: dto.memberId }),
        ...(dto.goalId === undefined ? {} : { goalId: dto.goalId }),
        ...(dto.actionId === undefined ? {} : { actionId: dto.actionId }),
        ...(dto.ground === undefined ? {} : { ground: dto.ground }),
      },
      ctx,
    );
    return answer(written, { householdId: id, correctionId, field: dto.field });
  }
}
