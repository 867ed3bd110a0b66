import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import { householdIdOf } from './cloud-event';
import { outcomeMessageOf } from './outcomes';

/** Topic names; configurable, these are API.md's defaults. */
export interface Topics {
  /** Every event of the household plan, in stream order per household (key = household id). */
  readonly householdPlan: string;
  /** The events that change who holds regie, and the confirmation (or its absence) of safety takeovers. */
  readonly regieHandoffs: string;
  /** Work and income signals that may go to UWV integrators (consent or a legal basis). */
  readonly uwvSignals: string;
  /** Closures and recurrences as the municipality monitors them, no household id (outcomes.ts). */
  readonly outcomes: string;
}

export const DEFAULT_TOPICS: Topics = {
  householdPlan: 'eenplan.household-plan.events.v1',
  regieHandoffs: 'eenplan.regie.handoffs.v1',
  uwvSignals: 'eenplan.uwv.signals.v1',
  outcomes: 'eenplan.outcomes.v1',
};

/**
 * The events after which someone else holds regie, and those that settle whether a safety takeover
 * was right (invariant 6): a lead's confirmation or rejection, or the notice that none came in time.
 */
export const HANDOFF_TYPES: ReadonlySet<string> = new Set([
  'RegieTransferAccepted',
  'RegieTakenOverForSafety',
  'RegieReturnedToHousehold',
  'SafetyTakeoverConfirmed',
  'SafetyTakeoverRejected',
  'SafetyTakeoverConfirmationOverdue',
]);

interface Publication {
  readonly publish?: unknown;
}

/** Invariant 14: only a signal the household consented to share, or one with a legal basis. */
const isPublishableSignal = (event: Pick<RecordedEvent, 'type' | 'data'>): boolean => {
  if (event.type !== 'WorkIncomeSignalRecorded') return false;
  const publication = event.data.publication as Publication | null | undefined;
  return typeof publication === 'object' && publication !== null && publication.publish === true;
};

const endsWorkerRegie = (event: Pick<RecordedEvent, 'type' | 'data'>): boolean => {
  if (event.type !== 'PlanClosed') return false;
  const ended = event.data.regieEndedFor as { kind?: unknown } | null | undefined;
  return typeof ended === 'object' && ended !== null && ended.kind === 'worker';
};

/**
 * The topics an event goes to, in a fixed order. Events outside a household stream (teams and
 * their workers) are not part of the published contract: none.
 */
export const topicsFor = (
  event: Pick<RecordedEvent, 'streamId' | 'type' | 'data'>,
  topics: Topics,
): string[] => {
  if (householdIdOf(event) === null) return [];
  const out = [topics.householdPlan];
  if (HANDOFF_TYPES.has(event.type) || endsWorkerRegie(event)) out.push(topics.regieHandoffs);
  if (isPublishableSignal(event)) out.push(topics.uwvSignals);
  // Its own message, not the household event (outcomes.ts): the relay encodes it apart.
  if (outcomeMessageOf(event) !== null) out.push(topics.outcomes);
  return out;
};
