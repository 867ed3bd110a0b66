import type { SqlExecutor } from '@eenplan/event-store/sql/sql';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import type { HouseholdEvent, RegieHolder } from '@eenplan/domain';
import { Projection } from '../projection';
import { applyChanges, householdOf, perEvent, type Change, type SetStatement } from '../set-apply';

/** How a regie interval began (DOMAIN.md, read model "Regie history"). */
export type RegieCause =
  'registration' | 'transfer' | 'reverse-request' | 'safety-takeover' | 'return-to-household' | 'closure';

const asHousehold = (e: RecordedEvent) => e as unknown as HouseholdEvent & RecordedEvent;
const householdIdOf = (e: RecordedEvent) => e.streamId.slice('household-'.length);

const holderColumns = (householdId: string, h: RegieHolder) =>
  h.kind === 'household' ? ['household', householdId, null] : ['worker', h.id, h.teamId];

interface Opening {
  holder: RegieHolder;
  from: string;
  cause: RegieCause;
  transferId?: string | null;
  requestedBy?: string | null;
  acceptedBy?: string | null;
  approvedBy?: string | null;
  agreedBy?: string | null;
  reason?: string | null;
  /**
   * The household's pending transfer is settled by this opening: the interval takes its reason
   * (instead of `reason`) and it is deleted, in the same statement.
   */
  settlesPendingTransfer?: boolean;
  handoverSeconds?: number | null;
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
        transfer_id, requested_by, accepted_by, approved_by, agreed_by, reason, handover_seconds)
     SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, ${
       settles ? '(SELECT reason FROM regie_pending_transfers WHERE household_id = $1)' : '$13'
     }, $12
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
      // Last, so it can be left out: a parameter the text does not use has no type and is refused.
      ...(settles ? [] : [r.reason]),
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
    reason: o.reason ?? null,
    handover_seconds: o.handoverSeconds ?? null,
    settles: o.settlesPendingTransfer === true,
  };
};

export const regieHistoryProjection: Projection = {
  name: 'regie-history',
  version: 1,
  tables: ['regie_intervals', 'regie_pending_transfers'],
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
  ],
  async apply(tx, recorded) {
    if (!recorded.streamId.startsWith('household-')) return;
    const event = asHousehold(recorded);
    const householdId = householdIdOf(recorded);
    const opening = openingOf(event);
    if (opening) return openInterval(tx, householdId, opening);
    switch (event.type) {
      case 'RegieTransferRequested':
        await tx.query(
          `INSERT INTO regie_pending_transfers (household_id, transfer_id, reason) VALUES ($1, $2, $3)
           ON CONFLICT (household_id) DO UPDATE SET transfer_id = EXCLUDED.transfer_id, reason = EXCLUDED.reason`,
          [householdId, event.data.transferId, (event.personal?.reason as string | undefined) ?? null],
        );
        return;
      case 'RegieTransferDeclined':
      case 'RegieTransferCancelled':
        await tx.query(`DELETE FROM regie_pending_transfers WHERE household_id = $1`, [householdId]);
        return;
      case 'HouseholdDataErased':
        // The reasons are free text about the household: gone with its key; the intervals stay.
        await tx.query(`UPDATE regie_intervals SET reason = NULL WHERE household_id = $1`, [householdId]);
        await tx.query(`DELETE FROM regie_pending_transfers WHERE household_id = $1`, [householdId]);
        return;
      default:
        return;
    }
  },
  applyBatch: (tx, events) => applyChanges(tx, events.flatMap(regieChanges)),
};

/** The change of hands an event makes, if it makes one. */
function openingOf(event: HouseholdEvent): Opening | null {
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
    case 'RegieTakenOverForSafety':
      return {
        holder: event.data.to,
        from: event.data.takenAt,
        cause: 'safety-takeover',
        requestedBy: event.data.to.id,
        approvedBy: event.data.approvedBy,
        reason: (event.personal?.reason as string | undefined) ?? null,
      };
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
 * The set forms of openInterval and of the pending transfer's upsert and delete. The opening's
 * parts read the tables as they were before the statement, as in openInterval, and the rounds
 * (set-apply.ts) give it at most one row per household.
 */
const SET = {
  open: {
    sql: `WITH c AS (
            SELECT * FROM jsonb_to_recordset($1::text::jsonb)
                AS r(household_id text, holder_kind text, holder_id text, holder_team_id text, from_at timestamptz,
                     cause text, transfer_id text, requested_by text, accepted_by text, approved_by text,
                     agreed_by text, reason text, handover_seconds integer, settles boolean)
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
             transfer_id, requested_by, accepted_by, approved_by, agreed_by, reason, handover_seconds)
          SELECT c.household_id,
                 COALESCE((SELECT MAX(i.seq) FROM regie_intervals i WHERE i.household_id = c.household_id), 0) + 1,
                 c.holder_kind, c.holder_id, c.holder_team_id, c.from_at, c.cause, c.transfer_id, c.requested_by,
                 c.accepted_by, c.approved_by, c.agreed_by,
                 CASE WHEN c.settles
                      THEN (SELECT p.reason FROM regie_pending_transfers p WHERE p.household_id = c.household_id)
                      ELSE c.reason END,
                 c.handover_seconds
            FROM c`,
  },
  request: {
    sql: `INSERT INTO regie_pending_transfers (household_id, transfer_id, reason)
          SELECT c.household_id, c.transfer_id, c.reason
            FROM jsonb_to_recordset($1::text::jsonb) AS c(household_id text, transfer_id text, reason text)
          ON CONFLICT (household_id) DO UPDATE SET transfer_id = EXCLUDED.transfer_id, reason = EXCLUDED.reason`,
  },
  dropPending: {
    sql: `DELETE FROM regie_pending_transfers p USING jsonb_to_recordset($1::text::jsonb) AS c(household_id text)
           WHERE p.household_id = c.household_id`,
  },
} satisfies Record<string, SetStatement>;

function regieChanges(recorded: RecordedEvent): Change[] {
  const householdId = householdOf(recorded);
  if (householdId === null) return [];
  const key = `household:${householdId}`;
  const event = asHousehold(recorded);
  const opening = openingOf(event);
  if (opening) return [{ key, statement: SET.open, row: intervalRow(householdId, opening) }];
  switch (event.type) {
    case 'RegieTransferRequested':
      return [
        {
          key,
          statement: SET.request,
          row: {
            household_id: householdId,
            transfer_id: event.data.transferId,
            reason: (event.personal?.reason as string | undefined) ?? null,
          },
        },
      ];
    case 'RegieTransferDeclined':
    case 'RegieTransferCancelled':
      return [{ key, statement: SET.dropPending, row: { household_id: householdId } }];
    default:
      return [perEvent(regieHistoryProjection, recorded, key)];
  }
}
