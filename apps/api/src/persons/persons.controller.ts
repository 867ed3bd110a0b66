import { accessEntryForResident } from '../privacy/access-entry-for-resident';
import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccessLog, type Principal } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { HouseholdAccess } from '../common/household-access';
import { notFoundProblem } from '../common/problem';
import { CLOCK, type Clock } from '../common/tokens';
import { ParseIdPipe } from '../common/validation';
import { personExport } from './person-export';
import { PersonExportDto } from './persons-answer.dto';

/** Access log entries the export carries; more are read at the route it names. */
const EXPORT_ACCESS_ENTRIES = 1000;

/** The rights of one person in the household (AVG): access to their own data (art. 15). */
@ApiTags('households: persons')
@ApiBearerAuth()
@Controller('v1/households/:id/members/:memberId')
export class PersonsController {
  constructor(
    private readonly households: HouseholdAccess,
    private readonly accessLog: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('export')
  @Roles('worker', 'admin', 'resident')
  @ApiOperation({
    operationId: 'exportPerson',
    summary: 'Everything held about one person, and nothing about others (AVG art. 15), in Dutch',
  })
  @ApiOkResponse({
    type: PersonExportDto,
    description:
      'JSON with Dutch labels, as a download (Content-Disposition: attachment); for the household\u2019s workers and admins, and a resident for their own member id',
  })
  async export(
    @Param('id', ParseIdPipe) id: string,
    @Param('memberId', ParseIdPipe) memberId: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.households.view(id, principal, { admin: true, resident: true });
    // A resident downloads their own data only: another member's is as absent as a member that is
    // not there. A minor's data is asked of the team by a holder of parental authority (docs/RESIDENTS.md).
    const resident = principal.roles.includes('resident');
    const someoneElse = resident && principal.member !== memberId;
    if (someoneElse || !view.state.members[memberId])
      throw notFoundProblem('MemberNotFound', `household ${id} has no member ${memberId}`);
    const page = await this.accessLog.find({ householdId: id, limit: EXPORT_ACCESS_ENTRIES });
    res.setHeader('Content-Disposition', `attachment; filename="inzage-${id}-${memberId}.json"`);
    return personExport({
      householdId: id,
      memberId,
      events: await view.events(),
      state: view.state,
      name: view.fold.memberNames[memberId] ?? null,
      madeAt: this.clock.now().toISOString(),
      accessLog: {
        entries: page.entries.map((e) => {
          // A resident's own copy names workers and themselves by id, anyone else by a label only.
          const who = resident ? accessEntryForResident(e, principal.sub) : undefined;
          return {
            op: e.at,
            door: who ? who.actorId : e.actorId,
            ...(who ? { wie: who.actorLabel } : {}),
            rollen: e.actorRoles,
            namens: who ? who.onBehalfOf : e.onBehalfOf,
            handeling: who ? who.action : e.action,
            uitkomst: e.outcome,
            doel: e.purpose,
          };
        }),
        meer: page.next === null ? null : `/v1/households/${id}/access-log?cursor=${page.next}`,
      },
    });
  }
}
