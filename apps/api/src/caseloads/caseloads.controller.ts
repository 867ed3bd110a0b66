import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseloadQueries, PlanEvaluationsQueries, WorkersQueries } from '@eenplan/projections';
import { dateInNl } from '@eenplan/domain';
import type { AppConfig } from '@eenplan/runtime';
import { APP_CONFIG, CLOCK, Clock } from '../common/tokens';
import { isTeamLeadOf, Principal } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { forbiddenProblem, notFoundProblem } from '../common/problem';
import { ParseIdPipe } from '../common/validation';
import { ReadModelSync } from '../common/read-models';
import { ApiPaged, keysetPage, keysetQuery } from '../common/paging';
import {
  OrganisationCaseloadPageDto,
  TeamCaseloadPageDto,
  WorkerCaseloadPageDto,
} from './caseloads.pages.dto';

/** A page of a caseload's households: each is a few hundred bytes. */
export const CASELOAD_PAGE = { fallback: 100, max: 500 } as const;

@ApiTags('caseloads')
@ApiBearerAuth()
@Controller('v1/caseloads')
export class CaseloadsController {
  constructor(
    private readonly caseloads: CaseloadQueries,
    private readonly workers: WorkersQueries,
    private readonly readModels: ReadModelSync,
    private readonly evaluations: PlanEvaluationsQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Issue 19: each household of a page with its plan's evaluation and its persons' ZRM
   * re-assessments (separate from the caseload's own columns).
   */
  private async withPlanEvaluation<H extends { householdId: string }>(households: readonly H[]) {
    const today = dateInNl(this.clock.now().toISOString());
    const ids = households.map((h) => h.householdId);
    const [status, reassessments] = await Promise.all([
      this.evaluations.forHouseholds(ids, today),
      this.evaluations.reassessmentsFor(ids, today, this.config.planCycle.reassessmentAfterMonths),
    ]);
    return households.map((h) => ({
      ...h,
      planEvaluation: status.get(h.householdId) ?? null,
      reassessments: reassessments.get(h.householdId) ?? [],
    }));
  }

  @ApiOperation({
    operationId: 'getWorkerCaseload',
    summary: "The worker's households, their role in each, and counts",
  })
  @Get('workers/:workerId')
  @Roles('worker')
  @ApiPaged(CASELOAD_PAGE.fallback, CASELOAD_PAGE.max)
  @ApiOkResponse({
    type: WorkerCaseloadPageDto,
    description:
      "households with the worker's role in each (regie holder, pending receiver, action owner), paged in household " +
      'id order, and counts over all of them',
  })
  async forWorker(
    @Param('workerId', ParseIdPipe) workerId: string,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WorkerCaseloadPageDto> {
    const { limit, after } = keysetQuery(
      query,
      CASELOAD_PAGE.fallback,
      CASELOAD_PAGE.max,
      ['id'],
      `worker-caseload:${workerId}`,
    );
    await this.readModels.caughtUp();
    const worker = await this.workers.find(workerId);
    if (!worker) throw notFoundProblem('WorkerNotFound', `no team has registered worker ${workerId}`);
    if (principal.sub !== workerId && !isTeamLeadOf(principal, worker.teamId)) {
      throw forbiddenProblem("a caseload is seen by the worker and their team's lead");
    }
    const caseload = await this.caseloads.forWorker(workerId, {
      limit: limit + 1,
      afterHouseholdId: after?.[0] as string | undefined,
    });
    const page = keysetPage(
      caseload.households,
      limit,
      (h) => [h.householdId],
      `worker-caseload:${workerId}`,
    );
    const { norm, ...rest } = await this.caseloads.normForWorker(caseload, worker.teamId);
    return {
      ...rest,
      households: await this.withPlanEvaluation(page.items),
      norm: norm!,
      teamId: worker.teamId,
      next: page.next,
    };
  }

  @ApiOperation({
    operationId: 'getTeamCaseload',
    summary: "The team's caseloads per worker against its caseload norm",
  })
  @Get('teams/:teamId')
  @Roles('team-lead')
  @ApiPaged(CASELOAD_PAGE.fallback, CASELOAD_PAGE.max)
  @ApiOkResponse({
    type: TeamCaseloadPageDto,
    description:
      "the team's households (paged in household id order) with pending transfers, every worker's counts, and " +
      'counts over all the households',
  })
  async forTeam(
    @Param('teamId', ParseIdPipe) teamId: string,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TeamCaseloadPageDto> {
    const { limit, after } = keysetQuery(
      query,
      CASELOAD_PAGE.fallback,
      CASELOAD_PAGE.max,
      ['id'],
      `team-caseload:${teamId}`,
    );
    if (!isTeamLeadOf(principal, teamId))
      throw forbiddenProblem(`only a team lead of team ${teamId} sees its caseload`);
    await this.readModels.caughtUp();
    const caseload = await this.caseloads.forTeam(teamId, {
      limit: limit + 1,
      afterHouseholdId: after?.[0] as string | undefined,
    });
    const page = keysetPage(caseload.households, limit, (h) => [h.householdId], `team-caseload:${teamId}`);
    return { ...caseload, households: await this.withPlanEvaluation(page.items), next: page.next };
  }

  @ApiOperation({
    operationId: 'getOrganisationCaseload',
    summary:
      "An organisation's caseload (issue 19): households where its professional holds regie or a referral to it is open",
  })
  @Get('organisations/:organisationId')
  @Roles('professional')
  @ApiPaged(CASELOAD_PAGE.fallback, CASELOAD_PAGE.max)
  @ApiOkResponse({ type: OrganisationCaseloadPageDto, description: 'one page, in household id order' })
  async forOrganisation(
    @Param('organisationId', ParseIdPipe) organisationId: string,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OrganisationCaseloadPageDto> {
    const { limit, after } = keysetQuery(
      query,
      CASELOAD_PAGE.fallback,
      CASELOAD_PAGE.max,
      ['id'],
      `organisation-caseload:${organisationId}`,
    );
    // The registry admitted the professional for the organisation their token names: only that one.
    if (principal.organisation !== organisationId)
      throw forbiddenProblem(`only professionals of organisation ${organisationId} see its caseload`);
    await this.readModels.caughtUp();
    const rows = await this.caseloads.forOrganisation(organisationId, {
      limit: limit + 1,
      afterHouseholdId: after?.[0] as string | undefined,
    });
    const page = keysetPage(rows, limit, (h) => [h.householdId], `organisation-caseload:${organisationId}`);
    return { organisationId, households: page.items, next: page.next };
  }
}
