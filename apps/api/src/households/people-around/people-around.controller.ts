import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { VolunteerAssignmentsQueries } from '@eenplan/projections';
import type { Principal } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../../common/auth';
import { pageOf, pageQuery, ApiPaged } from '../../common/paging';
import { HouseholdAssignmentsPageDto } from '../../volunteers/volunteers.pages.dto';
import { HouseholdAccess } from '../../common/household-access';
import { ReadModelSync } from '../../common/read-models';
import { ParseIdPipe } from '../../common/validation';
import { answer } from '../../common/write-response';
import { Write, WriteContext, newId } from '../../common/write-context';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../household.view';
import { ReasonDto } from '../households.dto';
import { AddNetworkMemberDto, AssignVolunteerDto, RequestReferralDto } from './people-around.dto';
import { ExecutePeopleAroundCommand, PeopleAroundIntent } from './people-around.handler';
import {
  NetworkMemberAddedDto,
  NetworkMemberRemovedDto,
  ReferralWrittenDto,
  VolunteerAssignmentWrittenDto,
} from './people-around-answer.dto';

/** The household's network, its volunteer assignments and its referrals to the social map. */
@ApiTags('households: network, volunteers, referrals')
@ApiBearerAuth()
@Controller('v1/households/:id')
export class PeopleAroundController {
  constructor(
    private readonly commands: CommandBus,
    private readonly households: HouseholdAccess,
    private readonly assignments: VolunteerAssignmentsQueries,
    private readonly readModels: ReadModelSync,
  ) {}

  private run(intent: PeopleAroundIntent, ctx: WriteContext) {
    return this.commands.execute(new ExecutePeopleAroundCommand(intent, ctx));
  }

  @Post('network')
  @Roles('worker')
  @ApiOperation({
    operationId: 'addNetworkMember',
    summary: 'Add a network member (family, friend, neighbour, teacher) who can own actions',
  })
  @ApiCreatedResponse({ type: NetworkMemberAddedDto })
  async addNetworkMember(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: AddNetworkMemberDto,
    @Write() ctx: WriteContext,
  ) {
    const networkMemberId = dto.networkMemberId ?? newId(ctx, 'networkMemberId');
    const written = await this.run(
      { type: 'AddNetworkMember', householdId: id, networkMemberId, role: dto.role, name: dto.name },
      ctx,
    );
    return answer(written, { householdId: id, networkMemberId });
  }

  @Post('network/:networkMemberId/remove')
  @HttpCode(200)
  @Roles('worker')
  @ApiOperation({
    operationId: 'removeNetworkMember',
    summary: 'Remove a network member (refused while they own open actions: invariant 10)',
  })
  @ApiOkResponse({ type: NetworkMemberRemovedDto })
  @ApiConflictResponse({
    description: 'NetworkMemberOwnsActions (invariant 10), NetworkMemberAlreadyRemoved',
  })
  async removeNetworkMember(
    @Param('id', ParseIdPipe) id: string,
    @Param('networkMemberId', ParseIdPipe) networkMemberId: string,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run({ type: 'RemoveNetworkMember', householdId: id, networkMemberId }, ctx);
    return answer(written, { householdId: id, networkMemberId, removed: true });
  }

  @Post('volunteer-assignments')
  @Roles('worker')
  @ApiOperation({
    operationId: 'assignVolunteer',
    summary: 'Assign a volunteer to the household, optionally to one action',
    description:
      'Invariant 12: the volunteer is active; where the household has minors, their VOG is valid on the ' +
      'assignment date; their assigned hours across all households stay within their hours a week. The hours ' +
      "are held in the volunteer's own stream first, so concurrent assignments cannot over-commit them.",
  })
  @ApiCreatedResponse({ type: VolunteerAssignmentWrittenDto })
  @ApiConflictResponse({
    description: 'VolunteerNotActive, VogRequired, VolunteerHoursExceeded (invariant 12)',
  })
  async assign(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: AssignVolunteerDto,
    @Write() ctx: WriteContext,
  ) {
    const assignmentId = dto.assignmentId ?? newId(ctx, 'assignmentId');
    const written = await this.run(
      {
        type: 'AssignVolunteer',
        householdId: id,
        assignmentId,
        volunteerId: dto.volunteerId,
        actionId: dto.actionId,
        hoursPerWeek: dto.hoursPerWeek,
      },
      ctx,
    );
    return answer(written, { householdId: id, assignmentId, status: 'open' });
  }

  @Post('volunteer-assignments/:assignmentId/end')
  @HttpCode(200)
  @Roles('worker')
  @ApiOperation({
    operationId: 'endVolunteerAssignment',
    summary: 'End a volunteer assignment with a reason; its hours become available again',
  })
  @ApiOkResponse({ type: VolunteerAssignmentWrittenDto })
  async endAssignment(
    @Param('id', ParseIdPipe) id: string,
    @Param('assignmentId', ParseIdPipe) assignmentId: string,
    @Body() dto: ReasonDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'EndVolunteerAssignment', householdId: id, assignmentId, reason: dto.reason },
      ctx,
    );
    return answer(written, { householdId: id, assignmentId, status: 'ended' });
  }

  @Get('volunteer-assignments')
  @Roles('worker')
  @ApiOperation({
    operationId: 'listHouseholdVolunteerAssignments',
    summary: "The household's volunteer assignments with hours (read model)",
  })
  @ApiPaged(PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX)
  @ApiOkResponse({
    type: HouseholdAssignmentsPageDto,
    description:
      '{ householdId, assignments[], total, next, openAssignments, assignedHoursPerWeek }: open ones first; the counts and hours cover all of them',
  })
  async listAssignments(
    @Param('id', ParseIdPipe) id: string,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const paging = pageQuery(query, PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX);
    await this.households.view(id, principal);
    await this.readModels.caughtUp();
    const all = await this.assignments.forHousehold(id);
    const page = pageOf(all.assignments, (a) => a.assignmentId, paging);
    return { ...all, assignments: page.items, total: page.total, next: page.next };
  }

  @Post('referrals')
  @Roles('worker')
  @ApiOperation({
    operationId: 'requestReferral',
    summary: 'Refer the household to an organisation of the social map',
    description: 'A referral never moves regie; an open referral can own actions (invariant 10).',
  })
  @ApiCreatedResponse({ type: ReferralWrittenDto })
  async requestReferral(
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: RequestReferralDto,
    @Write() ctx: WriteContext,
  ) {
    const referralId = dto.referralId ?? newId(ctx, 'referralId');
    const written = await this.run(
      {
        type: 'RequestReferral',
        householdId: id,
        referralId,
        organisationId: dto.organisationId,
        lifeDomain: dto.lifeDomain,
        note: dto.note,
        legalGround: dto.legalGround,
      },
      ctx,
    );
    return answer(written, { householdId: id, referralId, status: 'requested' });
  }

  @Post('referrals/:referralId/accept')
  @HttpCode(200)
  @Roles('worker', 'professional')
  @ApiOperation({
    operationId: 'acceptReferral',
    summary: 'Record that the organisation accepted the referral (requested -> accepted)',
  })
  @ApiOkResponse({ type: ReferralWrittenDto })
  @ApiConflictResponse({ description: 'ReferralStatusConflict' })
  async acceptReferral(
    @Param('id', ParseIdPipe) id: string,
    @Param('referralId', ParseIdPipe) referralId: string,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run({ type: 'AcceptReferral', householdId: id, referralId }, ctx);
    return answer(written, { householdId: id, referralId, status: 'accepted' });
  }

  @Post('referrals/:referralId/complete')
  @HttpCode(200)
  @Roles('worker', 'professional')
  @ApiOperation({
    operationId: 'completeReferral',
    summary: 'Record that the organisation completed its part (accepted -> completed)',
  })
  @ApiOkResponse({ type: ReferralWrittenDto })
  @ApiConflictResponse({ description: 'ReferralStatusConflict' })
  async completeReferral(
    @Param('id', ParseIdPipe) id: string,
    @Param('referralId', ParseIdPipe) referralId: string,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run({ type: 'CompleteReferral', householdId: id, referralId }, ctx);
    return answer(written, { householdId: id, referralId, status: 'completed' });
  }

  @Post('referrals/:referralId/withdraw')
  @HttpCode(200)
  @Roles('worker')
  @ApiOperation({
    operationId: 'withdrawReferral',
    summary: 'Withdraw a requested or accepted referral, with a reason',
  })
  @ApiOkResponse({ type: ReferralWrittenDto })
  @ApiConflictResponse({ description: 'ReferralStatusConflict' })
  async withdrawReferral(
    @Param('id', ParseIdPipe) id: string,
    @Param('referralId', ParseIdPipe) referralId: string,
    @Body() dto: ReasonDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'WithdrawReferral', householdId: id, referralId, reason: dto.reason },
      ctx,
    );
    return answer(written, { householdId: id, referralId, status: 'withdrawn' });
  }
}
