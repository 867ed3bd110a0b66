import type { SqlExecutor } from '@eenplan/event-store/sql/sql';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import type { HouseholdEvent, RegieHolder } from '@eenplan/domain';
import { Projection } from '../projection';

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
  await tx.query(
    `WITH closed AS (
       UPDATE regie_intervals SET to_at = $5 WHERE household_id = $1 AND to_at IS NULL
     )${settles ? ', settled AS (DELETE FROM regie_pending_transfers WHERE household_id = $1)' : ''}
     INSERT INTO regie_intervals (household_id, seq, holder_kind, holder_id, holder_team_id, from_at, cause,
        transfer_id, requested_by, accepted_by, approved_by, agreed_by, reason, handover_seconds)
     SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, ${
       settles ? '(SELECT reason FROM regie_pending_transfers WHERE household_id = $1)' : '$13'
     }, $12
       FROM regie_intervals WHERE household_id = $1`,
    [
      householdId,
      ...holderColumns(householdId, o.holder),
      o.from,
      o.cause,
      o.transferId ?? null,
      o.requestedBy ?? null,
      o.acceptedBy ?? null,
      o.approvedBy ?? null,
      o.agreedBy ?? null,
      o.handoverSeconds ?? null,
      // Last, so it can be left out: a parameter the text does not use has no type and is refused.
      ...(settles ? [] : [o.reason ?? null]),
    ],
  );
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
    switch (event.type) {
      case 'HouseholdRegistered':
        return openInterval(tx, householdId, {
          holder: event.data.regie,
          from: event.data.registeredAt,
          cause: 'registration',
        });
      case 'RegieTransferRequested':
        await tx.query(
          `INSERT INTO regie_pending_transfers (household_id, transfer_id, reason) VALUES ($1, $2, $3)
           ON CONFLICT (household_id) DO UPDATE SET transfer_id = EXCLUDED.transfer_id, reason = EXCLUDED.reason`,
          [householdId, event.data.transferId, (event.personal?.reason as string | undefined) ?? null],
        );
        return;
      case 'RegieTransferAccepted': {
        const d = event.data;
        await openInterval(tx, householdId, {
          holder: d.to,
          from: d.acceptedAt,
          cause: d.variant === 'reverse' ? 'reverse-request' : 'transfer',
          transferId: d.transferId,
          requestedBy: d.requestedBy,
          acceptedBy: d.acceptedBy,
          settlesPendingTransfer: true,
          handoverSeconds: d.handoverSeconds,
        });
        return;
      }
      case 'RegieTransferDeclined':
      case 'RegieTransferCancelled':
        await tx.query(`DELETE FROM regie_pending_transfers WHERE household_id = $1`, [householdId]);
        return;
      case 'RegieTakenOverForSafety':
        return openInterval(tx, householdId, {
          holder: event.data.to,
          from: event.data.takenAt,
          cause: 'safety-takeover',
          requestedBy: event.data.to.id,
          approvedBy: event.data.approvedBy,
          reason: (event.personal?.reason as string | undefined) ?? null,
        });
      case 'RegieReturnedToHousehold':
        return openInterval(tx, householdId, {
          holder: { kind: 'household' },
          from: event.data.returnedAt,
          cause: 'return-to-household',
          requestedBy: event.data.returnedBy,
          agreedBy: event.data.agreedBy,
        });
      case 'PlanClosed':
        // Closing ends a worker's interval; while the household already held regie nothing changes hands.
        if (event.data.regieEndedFor.kind !== 'worker') return;
        return openInterval(tx, householdId, {
          holder: { kind: 'household' },
          from: event.data.closedAt,
          cause: 'closure',
          requestedBy: event.data.closedBy,
        });
      case 'HouseholdDataErased':
        // The reasons are free text about the household: gone with its key; the intervals stay.
        await tx.query(`UPDATE regie_intervals SET reason = NULL WHERE household_id = $1`, [householdId]);
        await tx.query(`DELETE FROM regie_pending_transfers WHERE household_id = $1`, [householdId]);
        return;
      default:
        return;
    }
  },
};
