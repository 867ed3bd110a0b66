import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import type { RegieHolder } from '@eenplan/domain';

/** What became of a regie transfer request; pending while no answer came. */
export type TransferOutcome = 'accepted' | 'declined' | 'cancelled' | 'pending';

/** A transfer request's pending period [from, to): from the request to its answer (null: pending now). */
export interface PendingTransferPeriod {
  transferId: string;
  from: string;
  to: string | null;
  fromHolder: { kind: 'household' | 'worker' | 'professional'; id: string; organisationId?: string };
  toOrganisationId?: string;
  toWorker: string;
  requestedBy: string;
  variant: string;
  outcome: TransferOutcome;
  /** Who accepted, declined or cancelled it. */
  settledBy?: string;
  /** Read from the request's personal part: absent after an erasure. */
  reason?: string;
}

/** A plan closed or reopened: when and by whom. */
export interface LifecycleMark {
  at: string;
  by: string;
}

export interface HouseholdTimelineMarks {
  pendingTransfers: PendingTransferPeriod[];
  closures: LifecycleMark[];
  reopenings: LifecycleMark[];
}

const holderRef = (householdId: string, h: RegieHolder) =>
  h.kind === 'worker'
    ? { kind: 'worker' as const, id: h.id }
    : h.kind === 'professional'
      ? { kind: 'professional' as const, id: h.id, organisationId: h.organisationId }
      : { kind: 'household' as const, id: householdId };

/**
 * The periods and moments the regie history's intervals do not hold, from the household's events:
 * every transfer request with how it ended, and every closure and reopening. Read from the events
 * (like the history's reasons), so no new read model keeps them. A PlanReopened carries no time of
 * its own: the event's recording time is the moment.
 */
export const householdTimelineMarks = (
  householdId: string,
  events: readonly RecordedEvent[],
): HouseholdTimelineMarks => {
  const transfers = new Map<string, PendingTransferPeriod>();
  const closures: LifecycleMark[] = [];
  const reopenings: LifecycleMark[] = [];
  const settle = (id: unknown, outcome: TransferOutcome, at: string, by: unknown) => {
    const t = typeof id === 'string' ? transfers.get(id) : undefined;
    if (!t || t.outcome !== 'pending') return;
    t.outcome = outcome;
    t.to = at;
    if (typeof by === 'string') t.settledBy = by;
  };
  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    const at = e.metadata.recordedAt;
    switch (e.type) {
      case 'RegieTransferRequested': {
        const reason = e.personal?.reason;
        transfers.set(d.transferId as string, {
          transferId: d.transferId as string,
          from: (d.requestedAt as string | undefined) ?? at,
          to: null,
          fromHolder: holderRef(householdId, d.from as RegieHolder),
          toWorker: (d.to as { id: string }).id,
          // Issue 19: a transfer to a professional names their organisation as well.
          ...((d.to as RegieHolder).kind === 'professional'
            ? { toOrganisationId: (d.to as { organisationId: string }).organisationId }
            : {}),
          requestedBy: d.requestedBy as string,
          variant: d.variant as string,
          outcome: 'pending',
          ...(typeof reason === 'string' ? { reason } : {}),
        });
        break;
      }
      case 'RegieTransferAccepted':
        settle(d.transferId, 'accepted', (d.acceptedAt as string | undefined) ?? at, d.acceptedBy);
        break;
      case 'RegieTransferDeclined':
        settle(d.transferId, 'declined', at, d.declinedBy);
        break;
      case 'RegieTransferCancelled':
        settle(d.transferId, 'cancelled', at, d.cancelledBy);
        break;
      case 'PlanClosed':
        closures.push({ at: (d.closedAt as string | undefined) ?? at, by: d.closedBy as string });
        break;
      case 'PlanReopened':
        reopenings.push({ at, by: d.reopenedBy as string });
        break;
      default:
        break;
    }
  }
  return { pendingTransfers: [...transfers.values()], closures, reopenings };
};

/** The worker ids an answer names, for their names (WorkerNames ignores ids that are no worker's). */
export const idsNamed = (
  intervals: readonly {
    holder: { kind: string; id: string };
    previousHolder?: { kind: string; id: string };
    requestedBy?: string;
    acceptedBy?: string;
    approvedBy?: string;
    rejectedBy?: string;
  }[],
  marks?: HouseholdTimelineMarks,
): Set<string> => {
  const ids = new Set<string>();
  const add = (v: string | undefined) => {
    if (v) ids.add(v);
  };
  for (const i of intervals) {
    if (i.holder.kind === 'worker') add(i.holder.id);
    if (i.previousHolder?.kind === 'worker') add(i.previousHolder.id);
    [i.requestedBy, i.acceptedBy, i.approvedBy, i.rejectedBy].forEach(add);
  }
  for (const t of marks?.pendingTransfers ?? []) {
    if (t.fromHolder.kind === 'worker') add(t.fromHolder.id);
    [t.toWorker, t.requestedBy, t.settledBy].forEach(add);
  }
  for (const m of [...(marks?.closures ?? []), ...(marks?.reopenings ?? [])]) add(m.by);
  return ids;
};
