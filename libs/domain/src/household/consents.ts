import { dateInNl, isCalendarDate } from '../shared/calendar';
import { conflict, invalid, notFound } from '../shared/domain-error';
import type { DomainEvent } from '../shared/event';
import { requireHouseholdWorker, requireMember, requireRegistered } from './household-access';
import type { HouseholdCommandBase } from './household.commands';
import type { HouseholdEvent } from './household.events';
import { birthOf, currentMembers, type HouseholdState, type MemberState } from './household.state';
import { householdSlice } from './household.slice';
import { checkCapacity, type CapacityCheck, type Party } from './persons';

/**
 * The consent register (issue 18): consent is personal (AVG art. 6(1)(a), 7 and 8; UAVG art. 5), so
 * it is recorded per member, for one purpose and one recipient, from a day and optionally until a
 * day, given by whoever has capacity for the member on the day it is given (persons.ts), and
 * withdrawable under the same rule. The acts that share data ask `consentInForce` (a referral, a
 * UWV signal, regie going outside the team). docs/PERSONS.md "The consent register" explains it.
 */

/**
 * What a consent is for. Extend by adding a purpose here, a line in docs/PERSONS.md, and the enum
 * in the ConsentGiven schema.
 * - referral: sharing the household with an organisation of the social map (recipient: its id);
 * - uwv-signals: work and income signals about the member to UWV (recipient: 'uwv');
 * - network-sharing: sharing with a member of the household's network (recipient: its id);
 * - regie-outside-organisation: regie going to a worker outside the household's team (recipient:
 *   the receiving team's id; see docs/PERSONS.md for why a team stands for the organisation).
 */
export const CONSENT_PURPOSES = [
  'referral',
  'uwv-signals',
  'network-sharing',
  'regie-outside-organisation',
] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** The recipient of every 'uwv-signals' consent. */
export const UWV_RECIPIENT = 'uwv';

export type ConsentStatus = 'in-force' | 'not-yet' | 'expired' | 'withdrawn';

// ---- events -------------------------------------------------------------------------------------

export type ConsentGiven = DomainEvent<
  'ConsentGiven',
  {
    consentId: string;
    memberId: string;
    purpose: ConsentPurpose;
    recipient: string;
    givenBy: Party[];
    /** YYYY-MM-DD, the first day it is in force. */
    from: string;
    /** YYYY-MM-DD, the last day it is in force; null: until withdrawn. */
    until: string | null;
    recordedBy: string;
    givenAt: string;
  }
>;
export type ConsentWithdrawn = DomainEvent<
  'ConsentWithdrawn',
  {
    consentId: string;
    memberId: string;
    purpose: ConsentPurpose;
    recipient: string;
    withdrawnBy: Party[];
    /** YYYY-MM-DD: from this day on the consent is no longer in force. */
    on: string;
    recordedBy: string;
    withdrawnAt: string;
  }
>;
export type ConsentEvent = ConsentGiven | ConsentWithdrawn;
export const CONSENT_EVENT_TYPES = [
  'ConsentGiven',
  'ConsentWithdrawn',
] as const satisfies readonly ConsentEvent['type'][];

// ---- commands -----------------------------------------------------------------------------------

export interface GiveConsent extends HouseholdCommandBase {
  readonly type: 'GiveConsent';
  readonly consentId: string;
  readonly memberId: string;
  readonly purpose: ConsentPurpose;
  readonly recipient: string;
  readonly givenBy: readonly Party[];
  /** YYYY-MM-DD; today (Dutch calendar) when absent. */
  readonly from?: string;
  readonly until?: string;
}
export interface WithdrawConsent extends HouseholdCommandBase {
  readonly type: 'WithdrawConsent';
  readonly consentId: string;
  readonly withdrawnBy: readonly Party[];
}
export type ConsentCommand = GiveConsent | WithdrawConsent;
export const CONSENT_COMMAND_TYPES = [
  'GiveConsent',
  'WithdrawConsent',
] as const satisfies readonly ConsentCommand['type'][];

// ---- state --------------------------------------------------------------------------------------

export interface Consent {
  readonly consentId: string;
  readonly memberId: string;
  readonly purpose: ConsentPurpose;
  readonly recipient: string;
  readonly givenBy: readonly Party[];
  readonly from: string;
  readonly until: string | null;
  readonly givenAt: string;
  readonly withdrawn: { readonly on: string; readonly by: readonly Party[]; readonly at: string } | null;
  /** Read from a household-wide UwvConsentGiven written before the register (the upcaster). */
  readonly legacy?: true;
}
export type ConsentsState = Readonly<Record<string, Consent>>;

/**
 * Whether a consent is in force on `day` (YYYY-MM-DD): from <= day <= until (when set), and not
 * withdrawn on or before `day`. A consent withdrawn today is no longer in force today: the
 * withdrawal takes effect at once (AVG art. 7(3)), so an act later that day has no consent.
 */
export const isConsentInForce = (c: Consent, day: string): boolean =>
  c.from <= day && (c.until === null || day <= c.until) && (c.withdrawn === null || day < c.withdrawn.on);

export const consentStatusOf = (c: Consent, day: string): ConsentStatus =>
  c.withdrawn !== null && c.withdrawn.on <= day
    ? 'withdrawn'
    : day < c.from
      ? 'not-yet'
      : c.until !== null && c.until < day
        ? 'expired'
        : 'in-force';

/** The consent of `memberId` for `purpose` and `recipient` in force on `day`, if any. */
export const consentInForce = (
  state: Pick<HouseholdState, 'consents'>,
  memberId: string,
  purpose: ConsentPurpose,
  recipient: string,
  day: string,
): Consent | undefined =>
  Object.values(state.consents).find(
    (c) =>
      c.memberId === memberId &&
      c.purpose === purpose &&
      c.recipient === recipient &&
      isConsentInForce(c, day),
  );

/**
 * The current members without a consent in force for `purpose` and `recipient` on `day`: the acts
 * that share the whole household ask this of every member.
 */
export const membersWithoutConsent = (
  state: Pick<HouseholdState, 'consents' | 'members'>,
  purpose: ConsentPurpose,
  recipient: string,
  day: string,
): string[] =>
  currentMembers(state)
    .filter((m) => consentInForce(state, m.memberId, purpose, recipient, day) === undefined)
    .map((m) => m.memberId);

/** The consent id given to the n-th household-wide UWV consent when it is read as a member's. */
export const legacyUwvConsentId = (n: number) => `uwv-consent-${n}`;

/**
 * The upcaster for UwvConsentGiven / UwvConsentWithdrawn (household-wide, before the register): the
 * consent is read as the consent of the member who gave it (`agreedBy`), for 'uwv-signals' to
 * 'uwv', from the day it was given; the withdrawal (by any member, as it then was) ends it. Every
 * reader of those events goes through this (the household's evolve).
 */
export const upcastLegacyUwvConsent = (
  consents: ConsentsState,
  event:
    | { type: 'UwvConsentGiven'; data: { agreedBy: string; givenAt: string } }
    | { type: 'UwvConsentWithdrawn'; data: { withdrawnBy: string; withdrawnAt: string } },
): ConsentsState => {
  const legacy = Object.values(consents).filter((c) => c.legacy);
  if (event.type === 'UwvConsentGiven') {
    const consentId = legacyUwvConsentId(legacy.length + 1);
    const { agreedBy, givenAt } = event.data;
    return {
      ...consents,
      [consentId]: {
        consentId,
        memberId: agreedBy,
        purpose: 'uwv-signals',
        recipient: UWV_RECIPIENT,
        givenBy: [{ kind: 'member', memberId: agreedBy }],
        from: dateInNl(givenAt),
        until: null,
        givenAt,
        withdrawn: null,
        legacy: true,
      },
    };
  }
  const { withdrawnBy, withdrawnAt } = event.data;
  const open = legacy.filter((c) => c.withdrawn === null);
  const out: Record<string, Consent> = { ...consents };
  for (const c of open) {
    out[c.consentId] = {
      ...c,
      withdrawn: {
        on: dateInNl(withdrawnAt),
        by: [{ kind: 'member', memberId: withdrawnBy }],
        at: withdrawnAt,
      },
    };
  }
  return out;
};

export const evolveConsents = (state: HouseholdState, event: ConsentEvent): HouseholdState => {
  switch (event.type) {
    case 'ConsentGiven': {
      const { consentId, memberId, purpose, recipient, givenBy, from, until, givenAt } = event.data;
      return {
        ...state,
        consents: {
          ...state.consents,
          [consentId]: {
            consentId,
            memberId,
            purpose,
            recipient,
            givenBy,
            from,
            until,
            givenAt,
            withdrawn: null,
          },
        },
      };
    }
    case 'ConsentWithdrawn': {
      const consent = state.consents[event.data.consentId];
      if (!consent) return state;
      return {
        ...state,
        consents: {
          ...state.consents,
          [consent.consentId]: {
            ...consent,
            withdrawn: { on: event.data.on, by: event.data.withdrawnBy, at: event.data.withdrawnAt },
          },
        },
      };
    }
  }
};

// ---- decide -------------------------------------------------------------------------------------

const isCurrentNetworkMember = (state: HouseholdState, id: string): boolean =>
  state.network[id] !== undefined && !state.network[id].removed;

/** The parties named must be known: a member of the household, or (an outside holder) any id. */
const requireKnownParties = (state: HouseholdState, parties: readonly Party[], field: string) => {
  for (const p of parties) {
    if (p.kind === 'member' && !state.members[p.memberId]) {
      throw invalid('UnknownMember', `${field}: ${p.memberId} is not a member of this household`, { field });
    }
  }
};

/** Capacity on `day` for `member`, given `parties`; a 409 naming what is missing otherwise. */
const requireCapacity = (
  member: MemberState,
  parties: readonly Party[],
  day: string,
  act: string,
): CapacityCheck => {
  const check = checkCapacity(
    { memberId: member.memberId, birth: birthOf(member), authority: member.authority ?? [] },
    parties,
    day,
  );
  if (check.missing !== null) {
    throw conflict('NoCapacity', `${act}: ${check.missing}`, undefined, {
      memberId: member.memberId,
      age: check.age,
      capacity: check.capacity,
      missing: check.missing,
    });
  }
  return check;
};

export const decideConsents = (command: ConsentCommand, state: HouseholdState): HouseholdEvent[] => {
  const { actor, at } = command;
  requireRegistered(state);
  const today = dateInNl(at);
  switch (command.type) {
    case 'GiveConsent': {
      requireHouseholdWorker(actor, state, 'record consent');
      if (state.consents[command.consentId]) {
        throw conflict('ConsentIdAlreadyUsed', `consent id ${command.consentId} was used before`);
      }
      const from = command.from ?? today;
      for (const [field, value] of [
        ['from', from],
        ['until', command.until],
      ] as const) {
        if (value !== undefined && !isCalendarDate(value))
          throw invalid('ConsentDateInvalid', `${field}: ${value} is no calendar date (YYYY-MM-DD)`, {
            field,
          });
      }
      if (from < today) {
        throw invalid(
          'ConsentDateInvalid',
          `from: ${from} is before today (${today}); consent is not backdated`,
          {
            field: 'from',
          },
        );
      }
      if (command.until !== undefined && command.until < from) {
        throw invalid('ConsentDateInvalid', `until: ${command.until} is before from (${from})`, {
          field: 'until',
        });
      }
      if (command.purpose === 'uwv-signals' && command.recipient !== UWV_RECIPIENT) {
        throw invalid(
          'ConsentRecipientInvalid',
          `recipient: consent for uwv-signals goes to '${UWV_RECIPIENT}'`,
          {
            field: 'recipient',
          },
        );
      }
      if (command.purpose === 'network-sharing' && !isCurrentNetworkMember(state, command.recipient)) {
        throw invalid(
          'ConsentRecipientInvalid',
          `recipient: ${command.recipient} is not in this household's network`,
          { field: 'recipient' },
        );
      }
      const member = requireMember(state, command.memberId, 'memberId');
      requireKnownParties(state, command.givenBy, 'givenBy');
      requireCapacity(member, command.givenBy, today, 'consent');
      return [
        {
          type: 'ConsentGiven',
          data: {
            consentId: command.consentId,
            memberId: member.memberId,
            purpose: command.purpose,
            recipient: command.recipient,
            givenBy: [...command.givenBy],
            from,
            until: command.until ?? null,
            recordedBy: actor.id,
            givenAt: at,
          },
        },
      ];
    }
    case 'WithdrawConsent': {
      requireHouseholdWorker(actor, state, 'record a withdrawal of consent');
      const consent = state.consents[command.consentId];
      if (!consent) {
        throw notFound('ConsentNotFound', `consent ${command.consentId} does not exist in this household`);
      }
      if (consent.withdrawn !== null) {
        throw conflict(
          'ConsentAlreadyWithdrawn',
          `consent ${consent.consentId} was withdrawn on ${consent.withdrawn.on}`,
        );
      }
      // A member who left can still withdraw: withdrawing is always possible (AVG art. 7(3)).
      const member = state.members[consent.memberId]!;
      requireKnownParties(state, command.withdrawnBy, 'withdrawnBy');
      requireCapacity(member, command.withdrawnBy, today, 'withdrawal');
      return [
        {
          type: 'ConsentWithdrawn',
          data: {
            consentId: consent.consentId,
            memberId: consent.memberId,
            purpose: consent.purpose,
            recipient: consent.recipient,
            withdrawnBy: [...command.withdrawnBy],
            on: today,
            recordedBy: actor.id,
            withdrawnAt: at,
          },
        },
      ];
    }
  }
};

// ---- the slice ---------------------------------------------------------------------------------

export const consentSlice = householdSlice({
  commands: CONSENT_COMMAND_TYPES,
  events: CONSENT_EVENT_TYPES,
  decide: decideConsents,
  evolve: evolveConsents,
});
