import type { SqlExecutor } from '@eenplan/event-store/sql/sql';
import { RegieCause } from './regie-history.projection';

export interface RegieInterval {
  readonly householdId: string;
  readonly holder: { kind: 'household' | 'worker'; id: string; teamId?: string };
  readonly from: string;
  readonly to: string | null;
  readonly cause: RegieCause;
  readonly transferId?: string;
  readonly requestedBy?: string;
  readonly acceptedBy?: string;
  readonly approvedBy?: string;
  readonly agreedBy?: string;
  readonly reason?: string;
  readonly handoverSeconds?: number;
}

interface Row {
  household_id: string;
  holder_kind: 'household' | 'worker';
  holder_id: string;
  holder_team_id: string | null;
  from_at: Date | string;
  to_at: Date | string | null;
  cause: RegieCause;
  transfer_id: string | null;
  requested_by: string | null;
  accepted_by: string | null;
  approved_by: string | null;
  agreed_by: string | null;
  reason: string | null;
  handover_seconds: number | null;
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

const toInterval = (r: Row): RegieInterval => {
  const optional = {
    transferId: r.transfer_id,
    requestedBy: r.requested_by,
    acceptedBy: r.accepted_by,
    approvedBy: r.approved_by,
    agreedBy: r.agreed_by,
    reason: r.reason,
    handoverSeconds: r.handover_seconds === null ? null : Number(r.handover_seconds),
  };
  return {
    householdId: r.household_id,
    holder:
      r.holder_kind === 'worker'
        ? { kind: 'worker', id: r.holder_id, teamId: r.holder_team_id ?? undefined }
        : { kind: 'household', id: r.holder_id },
    from: iso(r.from_at),
    to: r.to_at === null ? null : iso(r.to_at),
    cause: r.cause,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null)),
  };
};

const COLUMNS = `household_id, holder_kind, holder_id, holder_team_id, from_at, to_at, cause, transfer_id,
  requested_by, accepted_by, approved_by, agreed_by, reason, handover_seconds`;

export class RegieHistoryQueries {
  constructor(private readonly db: SqlExecutor) {}

  async history(householdId: string): Promise<RegieInterval[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM regie_intervals WHERE household_id = $1 ORDER BY seq`,
      [householdId],
    );
    return rows.map(toInterval);
  }

  /** Who held regie at `at`: the interval with from <= at < to. Undefined before registration. */
  async holderAt(householdId: string, at: string): Promise<RegieInterval | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM regie_intervals
        WHERE household_id = $1 AND from_at <= $2 AND (to_at IS NULL OR to_at > $2)
        ORDER BY seq DESC LIMIT 1`,
      [householdId, at],
    );
    return rows[0] ? toInterval(rows[0]) : undefined;
  }

  /**
   * Handoffs (every interval after the first) that began in [from, to), optionally those where a
   * worker gave, received, requested, accepted or approved.
   */
  async handoffs(filter: {
    from?: string;
    to?: string;
    workerId?: string;
    teamId?: string;
  }): Promise<(RegieInterval & { previousHolder: RegieInterval['holder'] })[]> {
    const { rows } = await this.db.query<
      Row & { prev_kind: 'household' | 'worker'; prev_id: string; prev_team_id: string | null }
    >(
      `SELECT ${COLUMNS.split(',')
        .map((c) => 'cur.' + c.trim())
        .join(', ')},
              prev.holder_kind AS prev_kind, prev.holder_id AS prev_id, prev.holder_team_id AS prev_team_id
         FROM regie_intervals cur
         JOIN regie_intervals prev ON prev.household_id = cur.household_id AND prev.seq = cur.seq - 1
        WHERE ($1::timestamptz IS NULL OR cur.from_at >= $1::timestamptz)
          AND ($2::timestamptz IS NULL OR cur.from_at < $2::timestamptz)
          AND ($3::text IS NULL OR $3::text IN (cur.holder_id, prev.holder_id, cur.requested_by, cur.accepted_by, cur.approved_by))
          AND ($4::text IS NULL OR $4::text IN (cur.holder_team_id, prev.holder_team_id))
        ORDER BY cur.from_at, cur.household_id, cur.seq`,
      [filter.from ?? null, filter.to ?? null, filter.workerId ?? null, filter.teamId ?? null],
    );
    return rows.map((r) => ({
      ...toInterval(r),
      previousHolder:
        r.prev_kind === 'worker'
          ? { kind: 'worker' as const, id: r.prev_id, teamId: r.prev_team_id ?? undefined }
          : { kind: 'household' as const, id: r.prev_id },
    }));
  }
}
