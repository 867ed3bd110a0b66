import { conflict, forbidden, invalid } from '../shared/domain-error';
import type { CommandActor, DomainEvent } from '../shared/event';
import { requireHouseholdWorker, requireRegistered } from './household-access';
import type { HouseholdState } from './household.state';
import { householdSlice } from './household.slice';
import {
  consentInForce,
  decideConsents,
  legacyUwvConsentId,
  upcastLegacyUwvConsent,
  UWV_RECIPIENT,
} from './consents';
import { dateInNl } from '../shared/calendar';
import type { HouseholdEvent } from './household.events';

/**
 * Work/income signals and the old UWV consent (invariants 14, 15). A signal goes to the
 * integrators' topic only with the consent of the member it is about ('uwv-signals' to 'uwv' in
 * force in the consent register on the day it is recorded, consents.ts), or with a legal basis
 * recorded on the signal itself; otherwise it stays internal and its event says why. A signal that
 * names no member has no one's consent: only a legal basis publishes it. Inbound signals come from
 * UWV and are never sent back; UWV may post one only on the same grounds.
 *
 * GiveUwvConsent / WithdrawUwvConsent are deprecated shims over the register: they write
 * ConsentGiven / ConsentWithdrawn for the member named, who must have capacity for themselves.
 * UwvConsentGiven / UwvConsentWithdrawn are no longer written; stored ones are read by the
 * upcaster in consents.ts as the consent of the member who gave it.
 */

export const SIGNAL_DIRECTIONS = ['inbound', 'outbound'] as const;
export type SignalDirection = (typeof SIGNAL_DIRECTIONS)[number];
export const SIGNAL_CATEGORIES = [
  'income-change',
  'work-started',
  'work-ended',
  'benefit-started',
  'benefit-ended',
  'reintegration',
  'debts',
  'other',
] as const;
export type SignalCategory = (typeof SIGNAL_CATEGORIES)[number];

/** What the UWV relay routes on: publish === true goes to the UWV topic. */
export interface SignalPublication {
  readonly publish: boolean;
  readonly basis?: 'consent' | 'legal-basis';
  readonly legalBasis?: string;
  readonly internalReason?: string;
}

// ---- events -------------------------------------------------------------------------------------

export type UwvConsentGiven = DomainEvent<
  'UwvConsentGiven',
  { agreedBy: string; recordedBy: string; givenAt: string }
>;
export type UwvConsentWithdrawn = DomainEvent<
  'UwvConsentWithdrawn',
  { withdrawnBy: string; recordedBy: string; withdrawnAt: string }
>;
export type WorkIncomeSignalRecorded = DomainEvent<
  'WorkIncomeSignalRecorded',
  {
    signalId: string;
    /** v2: the member the signal is about; absent in v1 events and when the signal names no one. */
    memberId?: string;
    direction: SignalDirection;
    category: SignalCategory;
    recordedBy: string;
    recordedAt: string;
    publication: SignalPublication;
  }
>;
/**
 * UWV sent a signal about the household while there were no grounds to receive it (no consent, no
 * legal basis): it is not recorded, only that it came, so the team sees it. Its description is not
 * kept: there was no ground to process it (invariant 14).
 */
export type InboundSignalRefused = DomainEvent<
  'InboundSignalRefused',
  { signalId: string; category: SignalCategory; receivedBy: string; receivedAt: string; reason: 'no-grounds' }
>;
export type SignalEvent =
  UwvConsentGiven | UwvConsentWithdrawn | WorkIncomeSignalRecorded | InboundSignalRefused;
export const SIGNAL_EVENT_TYPES = [
  'UwvConsentGiven',
  'UwvConsentWithdrawn',
  'WorkIncomeSignalRecorded',
  'InboundSignalRefused',
] as const satisfies readonly SignalEvent['type'][];

// ---- commands -----------------------------------------------------------------------------------

interface Base {
  readonly householdId: string;
  readonly actor: CommandActor;
  readonly at: string;
}
export interface GiveUwvConsent extends Base {
  readonly type: 'GiveUwvConsent';
  readonly memberId: string;
}
export interface WithdrawUwvConsent extends Base {
  readonly type: 'WithdrawUwvConsent';
  readonly memberId: string;
}
export interface RecordWorkIncomeSignal extends Base {
  readonly type: 'RecordWorkIncomeSignal';
  readonly signalId: string;
  readonly direction: SignalDirection;
  readonly category: SignalCategory;
  /** The law that allows sharing without consent (e.g. "Participatiewet art. 64"); not personal data. */
  readonly legalBasis?: string;
  /** The member the signal is about: their consent decides whether it is published. */
  readonly memberId?: string;
  readonly description: string;
}
export type SignalCommand = GiveUwvConsent | WithdrawUwvConsent | RecordWorkIncomeSignal;
export const SIGNAL_COMMAND_TYPES = [
  'GiveUwvConsent',
  'WithdrawUwvConsent',
  'RecordWorkIncomeSignal',
] as const satisfies readonly SignalCommand['type'][];

// ---- state --------------------------------------------------------------------------------------

/** The signals' own state; consent lives in the register (HouseholdState.consents). */
export interface UwvState {
  readonly signalIds: readonly string[];
  /** Inbound signals not taken in for want of grounds: the same one sent again later may be. */
  readonly refusedSignalIds: readonly string[];
}
export const initialUwvState = (): UwvState => ({
  signalIds: [],
  refusedSignalIds: [],
});

/**
 * How many refused inbound signals a household records at most: UWV's side is answered alike
 * whatever happens, so without a bound it could grow a household's stream at will. Past it, a
 * refusal is no longer recorded (the team has seen a thousand already).
 */
export const MAX_REFUSED_INBOUND_SIGNALS = 1000;

export const evolveSignals = (state: UwvState, event: SignalEvent): UwvState => {
  switch (event.type) {
    case 'UwvConsentGiven':
    case 'UwvConsentWithdrawn':
      // Read into the consent register by the slice's evolve (upcastLegacyUwvConsent).
      return state;
    case 'WorkIncomeSignalRecorded':
      return { ...state, signalIds: [...state.signalIds, event.data.signalId] };
    case 'InboundSignalRefused':
      return { ...state, refusedSignalIds: [...state.refusedSignalIds, event.data.signalId] };
  }
};

// ---- decide -------------------------------------------------------------------------------------

const requireMember = (state: HouseholdState, memberId: string) => {
  if (!state.members[memberId]) {
    throw invalid('UnknownMember', `memberId: ${memberId} is not a member of this household`, {
      field: 'memberId',
    });
  }
};

/** Where the consent of the member a signal is about stands on a day. */
export type UwvConsentStanding =
  | { readonly kind: 'in-force'; readonly memberId: string }
  | { readonly kind: 'withdrawn'; readonly memberId: string; readonly on: string }
  | { readonly kind: 'none'; readonly memberId: string }
  | { readonly kind: 'no-member' };

export const uwvConsentStanding = (
  state: Pick<HouseholdState, 'consents'>,
  memberId: string | undefined,
  day: string,
): UwvConsentStanding => {
  if (memberId === undefined) return { kind: 'no-member' };
  if (consentInForce(state, memberId, 'uwv-signals', UWV_RECIPIENT, day))
    return { kind: 'in-force', memberId };
  const withdrawn = Object.values(state.consents)
    .filter((c) => c.memberId === memberId && c.purpose === 'uwv-signals' && c.withdrawn !== null)
    .map((c) => c.withdrawn!.on)
    .sort();
  return withdrawn.length > 0
    ? { kind: 'withdrawn', memberId, on: withdrawn[withdrawn.length - 1]! }
    : { kind: 'none', memberId };
};

/** Invariants 14 and 15: the grounds for sharing as they stand now, or why the signal stays internal. */
export const publicationOf = (
  direction: SignalDirection,
  consent: UwvConsentStanding,
  legalBasis: string | undefined,
): SignalPublication => {
  const grounds: Pick<SignalPublication, 'basis' | 'legalBasis'> | null =
    legalBasis !== undefined
      ? { basis: 'legal-basis', legalBasis }
      : consent.kind === 'in-force'
        ? { basis: 'consent' }
        : null;
  if (direction === 'inbound') {
    return { publish: false, ...grounds, internalReason: 'inbound: received from UWV, not sent back' };
  }
  if (grounds) return { publish: true, ...grounds };
  return {
    publish: false,
    internalReason:
      consent.kind === 'withdrawn'
        ? `consent of member ${consent.memberId} for sharing with UWV was withdrawn (${consent.on}) and no legal basis is recorded`
        : consent.kind === 'none'
          ? `no consent of member ${consent.memberId} for sharing with UWV and no legal basis recorded`
          : 'the signal names no member, so no consent covers it, and no legal basis is recorded',
  };
};

/** The 'uwv-signals' consent a shim gives: the next unused `uwv-consent-N` id. */
const nextUwvConsentId = (state: HouseholdState): string => {
  let n = Object.keys(state.consents).length + 1;
  while (state.consents[legacyUwvConsentId(n)]) n++;
  return legacyUwvConsentId(n);
};

export const decideSignals = (command: SignalCommand, state: HouseholdState): HouseholdEvent[] => {
  const { actor, at } = command;
  requireRegistered(state);
  const uwv = state.uwv;
  const today = dateInNl(at);
  switch (command.type) {
    case 'GiveUwvConsent': {
      // Deprecated shim: the member's own consent in the register.
      requireHouseholdWorker(actor, state, 'record consent');
      requireMember(state, command.memberId);
      if (consentInForce(state, command.memberId, 'uwv-signals', UWV_RECIPIENT, today)) {
        throw conflict(
          'ConsentAlreadyGiven',
          `invariant 15: consent of member ${command.memberId} for sharing with UWV is already given`,
          15,
        );
      }
      const self = [{ kind: 'member', memberId: command.memberId }] as const;
      return decideConsents(
        {
          type: 'GiveConsent',
          householdId: command.householdId,
          actor,
          at,
          consentId: nextUwvConsentId(state),
          memberId: command.memberId,
          purpose: 'uwv-signals',
          recipient: UWV_RECIPIENT,
          givenBy: self,
        },
        state,
      );
    }
    case 'WithdrawUwvConsent': {
      // Deprecated shim: withdraws the member's own consent (no longer anyone's for the household).
      requireHouseholdWorker(actor, state, 'record a withdrawal of consent');
      requireMember(state, command.memberId);
      const consent = consentInForce(state, command.memberId, 'uwv-signals', UWV_RECIPIENT, today);
      if (!consent) {
        throw conflict(
          'NoConsentToWithdraw',
          `invariant 15: member ${command.memberId} has no consent for sharing with UWV to withdraw`,
          15,
        );
      }
      return decideConsents(
        {
          type: 'WithdrawConsent',
          householdId: command.householdId,
          actor,
          at,
          consentId: consent.consentId,
          withdrawnBy: [{ kind: 'member', memberId: command.memberId }],
        },
        state,
      );
    }
    case 'RecordWorkIncomeSignal': {
      if (command.direction === 'inbound') {
        if (!actor.roles.includes('integrator')) {
          throw forbidden(
            'NotIntegrator',
            'invariant 14: only an integrator posts inbound signals from UWV',
            14,
          );
        }
      } else {
        requireHouseholdWorker(actor, state, 'raise work/income signals');
      }
      if (uwv.signalIds.includes(command.signalId)) {
        throw conflict('SignalAlreadyRecorded', `signal ${command.signalId} is already recorded`);
      }
      if (command.legalBasis !== undefined && command.legalBasis.trim() === '') {
        throw invalid('EmptyLegalBasis', 'legalBasis: name the law, or leave it out', {
          field: 'legalBasis',
        });
      }
      if (command.memberId !== undefined) requireMember(state, command.memberId);
      const publication = publicationOf(
        command.direction,
        uwvConsentStanding(state, command.memberId, today),
        command.legalBasis,
      );
      if (command.direction === 'inbound' && publication.basis === undefined) {
        // Invariant 14: without consent or a legal basis UWV's signal is not taken in; the team sees
        // that it came (the integrator is told nothing either way), once per signal, up to a bound.
        const refused = uwv.refusedSignalIds;
        if (refused.includes(command.signalId))
          throw conflict('SignalAlreadyRefused', `signal ${command.signalId} was refused before`, 14);
        if (refused.length >= MAX_REFUSED_INBOUND_SIGNALS)
          throw conflict(
            'RefusedSignalsBounded',
            `${MAX_REFUSED_INBOUND_SIGNALS} refused inbound signals are recorded already; no more are`,
            14,
          );
        return [
          {
            type: 'InboundSignalRefused',
            data: {
              signalId: command.signalId,
              category: command.category,
              receivedBy: actor.id,
              receivedAt: at,
              reason: 'no-grounds',
            },
          },
        ];
      }
      return [
        {
          type: 'WorkIncomeSignalRecorded',
          data: {
            signalId: command.signalId,
            ...(command.memberId === undefined ? {} : { memberId: command.memberId }),
            direction: command.direction,
            category: command.category,
            recordedBy: actor.id,
            recordedAt: at,
            publication,
          },
          personal: { description: command.description },
        },
      ];
    }
  }
};

// ---- the slice ---------------------------------------------------------------------------------

export const signalSlice = householdSlice({
  commands: SIGNAL_COMMAND_TYPES,
  events: SIGNAL_EVENT_TYPES,
  decide: decideSignals,
  evolve: (state, event) => {
    const next = { ...state, uwv: evolveSignals(state.uwv, event) };
    // Household-wide consent before the register is read as the consent of the member who gave it.
    return event.type === 'UwvConsentGiven' || event.type === 'UwvConsentWithdrawn'
      ? { ...next, consents: upcastLegacyUwvConsent(state.consents, event) }
      : next;
  },
});
