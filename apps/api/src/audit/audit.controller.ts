import { Controller, Get, Header, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiQuery, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RegieHistoryQueries } from '@eenplan/projections';
import type { Principal } from '@eenplan/security';
import { CurrentPrincipal, Roles } from '../common/auth';
import { ParseIdPipe } from '../common/validation';
import { ReadModelSync } from '../common/read-models';
import { APP_CONFIG, CLOCK, Clock } from '../common/tokens';
import { AppConfig, confirmDeadline } from '@eenplan/runtime';
import { parseInstant } from '../regie/regie.controller';
import { HandoffsPageDto } from '../regie/regie.pages.dto';
import { ApiPaged, keysetPage, keysetQuery } from '../common/paging';
import { HouseholdAccess } from '../common/household-access';
import { WorkerNames } from '../common/worker-names';
import { AuditHouseholdTimelineDto } from './audit-timeline.dto';
import { householdTimelineMarks, idsNamed } from './household-timeline';

const CSV_COLUMNS = [
  'householdId',
  'from',
  'cause',
  'previousHolderKind',
  'previousHolderId',
  'holderKind',
  'holderId',
  'transferId',
  'requestedBy',
  'acceptedBy',
  'approvedBy',
  'agreedBy',
  'handoverSeconds',
  'reason',
  // Break-glass (invariant 6), after the older columns so their positions stay.
  'takeoverId',
  'confirmation',
  'confirmationOverdue',
  'confirmedAt',
  'rejectedBy',
  'rejectedAt',
  'rejectionReason',
  // Issue 19: a professional holder's organisation, after the older columns so their positions stay.
  'previousHolderOrganisationId',
  'holderOrganisationId',
] as const;

/** A page of handoffs: each row is small (one reason and one rejection reason, 2,000 characters each at most). */
export const HANDOFFS_PAGE = { fallback: 100, max: 500 } as const;

/** The same request with `cursor` set to the next page's: what a CSV client follows (RFC 8288). */
const nextUrl = (req: Request, cursor: string) => {
  const url = new URL(req.originalUrl, 'http://host');
  url.searchParams.set('cursor', cursor);
  return `${url.pathname}${url.search}`;
};

/** Quote every field and neutralise leading formula characters, so a spreadsheet never executes a cell. */
const csvCell = (v: unknown) => {
  const s = v === undefined || v === null ? '' : String(v);
  return `"${(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
};

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(
    private readonly history: RegieHistoryQueries,
    private readonly readModels: ReadModelSync,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly households: HouseholdAccess,
    private readonly names: WorkerNames,
  ) {}

  /** The names of these workers, in id order; erased or unknown ones are left out (their id stands alone). */
  private async workerNames(ids: Set<string>) {
    const names = await this.names.names(ids);
    return [...names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, name]) => ({ id, name }));
  }

  @ApiOperation({
    operationId: 'listHandoffs',
    summary: 'Regie handoffs in a period, as JSON or CSV, for auditors',
  })
  @Get('handoffs')
  @Roles('auditor')
  @Header('Vary', 'Accept')
  @ApiProduces('application/json', 'text/csv')
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'workerId', required: false })
  @ApiQuery({ name: 'teamId', required: false })
  @ApiPaged(HANDOFFS_PAGE.fallback, HANDOFFS_PAGE.max)
  @ApiOkResponse({
    type: HandoffsPageDto,
    headers: {
      Link: {
        description: 'CSV only: `<…&cursor=…>; rel="next"` when a next page exists',
        schema: { type: 'string' },
      },
    },
    description:
      'handoffs that began in [from, to): who gave, who received, who requested/accepted/approved, how long it took; ' +
      'a safety takeover with its confirmation (awaiting-confirmation, confirmed, rejected, named-by-taker) and ' +
      'confirmationOverdue when it awaits a team lead longer than SAFETY_CONFIRM_HOURS; its rejection as a ' +
      'handoff of its own (safety-takeover-rejected). Paged in the order they began; as CSV the cursor of the ' +
      'next page comes in a Link header (rel="next"), absent on the last page',
  })
  async handoffs(
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const str = (k: string) =>
      typeof query[k] === 'string' && query[k] !== '' ? (query[k] as string) : undefined;
    const workerId =
      str('workerId') && new ParseIdPipe().transform(str('workerId')!, { type: 'query', data: 'workerId' });
    const teamId =
      str('teamId') && new ParseIdPipe().transform(str('teamId')!, { type: 'query', data: 'teamId' });
    const from = parseInstant(str('from'), 'from');
    const to = parseInstant(str('to'), 'to');
    const { limit, after } = keysetQuery(
      query,
      HANDOFFS_PAGE.fallback,
      HANDOFFS_PAGE.max,
      ['instant', 'id', 'int'],
      'handoffs',
    );
    const overdueBefore = confirmDeadline(this.clock.now(), this.config.safetyConfirmHours);
    await this.readModels.caughtUp();
    const rows = await this.history.handoffs(
      { from, to, workerId, teamId },
      { overdueBefore },
      {
        limit: limit + 1,
        after: after && {
          from: after[0] as string,
          householdId: after[1] as string,
          seq: after[2] as number,
        },
      },
    );
    const page = keysetPage(rows, limit, (r) => [r.from, r.householdId, r.seq], 'handoffs');
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      res.type('text/csv');
      if (page.next !== null) res.setHeader('Link', `<${nextUrl(req, page.next)}>; rel="next"`);
      const lines = page.items.map((r) =>
        [
          r.householdId,
          r.from,
          r.cause,
          r.previousHolder.kind,
          r.previousHolder.id,
          r.holder.kind,
          r.holder.id,
          r.transferId,
          r.requestedBy,
          r.acceptedBy,
          r.approvedBy,
          r.agreedBy,
          r.handoverSeconds,
          r.reason,
          r.takeoverId,
          r.confirmation,
          r.confirmationOverdue,
          r.confirmedAt,
          r.rejectedBy,
          r.rejectedAt,
          r.rejectionReason,
          r.previousHolder.organisationId,
          r.holder.organisationId,
        ]
          .map(csvCell)
          .join(','),
      );
      return [CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
    }
    return {
      handoffs: page.items.map(({ seq: _seq, ...handoff }) => handoff),
      workers: await this.workerNames(idsNamed(page.items)),
      next: page.next,
    };
  }

  @ApiOperation({
    operationId: 'getAuditHouseholdTimeline',
    summary: "What the household's regie timeline draws beside its intervals, for auditors",
  })
  @Get('households/:id/timeline')
  @Roles('auditor')
  @ApiOkResponse({
    type: AuditHouseholdTimelineDto,
    description:
      'every regie transfer request with its pending period [from, to) and outcome (accepted, declined, cancelled, ' +
      'pending), the closures and reopenings of the plan, and the names of the workers named here and in the ' +
      "household's regie history (GET /v1/households/:id/regie/history, which this answer accompanies). Read from " +
      "the household's events; not paged: one household's requests and closures are few",
  })
  async timeline(
    @Param('id', ParseIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AuditHouseholdTimelineDto> {
    const view = await this.households.view(id, principal, { auditor: true });
    const marks = householdTimelineMarks(id, await view.events());
    await this.readModels.caughtUp();
    const intervals = await this.history.history(id);
    return { householdId: id, ...marks, workers: await this.workerNames(idsNamed(intervals, marks)) };
  }
}
