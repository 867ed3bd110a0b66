import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthorityHolderInput } from '@eenplan/domain';
import { Roles } from '../common/auth';
import { ParseIdPipe } from '../common/validation';
import { answer } from '../common/write-response';
import { Write, WriteContext, newId } from '../common/write-context';
import { ExecuteHouseholdCommand, HouseholdIntent } from './household.handler';
import {
  AddMemberDto,
  AuthoritySetDto,
  LeaveMemberDto,
  MemberJoinedDto,
  MemberLeftDto,
  SetAuthorityDto,
} from './members.dto';

/**
 * Members over time (issue 18): who joins and leaves the household, and who holds parental
 * authority over a minor. They belong to the household, not to its plan: recorded also while the
 * plan is closed. GET /v1/households/:id shows them.
 */
@ApiTags('households')
@ApiBearerAuth()
@Controller('v1/households')
export class MembersController {
  constructor(private readonly commands: CommandBus) {}

  private run(intent: HouseholdIntent, ctx: WriteContext) {
    return this.commands.execute(new ExecuteHouseholdCommand(intent, ctx));
  }

  @ApiOperation({
    operationId: 'addMember',
    summary: 'Record that someone joined the household: born into it or moved in',
  })
  @Post(':id/members')
  @Roles('worker')
  @ApiCreatedResponse({ type: MemberJoinedDto })
  async add(@Param('id', ParseIdPipe) id: string, @Body() dto: AddMemberDto, @Write() ctx: WriteContext) {
    const memberId = dto.memberId ?? newId(ctx, 'memberId');
    const written = await this.run(
      {
        type: 'AddMember',
        householdId: id,
        memberId,
        role: dto.role,
        birthYear: dto.birthYear,
        ...(dto.birthMonth !== undefined ? { birthMonth: dto.birthMonth } : {}),
        name: dto.name,
        reason: dto.reason,
        on: dto.on,
      },
      ctx,
    );
    return answer(written, { householdId: id, memberId, reason: dto.reason, on: dto.on });
  }

  @ApiOperation({
    operationId: 'leaveMember',
    summary: 'Record that a member left the household (moved out, died); they stay listed with the date',
  })
  @Post(':id/members/:memberId/leave')
  @HttpCode(200)
  @Roles('worker')
  @ApiOkResponse({ type: MemberLeftDto })
  async leave(
    @Param('id', ParseIdPipe) id: string,
    @Param('memberId', ParseIdPipe) memberId: string,
    @Body() dto: LeaveMemberDto,
    @Write() ctx: WriteContext,
  ) {
    const written = await this.run(
      { type: 'LeaveMember', householdId: id, memberId, reason: dto.reason, on: dto.on },
      ctx,
    );
    return answer(written, { householdId: id, memberId, reason: dto.reason, on: dto.on });
  }

  @ApiOperation({
    operationId: 'setAuthority',
    summary:
      'Record who holds parental authority (gezag) over a minor member: one or two adults, inside or outside the household',
  })
  @Put(':id/members/:memberId/authority')
  @Roles('worker')
  @ApiOkResponse({ type: AuthoritySetDto })
  async setAuthority(
    @Param('id', ParseIdPipe) id: string,
    @Param('memberId', ParseIdPipe) memberId: string,
    @Body() dto: SetAuthorityDto,
    @Write() ctx: WriteContext,
  ) {
    const holders: AuthorityHolderInput[] = dto.holders.map((h) =>
      h.memberId !== undefined
        ? { kind: 'member', memberId: h.memberId }
        : { kind: 'external', holderId: h.holderId!, name: h.name! },
    );
    const written = await this.run({ type: 'SetAuthority', householdId: id, memberId, holders }, ctx);
    return answer(written, {
      householdId: id,
      memberId,
      holders: holders.map((h) =>
        h.kind === 'member' ? { kind: h.kind, memberId: h.memberId } : { kind: h.kind, holderId: h.holderId },
      ),
    });
  }
}
