import { conflict, forbidden, notFound } from '../shared/domain-error';
import type { CommandActor, DomainEvent } from '../shared/event';
import {
  holdsRegie,
  professionalHolder,
  requireActiveWorker,
  requireOpenPlan,
  requireRegistered,
  workerHolder,
} from './household-access';
import type { ProfessionalFacts, WorkerFacts } from './household.commands';
import type { HouseholdEvent, RegieHolder } from './household.events';
import type { HouseholdState } from './household.state';
import { householdSlice } from './household.slice';
import { startTrack } from './meldcode';

/**
 * Safety takeover (break-glass), invariant 6. A worker who sees safety at stake takes regie at once,
 * with a reason and without anyone's approval first. A team lead of the household's team who is
 * not the taker then confirms it, or rejects it, with their own act; the approval exists only from
 * that act on. A rejection gives regie back to whoever held it before the takeover:
 *
 * - the previous holder, when that is the household or a worker who is still active (the team's
 *   registry, looked up when the lead rejects);
 * - the household itself (eigen regie) when that worker was deactivated or is no longer registered
 *   meanwhile: invariant 1 allows only the household or an active worker, and the household needs
 *   nobody's acceptance; the event says so (`toPreviousHolder: false`), and the team can hand regie
 *   on with a transfer from there;
 * - nobody, when regie has changed hands since the takeover (a transfer, a return, another
 *   takeover) or the plan closed: regie then rests on an act after the takeover, which the rejection
 *   does not undo; the rejection is still recorded (`regieReturned: null`).
 * A transfer pending at the rejection was asked of the taker as holder, so it is cancelled first
 * (cause `safety-takeover`, as when a takeover overtakes one).
 *
 * Confirmation and rejection are once per takeover (409 SafetyTakeoverAlreadyDecided), possible on a
 * closed plan too (the record matters), not after an erasure. A takeover left unconfirmed longer than
 * the configured hours is announced once by the sweep (SafetyTakeoverConfirmationOverdue).
 *
 * Events written by the release before break-glass (schema v1 of RegieTakenOverForSafety) carry no
 * takeoverId but an `approvedBy` that the taker named; they still change regie, and count as
 * decided: nobody can confirm or reject them now. The regie history shows them with the named lead
 * and `confirmation: 'named-by-taker'`.
 */

type WorkerHolder = { kind: 'worker'; id: string; teamId: string };

// ---- events -------------------------------------------------------------------------------------

/** RegieTakenOverForSafety as written since break-glass (schema v2). */
export type BreakGlassTakeoverData = {
  takeoverId: string;
  from: RegieHolder;
  to: WorkerHolder;
  /** The household's team: one of its team leads confirms or rejects. */
  householdTeamId: string;
  takenAt: string;
};
/** RegieTakenOverForSafety as the previous release wrote it (schema v1): an approver named by the taker. */
export type ClaimedApprovalTakeoverData = {
  from: RegieHolder;
  to: WorkerHolder;
  approvedBy: string;
  takenAt: string;
};
export type RegieTakenOverForSafety = DomainEvent<
  'RegieTakenOverForSafety',
  BreakGlassTakeoverData | ClaimedApprovalTakeoverData
>;

/** A takeover awaiting a lead's act; false for one recorded before break-glass. */
export const isBreakGlass = (data: RegieTakenOverForSafety['data']): data is BreakGlassTakeoverData =>
  typeof (data as Partial<BreakGlassTakeoverData>).takeoverId === 'string';

export type SafetyTakeoverConfirmed = DomainEvent<
  'SafetyTakeoverConfirmed',
  { takeoverId: string; takenBy: string; confirmedBy: string; confirmedAt: string }
>;
export type SafetyTakeoverRejected = DomainEvent<
  'SafetyTakeoverRejected',
  {
    takeoverId: string;
    takenBy: string;
    rejectedBy: string;
    rejectedAt: string;
    /**
     * The change of hands back, or null when regie had moved on since the takeover. `to` is the
     * previous holder, or the household when that worker can no longer hold regie (toPreviousHolder false).
     */
    regieReturned: { from: RegieHolder; to: RegieHolder; toPreviousHolder: boolean } | null;
  }
>;
/** Recorded once per takeover, by the system's sweep, when no lead acted within the configured hours. */
export type SafetyTakeoverConfirmationOverdue = DomainEvent<
  'SafetyTakeoverConfirmationOverdue',
  {
    takeoverId: string;
    takenBy: string;
    takenAt: string;
    householdTeamId: string;
    confirmHours: number;
    detectedAt: string;
  }
>;

export type SafetyTakeoverEvent =
  | RegieTakenOverForSafety
  | SafetyTakeoverConfirmed
  | SafetyTakeoverRejected
  | SafetyTakeoverConfirmationOverdue;
export const SAFETY_TAKEOVER_EVENT_TYPES = [
  'RegieTakenOverForSafety',
  'SafetyTakeoverConfirmed',
  'SafetyTakeoverRejected',
  'SafetyTakeoverConfirmationOverdue',
] as const satisfies readonly SafetyTakeoverEvent['type'][];

// ---- commands -----------------------------------------------------------------------------------

interface Base {
  readonly householdId: string;
  readonly actor: CommandActor;
  readonly at: string;
}
export interface TakeOverRegieForSafety extends Base {
  readonly type: 'TakeOverRegieForSafety';
  readonly takeoverId: string;
  readonly reason: string;
  /** The taker as their team knows them. */
  readonly taker?: WorkerFacts;
  /** Starts a meldcode track (step 1: the signals mapped) in the same append (meldcode.ts). */
  readonly meldcode?: { readonly trackId: string; readonly signals: string };
}
export interface ConfirmSafetyTakeover extends Base {
  readonly type: 'ConfirmSafetyTakeover';
  readonly takeoverId: string;
  /** The acting team lead as their team's registry knows them (undefined: not registered). */
  readonly lead?: WorkerFacts;
}
export interface RejectSafetyTakeover extends Base {
  readonly type: 'RejectSafetyTakeover';
  readonly takeoverId: string;
  readonly reason: string;
  readonly lead?: WorkerFacts;
  /** The worker who held regie before the takeover, as they are now (when that was a worker). */
  readonly previousHolder?: WorkerFacts;
  /** Issue 19: the same for a professional who held regie before the takeover (their organisation's stream). */
  readonly previousProfessional?: ProfessionalFacts;
}
/** The sweep's command: announce takeovers unconfirmed for `confirmHours` or longer. */
export interface MarkUnconfirmedSafetyTakeovers extends Base {
  readonly type: 'MarkUnconfirmedSafetyTakeovers';
  readonly confirmHours: number;
}
export type SafetyTakeoverCommand =
  TakeOverRegieForSafety | ConfirmSafetyTakeover | RejectSafetyTakeover | MarkUnconfirmedSafetyTakeovers;
export const SAFETY_TAKEOVER_COMMAND_TYPES = [
  'TakeOverRegieForSafety',
  'ConfirmSafetyTakeover',
  'RejectSafetyTakeover',
  'MarkUnconfirmedSafetyTakeovers',
] as const satisfies readonly SafetyTakeoverCommand['type'][];

// ---- state --------------------------------------------------------------------------------------

export interface SafetyTakeover {
  readonly takeoverId: string;
  readonly takenBy: string;
  readonly takenAt: string;
  /** Who held regie before: where a rejection gives it back. */
  readonly from: RegieHolder;
  readonly status: 'awaiting-confirmation' | 'confirmed' | 'rejected';
  readonly overdueAnnounced: boolean;
}

/** Break-glass takeovers by id (those before it have none), and which one the current regie began with. */
export interface SafetyTakeoversState {
  readonly byId: Readonly<Record<string, SafetyTakeover>>;
  /** Set while the holder holds regie by that takeover; any other change of hands clears it. */
  readonly regieBy: string | null;
}

export const initialSafetyTakeoversState = (): SafetyTakeoversState => ({ byId: {}, regieBy: null });

const withStatus = (
  s: SafetyTakeoversState,
  takeoverId: string,
  change: Partial<SafetyTakeover>,
): SafetyTakeoversState['byId'] => {
  const takeover = s.byId[takeoverId];
  return takeover ? { ...s.byId, [takeoverId]: { ...takeover, ...change } } : s.byId;
};

export const evolveSafetyTakeovers = (state: HouseholdState, event: SafetyTakeoverEvent): HouseholdState => {
  const s = state.safetyTakeovers;
  switch (event.type) {
    case 'RegieTakenOverForSafety': {
      const d = event.data;
      const regie = { ...state, regie: d.to, regieSince: d.takenAt, pendingTransfer: null };
      if (!isBreakGlass(d)) return { ...regie, safetyTakeovers: { ...s, regieBy: null } };
      const takeover: SafetyTakeover = {
        takeoverId: d.takeoverId,
        takenBy: d.to.id,
        takenAt: d.takenAt,
        from: d.from,
        status: 'awaiting-confirmation',
        overdueAnnounced: false,
      };
      return {
        ...regie,
        safetyTakeovers: { byId: { ...s.byId, [d.takeoverId]: takeover }, regieBy: d.takeoverId },
      };
    }
    case 'SafetyTakeoverConfirmed':
      return {
        ...state,
        safetyTakeovers: { ...s, byId: withStatus(s, event.data.takeoverId, { status: 'confirmed' }) },
      };
    case 'SafetyTakeoverRejected': {
      const byId = withStatus(s, event.data.takeoverId, { status: 'rejected' });
      const back = event.data.regieReturned;
      if (!back) return { ...state, safetyTakeovers: { ...s, byId } };
      return {
        ...state,
        regie: back.to,
        regieSince: event.data.rejectedAt,
        pendingTransfer: null,
        safetyTakeovers: { byId, regieBy: null },
      };
    }
    case 'SafetyTakeoverConfirmationOverdue':
      return {
        ...state,
        safetyTakeovers: { ...s, byId: withStatus(s, event.data.takeoverId, { overdueAnnounced: true }) },
      };
  }
};

// ---- decide -------------------------------------------------------------------------------------

const requireTakeover = (state: HouseholdState, takeoverId: string): SafetyTakeover => {
  const takeover = state.safetyTakeovers.byId[takeoverId];
  if (!takeover)
    throw notFound(
      'SafetyTakeoverNotFound',
      `safety takeover ${takeoverId} does not exist for this household`,
    );
  return takeover;
};

/** Invariant 6: an active team lead of the household's team, per its registry, who is not the taker. */
const requireConfirmingLead = (
  command: ConfirmSafetyTakeover | RejectSafetyTakeover,
  state: HouseholdState,
  takeover: SafetyTakeover,
) => {
  const { actor, lead } = command;
  if (actor.id === takeover.takenBy) {
    throw forbidden(
      'ConfirmerIsTaker',
      'invariant 6: a safety takeover is confirmed or rejected by a team lead who is not the taker',
      6,
    );
  }
  const isLead =
    lead !== undefined &&
    lead.workerId === actor.id &&
    lead.role === 'team-lead' &&
    lead.teamId === state.teamId &&
    lead.active;
  if (!isLead) {
    throw forbidden(
      'NotHouseholdTeamLead',
      `invariant 6: only an active team lead of team ${state.teamId} confirms or rejects its safety takeovers`,
      6,
    );
  }
};

const requireAwaiting = (takeover: SafetyTakeover) => {
  if (takeover.status !== 'awaiting-confirmation') {
    throw conflict(
      'SafetyTakeoverAlreadyDecided',
      `invariant 6: safety takeover ${takeover.takeoverId} was already ${takeover.status}; it is confirmed or rejected once`,
      6,
      { decision: takeover.status },
    );
  }
};

export const decideSafetyTakeovers = (
  command: SafetyTakeoverCommand,
  state: HouseholdState,
): HouseholdEvent[] => {
  const { actor, at } = command;
  switch (command.type) {
    case 'TakeOverRegieForSafety': {
      requireOpenPlan(state);
      const taker = requireActiveWorker(command.taker, actor.id, 'actor');
      if (holdsRegie(actor, state))
        throw conflict('AlreadyRegieHolder', `invariant 1: worker ${actor.id} already holds regie`, 1);
      if (state.safetyTakeovers.byId[command.takeoverId]) {
        throw conflict('TakeoverIdAlreadyUsed', `takeover id ${command.takeoverId} was used before`);
      }
      const events: HouseholdEvent[] = [];
      if (state.pendingTransfer) {
        events.push({
          type: 'RegieTransferCancelled',
          data: {
            transferId: state.pendingTransfer.transferId,
            cancelledBy: actor.id,
            cause: 'safety-takeover',
          },
          personal: { reason: command.reason },
        });
      }
      // Break-glass may start the meldcode's track at once: by the taker, who holds regie from here.
      // A track already open does not stop the safety act: the takeover goes ahead, its signals are
      // kept sealed with it, and the taker records them in the open track (docs/MELDCODE.md).
      const alreadyOpen = command.meldcode !== undefined && state.meldcode.openTrackId !== null;
      events.push({
        type: 'RegieTakenOverForSafety',
        data: {
          takeoverId: command.takeoverId,
          from: state.regie,
          to: workerHolder(taker),
          householdTeamId: state.teamId,
          takenAt: at,
        },
        personal: {
          reason: command.reason,
          ...(alreadyOpen ? { meldcodeSignals: command.meldcode!.signals } : {}),
        },
      });
      if (command.meldcode && !alreadyOpen)
        events.push(startTrack(state, { ...command.meldcode, actor, at }, command.takeoverId));
      return events;
    }

    case 'ConfirmSafetyTakeover': {
      requireRegistered(state);
      const takeover = requireTakeover(state, command.takeoverId);
      requireConfirmingLead(command, state, takeover);
      requireAwaiting(takeover);
      return [
        {
          type: 'SafetyTakeoverConfirmed',
          data: {
            takeoverId: takeover.takeoverId,
            takenBy: takeover.takenBy,
            confirmedBy: actor.id,
            confirmedAt: at,
          },
        },
      ];
    }

    case 'RejectSafetyTakeover': {
      requireRegistered(state);
      const takeover = requireTakeover(state, command.takeoverId);
      requireConfirmingLead(command, state, takeover);
      requireAwaiting(takeover);
      const events: HouseholdEvent[] = [];
      let regieReturned: SafetyTakeoverRejected['data']['regieReturned'] = null;
      // Regie goes back only while it still rests on this takeover (closing clears that too).
      if (state.safetyTakeovers.regieBy === takeover.takeoverId) {
        const previous = takeover.from;
        const facts = command.previousHolder;
        const professional = command.previousProfessional;
        const back: RegieHolder | undefined =
          previous.kind === 'household'
            ? previous
            : previous.kind === 'worker'
              ? facts?.workerId === previous.id && facts.active
                ? workerHolder(facts)
                : undefined
              : professional?.professionalId === previous.id &&
                  professional.organisationId === previous.organisationId &&
                  professional.active
                ? professionalHolder(professional)
                : undefined;
        const stillActive = previous.kind !== 'household' && back !== undefined;
        const to: RegieHolder = back ?? { kind: 'household' };
        if (state.pendingTransfer) {
          events.push({
            type: 'RegieTransferCancelled',
            data: {
              transferId: state.pendingTransfer.transferId,
              cancelledBy: actor.id,
              cause: 'safety-takeover',
            },
            personal: { reason: command.reason },
          });
        }
        regieReturned = {
          from: state.regie,
          to,
          toPreviousHolder: previous.kind === 'household' || stillActive,
        };
      }
      events.push({
        type: 'SafetyTakeoverRejected',
        data: {
          takeoverId: takeover.takeoverId,
          takenBy: takeover.takenBy,
          rejectedBy: actor.id,
          rejectedAt: at,
          regieReturned,
        },
        personal: { reason: command.reason },
      });
      return events;
    }

    case 'MarkUnconfirmedSafetyTakeovers': {
      requireRegistered(state);
      const deadline = Date.parse(at) - command.confirmHours * 3_600_000;
      return Object.values(state.safetyTakeovers.byId)
        .filter(
          (t) =>
            t.status === 'awaiting-confirmation' && !t.overdueAnnounced && Date.parse(t.takenAt) <= deadline,
        )
        .map((t) => ({
          type: 'SafetyTakeoverConfirmationOverdue' as const,
          data: {
            takeoverId: t.takeoverId,
            takenBy: t.takenBy,
            takenAt: t.takenAt,
            householdTeamId: state.teamId,
            confirmHours: command.confirmHours,
            detectedAt: at,
          },
        }));
    }
  }
};

// ---- the slice ---------------------------------------------------------------------------------

export const safetyTakeoverSlice = householdSlice({
  commands: SAFETY_TAKEOVER_COMMAND_TYPES,
  events: SAFETY_TAKEOVER_EVENT_TYPES,
  decide: decideSafetyTakeovers,
  evolve: evolveSafetyTakeovers,
});
