import type { SqlExecutor } from '@eenplan/event-store/sql/sql';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import { isBreakGlass, type HouseholdEvent, type RegieHolder } from '@eenplan/domain';
import { Projection } from '../projection';
import { applyChanges, householdOf, perEvent, type Change, type SetStatement } from '../set-apply';

/** How a regie interval began (DOMAIN.md, read model "Regie history"). */
export type RegieCause =
  | 'registration'
  | 'transfer'
  | 'reverse-request'
  | 'safety-takeover'
  | 'safety-takeover-rejected'
  | 'return-to-household'
  | 'closure';

/**
 * Where a safety takeover's interval stands (invariant 6). named-by-taker: recorded by the release
 * before break-glass, where the taker named a team lead as approver and that lead did nothing in
 * eenplan; such a takeover can no longer be confirmed or rejected.
 */
export type SafetyTakeoverConfirmation =
  'awaiting-confirmation' | 'confirmed' | 'rejected' | 'named-by-taker';

const asHousehold = (e: RecordedEvent) => e as unknown as HouseholdEvent & RecordedEvent;
const householdIdOf = (e: RecordedEvent) => e.streamId.slice('household-'.length);

/**
 * holder_team_id is the holder's unit: a worker's team, or (issue 19) a professional's organisation,
 * told apart by holder_kind; the household has none.
 */
const holderColumns = (householdId: string, h: RegieHolder) =>
  h.kind === 'household'
    ? ['household', householdId, null]
    : h.kind === 'worker'
      ? ['worker', h.id, h.teamId]
      : ['professional', h.id, h.organisationId];

interface Opening {
  holder: RegieHolder;
  from: string;
  cause: RegieCause;
  transferId?: string | null;
  requestedBy?: string | null;
  acceptedBy?: string | null;
  approvedBy?: string | null;
  agreedBy?: string | null;
  /**
   * The reason, by reference: the stream version of the household's event whose personal part
   * holds it. The text itself stays in the (encrypted, erasable) event; the queries read it from
   * there, so an erasure leaves no reason in these tables, their files or their WAL.
   */
  reasonVersion?: number | null;
  /**
   * The household's pending transfer is settled by this opening: the interval takes its reason
   * (instead of `reasonVersion`) and it is deleted, in the same statement.
   */
  settlesPendingTransfer?: boolean;
  handoverSeconds?: number | null;
  takeoverId?: string | null;
  confirmation?: SafetyTakeoverConfirmation | null;
  rejectedBy?: string | null;
}

/**
 * Closes the open interval at `from` and opens the next one: no gap, no overlap (invariant 1).
 * One statement, so a rebuild sends one per change of hands rather than two or three: its parts
 * all read the table as it was before it (one snapshot), which is what each needs: the close only
 * touches older rows, MAX(seq) is not changed by it, and the reason is read before the delete.
 */
const openInterval = async (tx: SqlExecutor, householdId: string, o: Opening) => {
  const settles = o.settlesPendingTransfer === true;
  const r = intervalRow(householdId, o);
  await tx.query(
    `WITH closed AS (
       UPDATE regie_intervals SET to_at = $5
        WHERE household_id = $1 AND to_at IS NULL
          AND seq = (SELECT MAX(seq) FROM regie_intervals WHERE household_id = $1)
     )${settles ? ', settled AS (DELETE FROM regie_pending_transfers WHERE household_id = $1)' : ''}
     INSERT INTO regie_intervals (household_id, seq, holder_kind, holder_id, holder_team_id, from_at, cause,
        transfer_id, requested_by, accepted_by, approved_by, agreed_by, reason_version, handover_seconds,
        takeover_id, confirmation, rejected_by)
     SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, ${
       settles ? '(SELECT reason_version FROM regie_pending_transfers WHERE household_id = $1)' : '$16'
     }, $12, $13, $14, $15
       FROM regie_intervals WHERE household_id = $1`,
    [
      r.household_id,
      r.holder_kind,
      r.holder_id,
      r.holder_team_id,
      r.from_at,
      r.cause,
      r.transfer_id,
      r.requested_by,
      r.accepted_by,
      r.approved_by,
      r.agreed_by,
      r.handover_seconds,
      r.takeover_id,
      r.confirmation,
      r.rejected_by,
      // Last, so it can be left out: a parameter the text does not use has no type and is refused.
      ...(settles ? [] : [r.reason_version]),
    ],
  );
};

/** An opening as the columns of its interval row (plus `settles`), for both forms of the statement. */
const intervalRow = (householdId: string, o: Opening) => {
  const [holderKind, holderId, holderTeamId] = holderColumns(householdId, o.holder);
  return {
    household_id: householdId,
    holder_kind: holderKind,
    holder_id: holderId,
    holder_team_id: holderTeamId,
    from_at: o.from,
    cause: o.cause,
    transfer_id: o.transferId ?? null,
    requested_by: o.requestedBy ?? null,
    accepted_by: o.acceptedBy ?? null,
    approved_by: o.approvedBy ?? null,
    agreed_by: o.agreedBy ?? null,
    reason_version: o.reasonVersion ?? null,
    handover_seconds: o.handoverSeconds ?? null,
    takeover_id: o.takeoverId ?? null,
    confirmation: o.confirmation ?? null,
    rejected_by: o.rejectedBy ?? null,
    settles: o.settlesPendingTransfer === true,
  };
};

const INTERVAL_COLUMNS = `
  household_id text NOT NULL,
  seq integer NOT NULL,
  holder_kind text NOT NULL,
  holder_id text NOT NULL,
  holder_team_id text,
  from_at timestamptz NOT NULL,
  to_at timestamptz,
  cause text NOT NULL,
  transfer_id text,
  requested_by text,
  accepted_by text,
  approved_by text,
  agreed_by text,
  reason_version integer,
  handover_seconds integer,
  takeover_id text,
  confirmation text,
  decided_at timestamptz,
  rejected_by text,
  rejection_reason_version integer,
  PRIMARY KEY (household_id, seq)`;

/** A break-glass takeover a team lead has not confirmed or rejected yet; the row goes with the act. */
const awaitConfirmation = (householdId: string, streamVersion: number, event: HouseholdEvent) => {
  if (event.type !== 'RegieTakenOverForSafety' || !isBreakGlass(event.data)) return null;
  const d = event.data;
  return {
    household_id: householdId,
    takeover_id: d.takeoverId,
    team_id: d.householdTeamId,
    taken_by: d.to.id,
    taken_at: d.takenAt,
    from_kind: d.from.kind,
    from_id: d.from.kind === 'worker' ? d.from.id : householdId,
    stream_version: streamVersion,
  };
};

export const regieHistoryProjection: Projection = {
  name: 'regie-history',
  // 2: reasons by reference (no text in these tables), break-glass confirmation, unconfirmed takeovers.
  version: 2,
  tables: ['regie_intervals', 'regie_pending_transfers', 'regie_safety_takeovers'],
  migrations: [
    {
      id: '0200_regie_history',
      sql: `
        CREATE TABLE IF NOT EXISTS regie_intervals (
          household_id text NOT NULL,
          seq integer NOT NULL,
          holder_kind text NOT NULL,
          holder_id text NOT NULL,
          holder_team_id text,
          from_at timestamptz NOT NULL,
          to_at timestamptz,
          cause text NOT NULL,
          transfer_id text,
          requested_by text,
          accepted_by text,
          approved_by text,
          agreed_by text,
          reason text,
          handover_seconds integer,
          PRIMARY KEY (household_id, seq)
        );
        CREATE INDEX IF NOT EXISTS regie_intervals_holder ON regie_intervals (holder_id, from_at);
        CREATE INDEX IF NOT EXISTS regie_intervals_from ON regie_intervals (from_at);
        CREATE TABLE IF NOT EXISTS regie_pending_transfers (
          household_id text PRIMARY KEY,
          transfer_id text NOT NULL,
          reason text
        );`,
    },
    {
      // The previous tables held transfer and safety reasons as text. Dropped, not altered: a
      // dropped column's values stay in the table's pages, a dropped table's files are removed.
      // The version bump above rebuilds the rows from the events.
      id: '0201_regie_history_reason_refs',
      sql: `
        DROP TABLE IF EXISTS regie_intervals;
        DROP TABLE IF EXISTS regie_pending_transfers;
        CREATE TABLE regie_intervals (${INTERVAL_COLUMNS});
        CREATE INDEX regie_intervals_holder ON regie_intervals (holder_id, from_at);
        CREATE INDEX regie_intervals_from ON regie_intervals (from_at);
        CREATE INDEX regie_intervals_takeover ON regie_intervals (household_id, takeover_id)
          WHERE takeover_id IS NOT NULL;
        CREATE TABLE regie_pending_transfers (
          household_id text PRIMARY KEY,
          transfer_id text NOT NULL,
          reason_version integer
        );
        CREATE TABLE regie_safety_takeovers (
          household_id text NOT NULL,
          takeover_id text NOT NULL,
          team_id text NOT NULL,
          taken_by text NOT NULL,
          taken_at timestamptz NOT NULL,
          from_kind text NOT NULL,
          from_id text NOT NULL,
          stream_version integer NOT NULL,
          announced_at timestamptz,
          PRIMARY KEY (household_id, takeover_id)
        );
        CREATE INDEX regie_safety_takeovers_taken ON regie_safety_takeovers (taken_at, household_id, takeover_id);`,
    },
  ],
  async apply(tx, recorded) {
    if (!recorded.streamId.startsWith('household-')) return;
    const event = asHousehold(recorded);
    const householdId = householdIdOf(recorded);
    const opening = openingOf(event, recorded.streamVersion);
    if (opening) {
      await openInterval(tx, householdId, opening);
      const awaiting = awaitConfirmation(householdId, recorded.streamVersion, event);
      if (awaiting) {
        await tx.query(
          `INSERT INTO regie_safety_takeovers (household_id, takeover_id, team_id, taken_by, taken_at, from_kind,
              from_id, stream_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [
            awaiting.household_id,
            awaiting.takeover_id,
            awaiting.team_id,
            awaiting.taken_by,
            awaiting.taken_at,
            awaiting.from_kind,
            awaiting.from_id,
            awaiting.stream_version,
          ],
        );
      }
      return;
    }
    switch (event.type) {
      case 'RegieTransferRequested':
        await tx.query(
          `INSERT INTO regie_pending_transfers (household_id, transfer_id, reason_version) VALUES ($1, $2, $3)
           ON CONFLICT (household_id) DO UPDATE SET transfer_id = EXCLUDED.transfer_id,
             reason_version = EXCLUDED.reason_version`,
          [householdId, event.data.transferId, recorded.streamVersion],
        );
        return;
      case 'RegieTransferDeclined':
      case 'RegieTransferCancelled':
        await tx.query(`DELETE FROM regie_pending_transfers WHERE household_id = $1`, [householdId]);
        return;
      case 'SafetyTakeoverConfirmed':
        await tx.query(
          `UPDATE regie_intervals SET confirmation = 'confirmed', approved_by = $3, decided_at = $4
            WHERE household_id = $1 AND takeover_id = $2 AND cause = 'safety-takeover'`,
          [householdId, event.data.takeoverId, event.data.confirmedBy, event.data.confirmedAt],
        );
        await tx.query(`DELETE FROM regie_safety_takeovers WHERE household_id = $1 AND takeover_id = $2`, [
          householdId,
          event.data.takeoverId,
        ]);
        return;
      case 'SafetyTakeoverRejected': {
        const d = event.data;
        await tx.query(
          `UPDATE regie_intervals SET confirmation = 'rejected', rejected_by = $3, decided_at = $4,
              rejection_reason_version = $5
            WHERE household_id = $1 AND takeover_id = $2 AND cause = 'safety-takeover'`,
          [householdId, d.takeoverId, d.rejectedBy, d.rejectedAt, recorded.streamVersion],
        );
        await tx.query(`DELETE FROM regie_safety_takeovers WHERE household_id = $1 AND takeover_id = $2`, [
          householdId,
          d.takeoverId,
        ]);
        // Its own change of hands back, when there is one (after the update: it carries the takeover id too).
        if (d.regieReturned) {
          await openInterval(tx, householdId, {
            holder: d.regieReturned.to,
            from: d.rejectedAt,
            cause: 'safety-takeover-rejected',
            takeoverId: d.takeoverId,
            rejectedBy: d.rejectedBy,
            reasonVersion: recorded.streamVersion,
          });
        }
        return;
      }
      case 'SafetyTakeoverConfirmationOverdue':
        await tx.query(
          `UPDATE regie_safety_takeovers SET announced_at = $3 WHERE household_id = $1 AND takeover_id = $2`,
          [householdId, event.data.takeoverId, event.data.detectedAt],
        );
        return;
      case 'HouseholdDataErased':
        // The reasons were never here (only references, which now lead to erased parts). A takeover
        // still awaiting confirmation can no longer be decided: off the list.
        await tx.query(`DELETE FROM regie_pending_transfers WHERE household_id = $1`, [householdId]);
        await tx.query(`DELETE FROM regie_safety_takeovers WHERE household_id = $1`, [householdId]);
        return;
      default:
        return;
    }
  },
  applyBatch: (tx, events) => applyChanges(tx, events.flatMap(regieChanges)),
};

/** The change of hands an event makes, if it makes one; `streamVersion` is the event's own. */
function openingOf(event: HouseholdEvent, streamVersion: number): Opening | null {
  switch (event.type) {
    case 'HouseholdRegistered':
      return { holder: event.data.regie, from: event.data.registeredAt, cause: 'registration' };
    case 'RegieTransferAccepted': {
      const d = event.data;
      return {
        holder: d.to,
        from: d.acceptedAt,
        cause: d.variant === 'reverse' ? 'reverse-request' : 'transfer',
        transferId: d.transferId,
        requestedBy: d.requestedBy,
        acceptedBy: d.acceptedBy,
        settlesPendingTransfer: true,
        handoverSeconds: d.handoverSeconds,
      };
    }
    case 'RegieTakenOverForSafety': {
      const d = event.data;
      const taken = {
        holder: d.to,
        from: d.takenAt,
        cause: 'safety-takeover' as const,
        requestedBy: d.to.id,
      };
      // Before break-glass the taker named the approver: shown as named, flagged as such.
      if (!isBreakGlass(d))
        return {
          ...taken,
          approvedBy: d.approvedBy,
          confirmation: 'named-by-taker',
          reasonVersion: streamVersion,
        };
      return {
        ...taken,
        takeoverId: d.takeoverId,
        confirmation: 'awaiting-confirmation',
        reasonVersion: streamVersion,
      };
    }
    case 'RegieReturnedToHousehold':
      return {
        holder: { kind: 'household' },
        from: event.data.returnedAt,
        cause: 'return-to-household',
        requestedBy: event.data.returnedBy,
        agreedBy: event.data.agreedBy,
      };
    case 'PlanClosed':
      // Closing ends a worker's interval; while the household already held regie nothing changes hands.
      if (event.data.regieEndedFor.kind !== 'worker') return null;
      return {
        holder: { kind: 'household' },
        from: event.data.closedAt,
        cause: 'closure',
        requestedBy: event.data.closedBy,
      };
    default:
      return null;
  }
}

/**
 * The set forms of openInterval, of the pending transfer's upsert and delete and of the takeover
 * awaiting confirmation. The opening's parts read the tables as they were before the statement, as
 * in openInterval, and the rounds (set-apply.ts) give it at most one row per household.
 */
const SET = {
  open: {
    sql: `WITH c AS (
            SELECT * FROM jsonb_to_recordset($1::text::jsonb)
                AS r(household_id text, holder_kind text, holder_id text, holder_team_id text, from_at timestamptz,
                     cause text, transfer_id text, requested_by text, accepted_by text, approved_by text,
                     agreed_by text, reason_version integer, handover_seconds integer, takeover_id text,
                     confirmation text, rejected_by text, settles boolean)
          ), closed AS (
            -- By the whole key, the last interval: with only the household to go on, stale statistics
            -- (the share of open intervals) made the planner scan the whole table once per batch.
            UPDATE regie_intervals i SET to_at = c.from_at FROM c
             WHERE i.household_id = c.household_id AND i.to_at IS NULL
               AND i.seq = (SELECT MAX(m.seq) FROM regie_intervals m WHERE m.household_id = c.household_id)
          ), settled AS (
            DELETE FROM regie_pending_transfers p USING c WHERE c.settles AND p.household_id = c.household_id
          )
          INSERT INTO regie_intervals (household_id, seq, holder_kind, holder_id, holder_team_id, from_at, cause,
             transfer_id, requested_by, accepted_by, approved_by, agreed_by, reason_version, handover_seconds,
             takeover_id, confirmation, rejected_by)
          SELECT c.household_id,
                 COALESCE((SELECT MAX(i.seq) FROM regie_intervals i WHERE i.household_id = c.household_id), 0) + 1,
                 c.holder_kind, c.holder_id, c.holder_team_id, c.from_at, c.cause, c.transfer_id, c.requested_by,
                 c.accepted_by, c.approved_by, c.agreed_by,
                 CASE WHEN c.settles
                      THEN (SELECT p.reason_version FROM regie_pending_transfers p WHERE p.household_id = c.household_id)
                      ELSE c.reason_version END,
                 c.handover_seconds, c.takeover_id, c.confirmation, c.rejected_by
            FROM c`,
  },
  request: {
    sql: `INSERT INTO regie_pending_transfers (household_id, transfer_id, reason_version)
          SELECT c.household_id, c.transfer_id, c.reason_version
            FROM jsonb_to_recordset($1::text::jsonb) AS c(household_id text, transfer_id text, reason_version integer)
          ON CONFLICT (household_id) DO UPDATE SET transfer_id = EXCLUDED.transfer_id,
            reason_version = EXCLUDED.reason_version`,
  },
  dropPending: {
    sql: `DELETE FROM regie_pending_transfers p USING jsonb_to_recordset($1::text::jsonb) AS c(household_id text)
           WHERE p.household_id = c.household_id`,
  },
  awaitConfirmation: {
    sql: `INSERT INTO regie_safety_takeovers (household_id, takeover_id, team_id, taken_by, taken_at, from_kind,
             from_id, stream_version)
          SELECT c.household_id, c.takeover_id, c.team_id, c.taken_by, c.taken_at, c.from_kind, c.from_id,
                 c.stream_version
            FROM jsonb_to_recordset($1::text::jsonb) AS c(household_id text, takeover_id text, team_id text,
                 taken_by text, taken_at timestamptz, from_kind text, from_id text, stream_version integer)
          ON CONFLICT DO NOTHING`,
  },
} satisfies Record<string, SetStatement>;

function regieChanges(recorded: RecordedEvent): Change[] {
  const householdId = householdOf(recorded);
  if (householdId === null) return [];
  const key = `household:${householdId}`;
  const event = asHousehold(recorded);
  const opening = openingOf(event, recorded.streamVersion);
  if (opening) {
    const changes: Change[] = [{ key, statement: SET.open, row: intervalRow(householdId, opening) }];
    const awaiting = awaitConfirmation(householdId, recorded.streamVersion, event);
    if (awaiting) changes.push({ key, statement: SET.awaitConfirmation, row: awaiting });
    return changes;
  }
  switch (event.type) {
    case 'RegieTransferRequested':
      return [
        {
          key,
          statement: SET.request,
          row: {
            household_id: householdId,
            transfer_id: event.data.transferId,
            reason_version: recorded.streamVersion,
          },
        },
      ];
    case 'RegieTransferDeclined':
    case 'RegieTransferCancelled':
      return [{ key, statement: SET.dropPending, row: { household_id: householdId } }];
    default:
      // Confirmations, rejections, overdue notices and erasures are rare: the per-event SQL.
      return [perEvent(regieHistoryProjection, recorded, key)];
  }
}
