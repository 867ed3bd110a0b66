import type { SqlExecutor } from '@eenplan/event-store/sql/sql';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { RegieCause, SafetyTakeoverConfirmation } from './regie-history.projection';

/** A worker names their team, a professional (issue 19) their organisation. */
type Holder = {
  kind: 'household' | 'worker' | 'professional';
  id: string;
  teamId?: string;
  organisationId?: string;
};
type HolderKind = Holder['kind'];

/** The holder as its row has it: holder_team_id is a worker's team or a professional's organisation. */
const holderOf = (kind: HolderKind, id: string, unit: string | null): Holder =>
  kind === 'worker'
    ? { kind, id, teamId: unit ?? undefined }
    : kind === 'professional'
      ? { kind, id, organisationId: unit ?? undefined }
      : { kind: 'household', id };

export interface RegieInterval {
  readonly householdId: string;
  readonly holder: Holder;
  readonly from: string;
  readonly to: string | null;
  readonly cause: RegieCause;
  readonly transferId?: string;
  readonly requestedBy?: string;
  readonly acceptedBy?: string;
  /** The team lead who confirmed a safety takeover; only from their confirmation on. */
  readonly approvedBy?: string;
  readonly agreedBy?: string;
  /** Read from the household's events at query time: absent after an erasure. */
  readonly reason?: string;
  readonly handoverSeconds?: number;
  /** A break-glass takeover's id, on its own interval and on the change of hands back after its rejection. */
  readonly takeoverId?: string;
  readonly confirmation?: SafetyTakeoverConfirmation;
  readonly confirmedAt?: string;
  readonly rejectedBy?: string;
  readonly rejectedAt?: string;
  readonly rejectionReason?: string;
  /** Awaiting confirmation for longer than the configured hours (only while it awaits). */
  readonly confirmationOverdue?: boolean;
}

export interface UnconfirmedTakeover {
  readonly householdId: string;
  readonly takeoverId: string;
  /** The household's team, whose team leads confirm or reject. */
  readonly teamId: string;
  readonly takenBy: string;
  readonly takenAt: string;
  /** Who held regie before: where a rejection gives it back. */
  readonly previousHolder: Holder;
  /** When the sweep announced it (SafetyTakeoverConfirmationOverdue), if it did yet. */
  readonly announcedAt?: string;
}

/** Where the next page of unconfirmed takeovers starts: after this one, in (takenAt, householdId, takeoverId) order. */
export interface TakeoverCursor {
  readonly takenAt: string;
  readonly householdId: string;
  readonly takeoverId: string;
}

/** Where the next page of handoffs starts: after this one, in (from, householdId, seq) order. */
export interface HandoffCursor {
  readonly from: string;
  readonly householdId: string;
  readonly seq: number;
}

/** Reads the reasons the read model refers to; the app's store, which decrypts (and reads erased parts as null). */
export type ReasonSource = Pick<EventStore, 'readStream'>;

interface Row {
  household_id: string;
  holder_kind: HolderKind;
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
  reason_version: number | null;
  handover_seconds: number | null;
  takeover_id: string | null;
  confirmation: SafetyTakeoverConfirmation | null;
  decided_at: Date | string | null;
  rejected_by: string | null;
  rejection_reason_version: number | null;
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

/** Reasons of one household by the stream version of the event that holds them. */
type Reasons = ReadonlyMap<number, string>;

const toInterval = (r: Row, reasons: Reasons, overdueBefore: number | null): RegieInterval => {
  const decidedAt = r.decided_at === null ? null : iso(r.decided_at);
  const awaiting = r.confirmation === 'awaiting-confirmation';
  const optional = {
    transferId: r.transfer_id,
    requestedBy: r.requested_by,
    acceptedBy: r.accepted_by,
    approvedBy: r.approved_by,
    agreedBy: r.agreed_by,
    reason: r.reason_version === null ? null : reasons.get(Number(r.reason_version)),
    handoverSeconds: r.handover_seconds === null ? null : Number(r.handover_seconds),
    takeoverId: r.takeover_id,
    confirmation: r.confirmation,
    confirmedAt: r.confirmation === 'confirmed' ? decidedAt : null,
    rejectedBy: r.rejected_by,
    rejectedAt: r.confirmation === 'rejected' ? decidedAt : null,
    rejectionReason:
      r.rejection_reason_version === null ? null : reasons.get(Number(r.rejection_reason_version)),
    confirmationOverdue:
      awaiting && overdueBefore !== null ? Date.parse(iso(r.from_at)) <= overdueBefore : null,
  };
  return {
    householdId: r.household_id,
    holder: holderOf(r.holder_kind, r.holder_id, r.holder_team_id),
    from: iso(r.from_at),
    to: r.to_at === null ? null : iso(r.to_at),
    cause: r.cause,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null && v !== undefined)),
  };
};

const COLUMNS = `household_id, holder_kind, holder_id, holder_team_id, from_at, to_at, cause, transfer_id,
  requested_by, accepted_by, approved_by, agreed_by, reason_version, handover_seconds, takeover_id, confirmation,
  decided_at, rejected_by, rejection_reason_version`;

/** How many households' streams the handoff report reads at once. */
const READ_CONCURRENCY = 4;

export interface HistoryOptions {
  /** Takeovers awaiting confirmation that began at or before this instant are marked overdue. */
  readonly overdueBefore?: string;
}

export class RegieHistoryQueries {
  constructor(
    private readonly db: SqlExecutor,
    private readonly events: ReasonSource,
  ) {}

  /**
   * The household's intervals in order; with `page`, at most `limit` of them after the one numbered
   * `afterSeq` (keyset on the interval's number, which only grows: a new handoff comes last).
   */
  async history(
    householdId: string,
    options: HistoryOptions = {},
    page?: { limit: number; afterSeq?: number },
  ): Promise<(RegieInterval & { seq: number })[]> {
    const { rows } = await this.db.query<Row & { seq: number | string }>(
      `SELECT seq, ${COLUMNS} FROM regie_intervals
        WHERE household_id = $1 AND ($2::integer IS NULL OR seq > $2::integer)
        ORDER BY seq LIMIT $3`,
      [householdId, page?.afterSeq ?? null, page?.limit ?? null],
    );
    const reasons = await this.reasonsOf(householdId, rows);
    const overdueBefore = options.overdueBefore ? Date.parse(options.overdueBefore) : null;
    return rows.map((r) => ({ ...toInterval(r, reasons, overdueBefore), seq: Number(r.seq) }));
  }

  /** Who held regie at `at`: the interval with from <= at < to. Undefined before registration. */
  async holderAt(householdId: string, at: string): Promise<RegieInterval | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM regie_intervals
        WHERE household_id = $1 AND from_at <= $2 AND (to_at IS NULL OR to_at > $2)
        ORDER BY seq DESC LIMIT 1`,
      [householdId, at],
    );
    // Only who and since are asked here: no reasons read.
    return rows[0] ? toInterval(rows[0], new Map(), null) : undefined;
  }

  /**
   * Handoffs (every interval after the first) that began in [from, to), optionally those where a
   * worker gave, received, requested, accepted, approved or rejected; with `page`, at most `limit`
   * of them after `after` in (from, householdId, seq) order, a key no later change of a row moves.
   */
  async handoffs(
    filter: {
      from?: string;
      to?: string;
      workerId?: string;
      teamId?: string;
    },
    options: HistoryOptions = {},
    page?: { limit: number; after?: HandoffCursor },
  ): Promise<(RegieInterval & { previousHolder: RegieInterval['holder']; seq: number })[]> {
    const { rows } = await this.db.query<
      Row & {
        seq: number | string;
        prev_kind: HolderKind;
        prev_id: string;
        prev_team_id: string | null;
      }
    >(
      `SELECT cur.seq, ${COLUMNS.split(',')
        .map((c) => 'cur.' + c.trim())
        .join(', ')},
              prev.holder_kind AS prev_kind, prev.holder_id AS prev_id, prev.holder_team_id AS prev_team_id
         FROM regie_intervals cur
         JOIN regie_intervals prev ON prev.household_id = cur.household_id AND prev.seq = cur.seq - 1
        WHERE ($1::timestamptz IS NULL OR cur.from_at >= $1::timestamptz)
          AND ($2::timestamptz IS NULL OR cur.from_at < $2::timestamptz)
          AND ($3::text IS NULL OR $3::text IN (cur.holder_id, prev.holder_id, cur.requested_by, cur.accepted_by,
                                                cur.approved_by, cur.rejected_by))
          AND ($4::text IS NULL OR (cur.holder_kind = 'worker' AND cur.holder_team_id = $4::text)
                                OR (prev.holder_kind = 'worker' AND prev.holder_team_id = $4::text))
          AND ($5::timestamptz IS NULL
               OR (cur.from_at, cur.household_id, cur.seq) > ($5::timestamptz, $6::text, $7::integer))
        ORDER BY cur.from_at, cur.household_id, cur.seq
        LIMIT $8`,
      [
        filter.from ?? null,
        filter.to ?? null,
        filter.workerId ?? null,
        filter.teamId ?? null,
        page?.after?.from ?? null,
        page?.after?.householdId ?? null,
        page?.after?.seq ?? null,
        page?.limit ?? null,
      ],
    );
    // Each household's stream once for the whole report, however many of its rows it has.
    const byHousehold = new Map<string, Row[]>();
    for (const r of rows) byHousehold.set(r.household_id, [...(byHousehold.get(r.household_id) ?? []), r]);
    const reasons = new Map<string, Reasons>();
    const households = [...byHousehold.keys()];
    const next = async (): Promise<void> => {
      const householdId = households.pop();
      if (householdId === undefined) return;
      reasons.set(householdId, await this.reasonsOf(householdId, byHousehold.get(householdId)!));
      return next();
    };
    await Promise.all(Array.from({ length: READ_CONCURRENCY }, next));
    const overdueBefore = options.overdueBefore ? Date.parse(options.overdueBefore) : null;
    return rows.map((r) => ({
      ...toInterval(r, reasons.get(r.household_id)!, overdueBefore),
      seq: Number(r.seq),
      previousHolder: holderOf(r.prev_kind, r.prev_id, r.prev_team_id),
    }));
  }

  /**
   * Break-glass takeovers no team lead confirmed or rejected, taken at or before `takenBefore`, of
   * the given teams (all when `teamIds` is undefined); `limit` of them after `after`.
   */
  async unconfirmedTakeovers(query: {
    takenBefore: string;
    teamIds?: readonly string[];
    limit: number;
    after?: TakeoverCursor;
  }): Promise<UnconfirmedTakeover[]> {
    const { rows } = await this.db.query<{
      household_id: string;
      takeover_id: string;
      team_id: string;
      taken_by: string;
      taken_at: Date | string;
      from_kind: 'household' | 'worker';
      from_id: string;
      announced_at: Date | string | null;
    }>(
      `SELECT household_id, takeover_id, team_id, taken_by, taken_at, from_kind, from_id, announced_at
         FROM regie_safety_takeovers
        WHERE taken_at <= $1::timestamptz
          AND ($2::text IS NULL OR team_id IN (SELECT jsonb_array_elements_text($2::text::jsonb)))
          AND ($3::timestamptz IS NULL OR (taken_at, household_id, takeover_id) > ($3::timestamptz, $4::text, $5::text))
        ORDER BY taken_at, household_id, takeover_id
        LIMIT $6`,
      [
        query.takenBefore,
        query.teamIds === undefined ? null : JSON.stringify(query.teamIds),
        query.after?.takenAt ?? null,
        query.after?.householdId ?? null,
        query.after?.takeoverId ?? null,
        query.limit,
      ],
    );
    return rows.map((r) => ({
      householdId: r.household_id,
      takeoverId: r.takeover_id,
      teamId: r.team_id,
      takenBy: r.taken_by,
      takenAt: iso(r.taken_at),
      previousHolder: { kind: r.from_kind, id: r.from_id },
      ...(r.announced_at === null ? {} : { announcedAt: iso(r.announced_at) }),
    }));
  }

  /** Households with a takeover unconfirmed since `takenBefore` or longer that the sweep has not announced. */
  async takeoversAwaitingAnnouncement(takenBefore: string): Promise<string[]> {
    const { rows } = await this.db.query<{ household_id: string }>(
      `SELECT DISTINCT household_id FROM regie_safety_takeovers
        WHERE announced_at IS NULL AND taken_at <= $1::timestamptz ORDER BY household_id`,
      [takenBefore],
    );
    return rows.map((r) => r.household_id);
  }

  /** The reasons `rows` refer to, from one read of the household's stream (from the oldest one on). */
  private async reasonsOf(householdId: string, rows: readonly Row[]): Promise<Reasons> {
    const wanted = new Set<number>();
    for (const r of rows) {
      if (r.reason_version !== null) wanted.add(Number(r.reason_version));
      if (r.rejection_reason_version !== null) wanted.add(Number(r.rejection_reason_version));
    }
    const reasons = new Map<number, string>();
    if (wanted.size === 0) return reasons;
    const events = await this.events.readStream(`household-${householdId}`, Math.min(...wanted));
    for (const e of events) {
      const reason = e.personal?.reason;
      if (wanted.has(e.streamVersion) && typeof reason === 'string') reasons.set(e.streamVersion, reason);
    }
    return reasons;
  }
}
