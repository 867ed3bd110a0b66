import { conflict, forbidden, invalid, notFound } from '../shared/domain-error';
import type { CommandActor, DomainEvent } from '../shared/event';
import {
  actsAsWorker,
  holderName,
  holdsRegie,
  inHouseholdTeam,
  isProfessional,
  noLongerByTakeover,
  professionalHolder,
  requireActiveProfessional,
  requireActiveWorker,
  requireMember,
  requireOpenPlan,
  workerHolder,
} from './household-access';
import type { HouseholdCommandBase, ProfessionalFacts, WorkerFacts } from './household.commands';
import type { HouseholdEvent, RegieHolder, TransferReceiver, TransferVariant } from './household.events';
import { birthOf, type HouseholdState, type MemberState } from './household.state';
import { checkCapacity } from './persons';
import { dateInNl } from '../shared/calendar';
import { householdSlice } from './household.slice';
import { membersWithoutConsent } from './consents';
import { requireRegieUnderMeasure } from './child-protection';

/** Regie: who directs the plan, its transfer (request, accept, decline, cancel) and its return to the household (invariants 1 to 5, 7). Break-glass takeovers are their own slice (safety-takeovers.ts). */

// ---- commands
export interface RequestRegieTransfer extends HouseholdCommandBase {
  readonly type: 'RequestRegieTransfer';
  readonly transferId: string;
  /** The receiver: a worker (`toWorkerId`) or, issue 19, a professional of an organisation (`toProfessional`). */
  readonly toWorkerId?: string;
  readonly toProfessional?: { readonly id: string; readonly organisationId: string };
  readonly receiver?: WorkerFacts;
  /** The professional receiver as their organisation has them (undefined: not registered there). */
  readonly professional?: ProfessionalFacts;
  readonly reason: string;
  readonly handoverNotes?: string;
  readonly agreedBy?: string;
}

export interface AcceptRegieTransfer extends HouseholdCommandBase {
  readonly type: 'AcceptRegieTransfer';
  readonly transferId: string;
  /** The receiver as they are now: a receiver deactivated since the request cannot take regie. */
  readonly receiver?: WorkerFacts;
  /** The same for a professional receiver (issue 19). */
  readonly professional?: ProfessionalFacts;
}

export interface DeclineRegieTransfer extends HouseholdCommandBase {
  readonly type: 'DeclineRegieTransfer';
  readonly transferId: string;
  readonly reason: string;
}

export interface CancelRegieTransfer extends HouseholdCommandBase {
  readonly type: 'CancelRegieTransfer';
  readonly transferId: string;
  readonly reason: string;
}

export interface ReturnRegieToHousehold extends HouseholdCommandBase {
  readonly type: 'ReturnRegieToHousehold';
  readonly agreedBy: string;
}

export type RegieCommand =
  | RequestRegieTransfer
  | AcceptRegieTransfer
  | DeclineRegieTransfer
  | CancelRegieTransfer
  | ReturnRegieToHousehold;

// ---- events
export type RegieTransferRequested = DomainEvent<
  'RegieTransferRequested',
  {
    transferId: string;
    from: RegieHolder;
    to: TransferReceiver;
    requestedBy: string;
    variant: TransferVariant;
    agreedBy: string | null;
    requestedAt: string;
  }
>;
export type RegieTransferAccepted = DomainEvent<
  'RegieTransferAccepted',
  {
    transferId: string;
    from: RegieHolder;
    to: TransferReceiver;
    variant: TransferVariant;
    requestedBy: string;
    acceptedBy: string;
    requestedAt: string;
    acceptedAt: string;
    handoverSeconds: number;
  }
>;
export type RegieTransferDeclined = DomainEvent<
  'RegieTransferDeclined',
  { transferId: string; declinedBy: string }
>;
/** cause safety-takeover: a safety takeover overtook the transfer, or the rejection of one gave regie back. */
export type RegieTransferCancelled = DomainEvent<
  'RegieTransferCancelled',
  { transferId: string; cancelledBy: string; cause: 'cancelled' | 'safety-takeover' }
>;
export type RegieReturnedToHousehold = DomainEvent<
  'RegieReturnedToHousehold',
  { from: RegieHolder; returnedBy: string; agreedBy: string; returnedAt: string }
>;

export type RegieEvent =
  | RegieTransferRequested
  | RegieTransferAccepted
  | RegieTransferDeclined
  | RegieTransferCancelled
  | RegieReturnedToHousehold;

export const REGIE_EVENT_TYPES = [
  'RegieTransferRequested',
  'RegieTransferAccepted',
  'RegieTransferDeclined',
  'RegieTransferCancelled',
  'RegieReturnedToHousehold',
] as const satisfies readonly RegieEvent['type'][];
export const REGIE_COMMAND_TYPES = [
  'RequestRegieTransfer',
  'AcceptRegieTransfer',
  'DeclineRegieTransfer',
  'CancelRegieTransfer',
  'ReturnRegieToHousehold',
] as const satisfies readonly RegieCommand['type'][];

/**
 * Issue 18: the member who takes regie back for the household decides for themselves on the day
 * (16 or over: WGBO art. 7:450, Jeugdwet art. 7.3.4, UAVG art. 5; persons.ts capacityAt).
 */
const requireSelfCapacity = (member: MemberState, at: string) => {
  const day = dateInNl(at);
  const check = checkCapacity(
    { memberId: member.memberId, birth: birthOf(member), authority: member.authority ?? [] },
    [{ kind: 'member', memberId: member.memberId }],
    day,
  );
  if (check.capacity !== 'self') {
    throw conflict(
      'NoCapacity',
      `agreedBy: member ${member.memberId} is ${check.age} on ${day}; regie returns to the household with the agreement of a member of 16 or over`,
      undefined,
      { missing: [`a member of 16 or over (member ${member.memberId} is ${check.age})`] },
    );
  }
};

// ---- decide
const requirePending = (state: HouseholdState, transferId: string) => {
  const pending = state.pendingTransfer;
  if (pending && pending.transferId === transferId) return pending;
  if (state.transferIds.includes(transferId)) {
    throw conflict('TransferNotPending', `invariant 2: transfer ${transferId} is no longer pending`, 2);
  }
  throw notFound('TransferNotFound', `transfer ${transferId} does not exist for this household`);
};

/** Invariant 4 (and 5 for the reverse variant): who decides on a pending transfer. */
const requireDecider = (actor: CommandActor, state: HouseholdState, transferId: string) => {
  const pending = requirePending(state, transferId);
  if (pending.variant === 'reverse') {
    if (!holdsRegie(actor, state)) {
      throw forbidden(
        'NotTransferDecider',
        'invariant 5: only the current regie holder accepts or declines a reverse request',
        5,
      );
    }
    return pending;
  }
  const to = pending.to;
  if (to.kind === 'professional') {
    // Issue 19: a professional has no team lead in eenplan; they decide for themselves.
    if (!isProfessional(actor, to)) {
      throw forbidden(
        'NotTransferDecider',
        `invariant 4: only the receiver, professional ${to.id} of organisation ${to.organisationId}, accepts or declines`,
        4,
      );
    }
    return pending;
  }
  const isReceiver = actor.id === to.id && actsAsWorker(actor);
  // A team lead who asked for the handover cannot also accept it for the receiver: that would be no handover.
  const isReceiversTeamLead =
    actor.roles.includes('team-lead') && actor.teams.includes(to.teamId) && actor.id !== pending.requestedBy;
  if (!isReceiver && !isReceiversTeamLead) {
    throw forbidden(
      'NotTransferDecider',
      "invariant 4: only the receiver or a team lead of the receiver's team accepts or declines",
      4,
    );
  }
  return pending;
};

/**
 * Issue 18: regie going outside the organisation shares the household with it, so every current
 * member needs a 'regie-outside-organisation' consent in force for it. eenplan links no team to an
 * organisation; the team is the unit of the organisation it knows (it registers the household, its
 * workers see it), so "outside the organisation" is "outside the household's team": a receiver of
 * another team needs consent for that team (recipient: its team id). docs/PERSONS.md says why.
 */
const requireRegieConsent = (state: HouseholdState, receiver: TransferReceiver, at: string) => {
  if (receiver.kind === 'worker' && receiver.teamId === state.teamId) return;
  // Issue 19: a professional's organisation is outside every team: consent for that organisation.
  const recipient = receiver.kind === 'worker' ? receiver.teamId : receiver.organisationId;
  const missing = membersWithoutConsent(state, 'regie-outside-organisation', recipient, dateInNl(at));
  if (missing.length > 0) {
    throw conflict(
      'ConsentRequired',
      `regie to ${holderName(receiver)}, outside team ${state.teamId}: members ${missing.join(', ')} have no consent in force for it (purpose regie-outside-organisation)`,
      undefined,
      { purpose: 'regie-outside-organisation', recipient, members: missing },
    );
  }
};

/** Who the request names, as the facts the caller looked up say: invariant 1 for either kind. */
const requireReceiver = (command: RequestRegieTransfer): TransferReceiver => {
  if (command.toProfessional !== undefined) {
    const facts = requireActiveProfessional(command.professional, command.toProfessional.id, 'to.id');
    if (facts.organisationId !== command.toProfessional.organisationId) {
      throw invalid(
        'UnknownProfessional',
        `to.id: organisation ${command.toProfessional.organisationId} has not registered professional ${command.toProfessional.id}`,
        { field: 'to.id' },
      );
    }
    return professionalHolder(facts);
  }
  const id = command.toWorkerId ?? '';
  return workerHolder(requireActiveWorker(command.receiver, id, 'to.id'));
};

const seconds = (fromIso: string, toIso: string) =>
  Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));

export const decideRegie = (command: RegieCommand, state: HouseholdState): HouseholdEvent[] => {
  const { actor, at } = command;
  switch (command.type) {
    case 'RequestRegieTransfer': {
      requireOpenPlan(state);
      if (state.transferIds.includes(command.transferId)) {
        throw conflict('TransferIdAlreadyUsed', `transfer id ${command.transferId} was used before`);
      }
      const toId = command.toProfessional?.id ?? command.toWorkerId ?? '';
      const toKind = command.toProfessional === undefined ? 'worker' : 'professional';
      let variant: 'handover' | 'on-behalf' | 'reverse';
      if (state.regie.kind === 'household') {
        if (!inHouseholdTeam(actor, state)) {
          throw forbidden(
            'NotHouseholdTeam',
            `invariant 5: while the household holds regie, a worker of team ${state.teamId} requests the transfer`,
            5,
          );
        }
        if (command.agreedBy === undefined) {
          throw conflict(
            'AgreedByRequired',
            'invariant 5: the household holds regie, so agreedBy must name the member who agreed',
            5,
          );
        }
        requireMember(state, command.agreedBy, 'agreedBy');
        variant = 'on-behalf';
      } else if (toKind === state.regie.kind && toId === state.regie.id) {
        throw conflict('AlreadyRegieHolder', `invariant 1: ${toKind} ${toId} already holds regie`, 1);
      } else if (holdsRegie(actor, state)) {
        variant = 'handover';
      } else if (toKind === 'worker' && toId === actor.id && actsAsWorker(actor)) {
        // The reverse request is a worker's: a professional receives regie only when it is handed to them.
        variant = 'reverse';
      } else {
        throw forbidden(
          'NotRegieHolder',
          'invariant 5: only the regie holder hands regie to another worker; any other worker may request it for themselves',
          5,
        );
      }
      if (state.pendingTransfer) {
        throw conflict(
          'TransferAlreadyPending',
          `invariant 2: transfer ${state.pendingTransfer.transferId} is already pending for this household`,
          2,
          { pendingTransferId: state.pendingTransfer.transferId },
        );
      }
      const receiver = requireReceiver(command);
      // Issue 19: while a child protection measure runs, regie goes to its institution's
      // jeugdbeschermer only, and the measure is the legal ground instead of consent.
      const measure = requireRegieUnderMeasure(state, at, receiver, command.professional?.kind);
      if (!measure) requireRegieConsent(state, receiver, at);
      return [
        {
          type: 'RegieTransferRequested',
          data: {
            transferId: command.transferId,
            from: state.regie,
            to: receiver,
            requestedBy: actor.id,
            variant,
            agreedBy: variant === 'on-behalf' ? (command.agreedBy ?? null) : null,
            requestedAt: at,
          },
          personal: { reason: command.reason, handoverNotes: command.handoverNotes ?? null },
        },
      ];
    }
    case 'AcceptRegieTransfer': {
      requireOpenPlan(state);
      const pending = requireDecider(actor, state, command.transferId);
      // Invariant 3: regie passes only now; the receiver must still be able to hold it (invariant 1).
      if (pending.to.kind === 'professional')
        requireActiveProfessional(command.professional, pending.to.id, 'receiver');
      else requireActiveWorker(command.receiver, pending.to.id, 'receiver');
      // A transfer asked before a measure began passes only if it goes where the measure puts regie.
      requireRegieUnderMeasure(state, at, pending.to, command.professional?.kind);
      return [
        {
          type: 'RegieTransferAccepted',
          data: {
            transferId: pending.transferId,
            from: state.regie,
            to: pending.to,
            variant: pending.variant,
            requestedBy: pending.requestedBy,
            acceptedBy: actor.id,
            requestedAt: pending.requestedAt,
            acceptedAt: at,
            handoverSeconds: seconds(pending.requestedAt, at),
          },
        },
      ];
    }
    case 'DeclineRegieTransfer': {
      requireOpenPlan(state);
      const pending = requireDecider(actor, state, command.transferId);
      return [
        {
          type: 'RegieTransferDeclined',
          data: { transferId: pending.transferId, declinedBy: actor.id },
          personal: { reason: command.reason },
        },
      ];
    }
    case 'CancelRegieTransfer': {
      requireOpenPlan(state);
      const pending = requirePending(state, command.transferId);
      if (actor.id !== pending.requestedBy && !holdsRegie(actor, state)) {
        throw forbidden(
          'NotTransferCanceller',
          'invariant 4: only the requester or the current regie holder cancels a transfer',
          4,
        );
      }
      return [
        {
          type: 'RegieTransferCancelled',
          data: { transferId: pending.transferId, cancelledBy: actor.id, cause: 'cancelled' },
          personal: { reason: command.reason },
        },
      ];
    }
    case 'ReturnRegieToHousehold': {
      requireOpenPlan(state);
      if (state.regie.kind === 'household') {
        throw conflict('HouseholdHoldsRegie', 'invariant 7: the household already holds regie', 7);
      }
      if (!holdsRegie(actor, state)) {
        throw forbidden(
          'NotRegieHolder',
          `invariant 7: only the regie holder (${holderName(state.regie)}) returns regie`,
          7,
        );
      }
      if (state.pendingTransfer) {
        throw conflict(
          'TransferPending',
          `invariant 2: transfer ${state.pendingTransfer.transferId} is pending; cancel it before returning regie`,
          2,
        );
      }
      requireSelfCapacity(requireMember(state, command.agreedBy, 'agreedBy'), at);
      requireRegieUnderMeasure(state, at, { kind: 'household' });
      return [
        {
          type: 'RegieReturnedToHousehold',
          data: { from: state.regie, returnedBy: actor.id, agreedBy: command.agreedBy, returnedAt: at },
        },
      ];
    }
  }
};

// ---- evolve
export const evolveRegie = (state: HouseholdState, event: RegieEvent): HouseholdState => {
  switch (event.type) {
    case 'RegieTransferRequested': {
      const { transferId, to, requestedBy, variant, requestedAt } = event.data;
      return {
        ...state,
        pendingTransfer: { transferId, to, requestedBy, variant, requestedAt },
        transferIds: [...state.transferIds, transferId],
      };
    }
    case 'RegieTransferAccepted':
      return {
        ...state,
        regie: event.data.to,
        regieSince: event.data.acceptedAt,
        pendingTransfer: null,
        safetyTakeovers: noLongerByTakeover(state),
      };
    case 'RegieTransferDeclined':
    case 'RegieTransferCancelled':
      return { ...state, pendingTransfer: null };
    case 'RegieReturnedToHousehold':
      return {
        ...state,
        regie: { kind: 'household' },
        regieSince: event.data.returnedAt,
        safetyTakeovers: noLongerByTakeover(state),
      };
  }
};

// ---- the slice ---------------------------------------------------------------------------------

export const regieSlice = householdSlice({
  commands: REGIE_COMMAND_TYPES,
  events: REGIE_EVENT_TYPES,
  decide: decideRegie,
  evolve: evolveRegie,
});
