import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ownActions } from '@eenplan/domain';
import type { Principal } from '@eenplan/security';
import { actorOf } from '../../common/actor';
import { CurrentPrincipal, Roles } from '../../common/auth';
import { HouseholdAccess } from '../../common/household-access';
import { ParseIdPipe } from '../../common/validation';
import { MyActionDto, MyActionsDto } from './circle.dto';

/**
 * The household as its network members and volunteers see it (issue 20): the actions they own,
 * and a volunteer's assignments there. Data minimisation: the text of their own actions and the
 * life domain they serve, never the goals' texts, the members, notes or anyone else's actions.
 */
@ApiTags('households')
@ApiBearerAuth()
@Controller('v1/households')
export class CircleController {
  constructor(private readonly households: HouseholdAccess) {}

  @ApiOperation({
    operationId: 'listMyActions',
    summary:
      "A network member's or volunteer's own actions in the household (and a volunteer's assignments there)",
  })
  @Get(':id/my-actions')
  @Roles('network-member', 'volunteer')
  @ApiOkResponse({ type: MyActionsDto })
  async myActions(
    @Param('id', ParseIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MyActionsDto> {
    const view = await this.households.circleView(id, principal);
    const { state, texts } = view.fold;
    const actions = ownActions(actorOf(principal), state);
    // When each was completed: only the events hold it, read only when there is one to show.
    const completedAt = new Map<string, string>();
    if (actions.some((a) => a.completed))
      for (const event of await view.events())
        if (event.type === 'ActionCompleted')
          completedAt.set(String(event.data.actionId), event.metadata.recordedAt);
    const mine: MyActionDto[] = actions.map((a) => {
      const at = completedAt.get(a.actionId);
      return {
        actionId: a.actionId,
        text: texts.actions.get(a.actionId) ?? null,
        lifeDomain: state.goals[a.goalId]!.lifeDomain,
        completed: a.completed,
        ...(a.completed && at !== undefined ? { completedAt: at } : {}),
      };
    });
    const volunteer = principal.roles.includes('volunteer');
    return {
      householdId: id,
      actions: mine,
      ...(volunteer
        ? {
            assignments: Object.values(state.assignments)
              .filter((a) => a.volunteerId === principal.sub)
              .map(({ assignmentId, actionId, hoursPerWeek, assignedAt, status }) => ({
                assignmentId,
                actionId,
                hoursPerWeek,
                assignedAt,
                status,
              })),
          }
        : {}),
      version: view.version,
    };
  }
}
