import { dateInNl, isCalendarDate } from '../shared/calendar';
import { conflict, invalid, notFound } from '../shared/domain-error';
import type { DomainEvent } from '../shared/event';
import type { MemberRole } from '../shared/life-domains';
import { requireHouseholdWorker, requireRegistered } from './household-access';
import type { HouseholdCommandBase } from './household.commands';
import type { HouseholdEvent } from './household.events';
import { birthOf, currentMembers, type HouseholdState, type MemberState } from './household.state';
import { householdSlice } from './household.slice';
import { memberData, requireBirthDate } from './lifecycle';
import { ageOn, type AuthorityHolder, CAPACITY_AGES, isMinorOn, sameParty } from './persons';

/**
 * Members over time (issue 18): a person joins the household (born into it, or moving in), leaves
 * it (moving out, death), and while a minor has one or two holders of parental authority (gezag),
 * inside the household or outside it. Members belong to the household, not to its plan: like
 * check-ins, these are recorded while the household is registered, also when its plan is closed.
 * docs/PERSONS.md explains the rules.
 */

/**
 * A household holds at most 30 current members (as registration takes) and 60 over its life (those
 * who left included): every read of the household shows them all, so they bound its answer
 * (apps/api household.view.unit.spec.ts).
 */
export const MAX_CURRENT_MEMBERS = 30;
export const MAX_MEMBERS = 60;

export const JOIN_REASONS = ['birth', 'moved-in'] as const;
export type JoinReason = (typeof JOIN_REASONS)[number];
export const LEAVE_REASONS = ['moved-out', 'death', 'other'] as const;
export type LeaveReason = (typeof LEAVE_REASONS)[number];

// ---- commands -----------------------------------------------------------------------------------

export interface AddMember extends HouseholdCommandBase {
  readonly type: 'AddMember';
  readonly memberId: string;
  readonly role: MemberRole;
  readonly birthYear: number;
  readonly birthMonth?: number;
  readonly name: string;
  readonly reason: JoinReason;
  /** YYYY-MM-DD: the day they joined (for a birth: the day of birth). Not after today. */
  readonly on: string;
}

export interface LeaveMember extends HouseholdCommandBase {
  readonly type: 'LeaveMember';
  readonly memberId: string;
  readonly reason: LeaveReason;
  /** YYYY-MM-DD, not after today. */
  readonly on: string;
}

/** Who holds authority over a minor, as a command names them: an outside holder with a name. */
export type AuthorityHolderInput =
  | { readonly kind: 'member'; readonly memberId: string }
  | { readonly kind: 'external'; readonly holderId: string; readonly name: string };

export interface SetAuthority extends HouseholdCommandBase {
  readonly type: 'SetAuthority';
  readonly memberId: string;
  readonly holders: readonly AuthorityHolderInput[];
}

export type MemberCommand = AddMember | LeaveMember | SetAuthority;
export const MEMBER_COMMAND_TYPES = [
  'AddMember',
  'LeaveMember',
  'SetAuthority',
] as const satisfies readonly MemberCommand['type'][];

// ---- events -------------------------------------------------------------------------------------

/** personal: { persons: { [memberId]: { name } } }: the name in the member's own part, under their own key (erasable on its own). */
export type MemberJoined = DomainEvent<
  'MemberJoined',
  {
    memberId: string;
    role: MemberRole;
    birthYear: number;
    birthMonth?: number;
    reason: JoinReason;
    on: string;
    recordedBy: string;
  }
>;
export type MemberLeft = DomainEvent<
  'MemberLeft',
  { memberId: string; reason: LeaveReason; on: string; recordedBy: string }
>;
/** personal: { holderNames: { [holderId]: name } } for the outside holders. Replaces earlier holders. */
export type AuthoritySet = DomainEvent<
  'AuthoritySet',
  { memberId: string; holders: AuthorityHolder[]; setBy: string }
>;

export type MemberEvent = MemberJoined | MemberLeft | AuthoritySet;
export const MEMBER_EVENT_TYPES = [
  'MemberJoined',
  'MemberLeft',
  'AuthoritySet',
] as const satisfies readonly MemberEvent['type'][];

// ---- decide -------------------------------------------------------------------------------------

/** A date of the act (joining, leaving) is a day that has begun: never after today. */
const requireNotAfterToday = (on: string, at: string) => {
  const today = dateInNl(at);
  if (!isCalendarDate(on) || on > today) {
    throw invalid('InvalidMemberDate', `on: ${on} is not a date on or before today (${today})`, {
      field: 'on',
    });
  }
};

/** The member named in the path: 404 when the household never had them. */
const requireKnownMember = (state: HouseholdState, memberId: string): MemberState => {
  const member = state.members[memberId];
  if (!member) throw notFound('MemberNotFound', `member ${memberId} is not a member of this household`);
  return member;
};

const requireStillMember = (member: MemberState) => {
  if (member.left) {
    throw conflict(
      'MemberAlreadyLeft',
      `member ${member.memberId} left the household on ${member.left.on} (${member.left.reason})`,
    );
  }
};

export const decideMembers = (command: MemberCommand, state: HouseholdState): HouseholdEvent[] => {
  const { actor, at } = command;
  requireRegistered(state);
  switch (command.type) {
    case 'AddMember': {
      requireHouseholdWorker(actor, state, 'add members');
      if (state.members[command.memberId]) {
        throw conflict(
          'MemberAlreadyExists',
          `member id ${command.memberId} is already used in this household`,
        );
      }
      const ever = Object.keys(state.members).length;
      const now = currentMembers(state).length;
      if (now >= MAX_CURRENT_MEMBERS || ever >= MAX_MEMBERS) {
        throw conflict(
          'MemberLimitReached',
          `a household holds at most ${MAX_CURRENT_MEMBERS} members at a time and ${MAX_MEMBERS} over its life; this one has ${now} and had ${ever}`,
          undefined,
          { maxCurrentMembers: MAX_CURRENT_MEMBERS, maxMembers: MAX_MEMBERS },
        );
      }
      requireNotAfterToday(command.on, at);
      const member = memberData(command);
      // Not born after the day they joined (nor after today, as `on` is not).
      requireBirthDate(birthOf(member), command.on, 'birthYear');
      if (command.reason === 'birth') {
        // Joining by birth happens on the day of birth: `on` lies in the birth month (the year
        // where the month is unknown).
        const sameYear = Number(command.on.slice(0, 4)) === member.birthYear;
        const sameMonth =
          member.birthMonth === undefined || Number(command.on.slice(5, 7)) === member.birthMonth;
        if (!sameYear || !sameMonth) {
          throw invalid(
            'BirthNotOnJoinDate',
            `on: a member who joins by birth joins on the day of birth, and ${command.on} is not in ${member.birthYear}${
              member.birthMonth === undefined ? '' : `-${String(member.birthMonth).padStart(2, '0')}`
            }`,
            { field: 'on' },
          );
        }
      }
      return [
        {
          type: 'MemberJoined',
          data: { ...member, reason: command.reason, on: command.on, recordedBy: actor.id },
          personal: { persons: { [command.memberId]: { name: command.name } } },
        },
      ];
    }

    case 'LeaveMember': {
      requireHouseholdWorker(actor, state, 'record that a member left');
      const member = requireKnownMember(state, command.memberId);
      requireStillMember(member);
      requireNotAfterToday(command.on, at);
      if (currentMembers(state).length === 1) {
        throw conflict(
          'LastMemberCannotLeave',
          `member ${member.memberId} is the household's last member; close the plan instead`,
        );
      }
      return [
        {
          type: 'MemberLeft',
          data: { memberId: member.memberId, reason: command.reason, on: command.on, recordedBy: actor.id },
        },
      ];
    }

    case 'SetAuthority': {
      requireHouseholdWorker(actor, state, 'record parental authority');
      const child = requireKnownMember(state, command.memberId);
      requireStillMember(child);
      const today = dateInNl(at);
      if (!isMinorOn(birthOf(child), today)) {
        throw conflict(
          'NotAMinor',
          `member ${child.memberId} is not certainly under 18 on ${today}: parental authority ends at 18 (art. 1:246 BW)`,
        );
      }
      const holders: AuthorityHolder[] = command.holders.map((h) =>
        h.kind === 'member'
          ? { kind: 'member', memberId: h.memberId }
          : { kind: 'external', holderId: h.holderId },
      );
      const distinct = holders.every((h, i) => holders.findIndex((o) => sameParty(o, h)) === i);
      if (holders.length < 1 || holders.length > 2 || !distinct) {
        throw invalid(
          'InvalidAuthorityHolders',
          'holders: one or two holders of authority, each named once',
          {
            field: 'holders',
          },
        );
      }
      holders.forEach((h, i) => {
        if (h.kind !== 'member') return;
        const field = `holders[${i}].memberId`;
        if (h.memberId === child.memberId) {
          throw invalid(
            'InvalidAuthorityHolders',
            `${field}: a child cannot hold authority over themselves`,
            {
              field,
            },
          );
        }
        const holder = state.members[h.memberId];
        if (!holder) {
          throw invalid('UnknownMember', `${field}: ${h.memberId} is not a member of this household`, {
            field,
          });
        }
        if (holder.left) {
          throw conflict(
            'AuthorityHolderNotEligible',
            `${field}: member ${h.memberId} left the household; name them as a holder outside it`,
          );
        }
        const age = ageOn(birthOf(holder), today);
        if (age < CAPACITY_AGES.adultFrom) {
          throw conflict(
            'AuthorityHolderNotEligible',
            `${field}: member ${h.memberId} is ${age} on ${today}; a minor cannot hold parental authority (art. 1:246 BW)`,
          );
        }
      });
      const outside = command.holders.filter((h) => h.kind === 'external');
      return [
        {
          type: 'AuthoritySet',
          data: { memberId: child.memberId, holders, setBy: actor.id },
          ...(outside.length > 0
            ? { personal: { holderNames: Object.fromEntries(outside.map((h) => [h.holderId, h.name])) } }
            : {}),
        },
      ];
    }
  }
};

// ---- evolve -------------------------------------------------------------------------------------

/**
 * A member who leaves stays in the state with `left`; the authority they hold over a child stays
 * too (gezag does not end by moving out: the holder is in effect outside the household now).
 */
export const evolveMembers = (state: HouseholdState, event: MemberEvent): HouseholdState => {
  switch (event.type) {
    case 'MemberJoined': {
      const { memberId, role, birthYear, birthMonth } = event.data;
      const member: MemberState = memberData({ memberId, role, birthYear, birthMonth });
      return { ...state, members: { ...state.members, [memberId]: member } };
    }
    case 'MemberLeft': {
      const member = state.members[event.data.memberId];
      if (!member) return state;
      return {
        ...state,
        members: {
          ...state.members,
          [member.memberId]: { ...member, left: { on: event.data.on, reason: event.data.reason } },
        },
      };
    }
    case 'AuthoritySet': {
      const member = state.members[event.data.memberId];
      if (!member) return state;
      return {
        ...state,
        members: { ...state.members, [member.memberId]: { ...member, authority: event.data.holders } },
      };
    }
  }
};

// ---- the slice ---------------------------------------------------------------------------------

export const memberSlice = householdSlice({
  commands: MEMBER_COMMAND_TYPES,
  events: MEMBER_EVENT_TYPES,
  decide: decideMembers,
  evolve: evolveMembers,
});
