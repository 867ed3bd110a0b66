import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@eenplan/security';
import { formatRetentionPeriod, RetentionRuns, RetentionSweep, type AppConfig } from '@eenplan/runtime';
import { CurrentPrincipal, Roles } from '../common/auth';
import { ApiPaged, keysetPage, keysetQuery } from '../common/paging';
import { ReadModelSync } from '../common/read-models';
import { APP_CONFIG } from '../common/tokens';
import {
  RetentionPolicyDto,
  RetentionRunDto,
  RetentionRunsPageDto,
  RetentionSweepRequestDto,
} from './retention.dto';

/** A page of retention runs: each lists the ids it erased, so a few kB at most. */
export const RETENTION_RUNS_PAGE = { fallback: 20, max: 100 } as const;

/**
 * Retention (issue 18): the periods in force, the sweep on demand (dry or real), and every run's
 * report for auditors. The sweep itself: libs/runtime RetentionSweep.
 */
@ApiTags('privacy and audit')
@ApiBearerAuth()
@Controller('v1/retention')
export class RetentionController {
  constructor(
    private readonly sweep: RetentionSweep,
    private readonly runs: RetentionRuns,
    private readonly readModels: ReadModelSync,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @ApiOperation({
    operationId: 'runRetentionSweep',
    summary: 'Run the retention sweep now, or dry (it also runs daily on a timer)',
  })
  @Post('sweep')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({
    type: RetentionRunDto,
    description:
      'erases, by crypto-shredding and as the system, every household whose plan closed longer ago than its period (dryRun false), ' +
      'or lists them and changes nothing (dryRun true); either way the run is recorded (GET /v1/retention/runs)',
  })
  async runSweep(
    @Body() dto: RetentionSweepRequestDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RetentionRunDto> {
    await this.readModels.caughtUp();
    return (await this.sweep.run({ dryRun: dto.dryRun, requestedBy: principal.sub })) as RetentionRunDto;
  }

  @ApiOperation({
    operationId: 'listRetentionRuns',
    summary: "The retention sweep's runs, dry and real, newest first",
  })
  @Get('runs')
  @Roles('auditor', 'admin')
  @ApiPaged(RETENTION_RUNS_PAGE.fallback, RETENTION_RUNS_PAGE.max)
  @ApiOkResponse({
    type: RetentionRunsPageDto,
    description:
      'per run: when, dry or real, who asked (timer or an administrator), per kind the period and the pseudonymous ids erased (or that would be); no names',
  })
  async listRuns(@Query() query: Record<string, unknown>): Promise<RetentionRunsPageDto> {
    const { limit, after } = keysetQuery(
      query,
      RETENTION_RUNS_PAGE.fallback,
      RETENTION_RUNS_PAGE.max,
      ['int'],
      'retention-runs',
    );
    const rows = await this.runs.page(limit + 1, after?.[0] as number | undefined);
    const page = keysetPage(rows, limit, (r) => [r.seq], 'retention-runs');
    return {
      runs: page.items.map(({ seq: _seq, ...run }) => run as RetentionRunDto),
      next: page.next,
    };
  }

  @ApiOperation({
    operationId: 'getRetentionPolicy',
    summary: 'The retention periods in force and their legal sources',
  })
  @Get('policy')
  @Roles('auditor', 'admin')
  @ApiOkResponse({ type: RetentionPolicyDto })
  policy(): RetentionPolicyDto {
    return {
      kinds: this.config.retention.policies.map((p) => ({
        kind: p.kind,
        period: formatRetentionPeriod(p.period),
        defaultPeriod: formatRetentionPeriod(p.defaultPeriod),
        setting: p.setting,
        source: p.source,
        from: p.from,
        enforced: p.enforced,
      })),
      sweepEveryMs: this.config.retention.sweepMs,
    };
  }
}
