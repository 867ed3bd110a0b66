import { conflict, forbidden, invalid } from '../shared/domain-error';
import type { CommandActor, DomainEvent } from '../shared/event';
import { requireHouseholdWorker, requireRegistered } from './household-access';
import type { HouseholdState } from './household.state';
import { householdSlice } from './household.slice';

/**
 * Consent for sharing with UWV and work/income signals (invariants 14, 15). A signal goes to the
 * integrators' topic only with the household's consent at the moment it is recorded, or with a
 * legal basis recorded on the signal itself; otherwise it stays internal and its event says why.
 * Inbound signals come from UWV and are never sent back; UWV may post one only on the same grounds.
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
  readonly description: string;
}
export type SignalCommand = GiveUwvConsent | WithdrawUwvConsent | RecordWorkIncomeSignal;
export const SIGNAL_COMMAND_TYPES = [
  'GiveUwvConsent',
  'WithdrawUwvConsent',
  'RecordWorkIncomeSignal',
] as const satisfies readonly SignalCommand['type'][];

// ---- state --------------------------------------------------------------------------------------

export interface UwvState {
  readonly consent: 'none' | 'given' | 'withdrawn';
  readonly consentAgreedBy: string | null;
  readonly consentSince: string | null;
  readonly signalIds: readonly string[];
  /** Inbound signals not taken in for want of grounds: the same one sent again later may be. */
  readonly refusedSignalIds: readonly string[];
}
export const initialUwvState = (): UwvState => ({
  consent: 'none',
  consentAgreedBy: null,
  consentSince: null,
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
      return {
        ...state,
        consent: 'given',
        consentAgreedBy: event.data.agreedBy,
        consentSince: event.data.givenAt,
      };
    case 'UwvConsentWithdrawn':
      return { ...state, consent: 'withdrawn', consentAgreedBy: null, consentSince: event.data.withdrawnAt };
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

/** Invariants 14 and 15: the grounds for sharing as they stand now, or why the signal stays internal. */
export const publicationOf = (
  direction: SignalDirection,
  uwv: UwvState,
  legalBasis: string | undefined,
): SignalPublication => {
  const grounds: Pick<SignalPublication, 'basis' | 'legalBasis'> | null =
    legalBasis !== undefined
      ? { basis: 'legal-basis', legalBasis }
      : uwv.consent === 'given'
        ? { basis: 'consent' }
        : null;
  if (direction === 'inbound') {
    return { publish: false, ...grounds, internalReason: 'inbound: received from UWV, not sent back' };
  }
  if (grounds) return { publish: true, ...grounds };
  return {
    publish: false,
    internalReason:
      uwv.consent === 'withdrawn'
        ? `consent for sharing with UWV was withdrawn (${uwv.consentSince}) and no legal basis is recorded`
        : 'no consent for sharing with UWV and no legal basis recorded',
  };
};

export const decideSignals = (command: SignalCommand, state: HouseholdState): SignalEvent[] => {
  const { actor, at } = command;
  requireRegistered(state);
  const uwv = state.uwv;
  switch (command.type) {
    case 'GiveUwvConsent': {
      requireHouseholdWorker(actor, state, 'record consent');
      requireMember(state, command.memberId);
      if (uwv.consent === 'given') {
        throw conflict(
          'ConsentAlreadyGiven',
          `invariant 15: consent for sharing with UWV is already given (by ${uwv.consentAgreedBy})`,
          15,
        );
      }
      return [
        { type: 'UwvConsentGiven', data: { agreedBy: command.memberId, recordedBy: actor.id, givenAt: at } },
      ];
    }
    case 'WithdrawUwvConsent': {
      requireHouseholdWorker(actor, state, 'record a withdrawal of consent');
      requireMember(state, command.memberId);
      if (uwv.consent !== 'given') {
        throw conflict(
          'NoConsentToWithdraw',
          'invariant 15: there is no consent for sharing with UWV to withdraw',
          15,
        );
      }
      return [
        {
          type: 'UwvConsentWithdrawn',
          data: { withdrawnBy: command.memberId, recordedBy: actor.id, withdrawnAt: at },
        },
      ];
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
      const publication = publicationOf(command.direction, uwv, command.legalBasis);
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
  evolve: (state, event) => ({ ...state, uwv: evolveSignals(state.uwv, event) }),
});
