import { conflict, forbidden, invalid, notFound } from '../shared/domain-error';
import type { CommandActor, DomainEvent } from '../shared/event';
import type { HouseholdState } from './household.state';
import { householdSlice } from './household.slice';

/**
 * Erasure (AVG art. 17) by crypto-shredding: the event store destroys the household's key right
 * after this event is stored, so every name and free text about its people becomes unreadable,
 * while the history (who held regie when, which events, by whom) stays whole under pseudonymous
 * ids. Only a closed plan is erased: its regie history then ends with the household, complete.
 * The ground is a reference (a request number, the legal article), never a name.
 */
export type HouseholdDataErased = DomainEvent<
  'HouseholdDataErased',
  { erasedBy: string; ground: string; erasedAt: string }
>;
/**
 * Erasure of one person (AVG art. 17) who left the household, while the household goes on: the
 * event store destroys that person's key right after this event is stored, so their part of every
 * event (`personal.persons[memberId]`, written from this release on) becomes unreadable. What older
 * events hold about them under the household's key stays until the household is erased
 * (docs/PERSONS.md, "Erasing one person").
 */
export type MemberDataErased = DomainEvent<
  'MemberDataErased',
  { memberId: string; erasedBy: string; ground: string; erasedAt: string }
>;
export type ErasureEvent = HouseholdDataErased | MemberDataErased;
export const ERASURE_EVENT_TYPES = [
  'HouseholdDataErased',
  'MemberDataErased',
] as const satisfies readonly ErasureEvent['type'][];

export interface EraseHouseholdData {
  readonly type: 'EraseHouseholdData';
  readonly householdId: string;
  readonly actor: CommandActor;
  readonly at: string;
  readonly ground: string;
}
export interface EraseMemberData {
  readonly type: 'EraseMemberData';
  readonly householdId: string;
  readonly actor: CommandActor;
  readonly at: string;
  readonly memberId: string;
  readonly ground: string;
}
export type ErasureCommand = EraseHouseholdData | EraseMemberData;
export const ERASURE_COMMAND_TYPES = [
  'EraseHouseholdData',
  'EraseMemberData',
] as const satisfies readonly ErasureCommand['type'][];

/**
 * The ground stays readable for good, outside the encrypted part, so it must be a reference, never
 * a name. A reference names a request or a legal article: it carries a number, and no proper noun.
 * Rule (docs/SECURITY.md "Audit and privacy"): 3 to 120 characters of letters, digits, spaces and . , - / : ( ) §;
 * at least one digit; and no word after the first written as a name is (a capital followed by a
 * lower-case letter), unless it is an abbreviation ending in a dot ("Art."). "AVG art. 17, verzoek
 * 2026-118" passes; "verzoek 2026-118 van Jan Jansen" does not. A name written in lower case, or as
 * the first word, is not caught: the rule refuses what it can tell apart, the admin is told why.
 * Null when the ground is a reference, else what is wrong with it.
 */
export function erasureGroundProblem(ground: string): string | null {
  if (ground.length < 3 || ground.length > ERASURE_GROUND_MAX_LENGTH)
    return `must be 3 to ${ERASURE_GROUND_MAX_LENGTH} characters`;
  if (!/^[\p{L}\p{N} .,\-/:()§]+$/u.test(ground))
    return 'may hold letters, digits, spaces and . , - / : ( ) § only';
  if (!/\p{Nd}/u.test(ground))
    return 'must carry a request number or an article (a digit): it is a reference';
  const words = [...ground.matchAll(/\p{L}+/gu)];
  for (const word of words.slice(1)) {
    const after = ground[word.index! + word[0].length];
    if (/^\p{Lu}\p{Ll}/u.test(word[0]) && after !== '.')
      // The word itself is not repeated: it may be the name that must not be stored.
      return 'must not name anyone: a word after the first is written as a name (write words in lower case, abbreviations in capitals)';
  }
  return null;
}

export const ERASURE_GROUND_MAX_LENGTH = 120;

/**
 * The retention sweep (libs/runtime RetentionSweep) erases households whose retention period ran
 * out, as the system, not as an admin. The decider admits it by this object's identity, not by an
 * id or a role: an HTTP caller's actor is built afresh from its token (write-context.ts), so no
 * token, whatever its subject or roles, yields this object. Frozen so nothing adds a role to it.
 */
export const RETENTION_SWEEP_ACTOR: CommandActor = Object.freeze({
  id: 'retention-sweep',
  roles: Object.freeze([] as string[]),
  teams: Object.freeze([] as string[]),
});

export const decideErasure = (command: ErasureCommand, state: HouseholdState): ErasureEvent[] => {
  const problem = erasureGroundProblem(command.ground);
  if (problem) throw invalid('ErasureGroundNotAReference', `the erasure ground ${problem}`);
  if (state.status === 'unregistered') throw notFound('HouseholdNotFound', 'household is not registered');
  if (!command.actor.roles.includes('admin') && command.actor !== RETENTION_SWEEP_ACTOR)
    throw forbidden('NotAdmin', "only an administrator erases a household's or a member's personal data");
  if (command.type === 'EraseMemberData') return decideMemberErasure(command, state);
  if (state.status !== 'closed') {
    throw conflict(
      'PlanNotClosed',
      'invariant 9: close the plan before erasing the household, so its regie history ends complete',
      9,
    );
  }
  // A meldcode track is the record the Wet verplichte meldcode asks to keep: it ends by a decision
  // or a close with a reason, never by shredding its texts while it is open (docs/MELDCODE.md).
  if (state.meldcode.openTrackId !== null) {
    throw conflict(
      'MeldcodeTrackOpen',
      `meldcode track ${state.meldcode.openTrackId} is open: decide or close it before erasing the household, so the track ends recorded`,
      undefined,
      { openTrackId: state.meldcode.openTrackId },
    );
  }
  return [
    {
      type: 'HouseholdDataErased',
      data: { erasedBy: command.actor.id, ground: command.ground, erasedAt: command.at },
    },
  ];
};

/**
 * One member's data, once they left: the household goes on without them, whatever its plan's
 * status. A current member is not erased (they would still be named by the household's next
 * events): they leave first. The ground is checked as the household's is.
 */
const decideMemberErasure = (command: EraseMemberData, state: HouseholdState): ErasureEvent[] => {
  const member = state.members[command.memberId];
  if (!member)
    throw invalid('UnknownMember', `memberId: ${command.memberId} is not a member of this household`, {
      field: 'memberId',
    });
  if (member.dataErasedAt !== undefined)
    throw conflict(
      'MemberDataAlreadyErased',
      `the personal data of member ${command.memberId} was erased on ${member.dataErasedAt}`,
    );
  if (member.left === undefined)
    throw conflict(
      'MemberStillInHousehold',
      `member ${command.memberId} still belongs to the household: only a member who left is erased on their own`,
    );
  return [
    {
      type: 'MemberDataErased',
      data: {
        memberId: command.memberId,
        erasedBy: command.actor.id,
        ground: command.ground,
        erasedAt: command.at,
      },
    },
  ];
};

/** After an erasure the household takes no further commands: there is nobody left to name. */
export const refuseWhenErased = (state: HouseholdState & { erased?: boolean }): void => {
  if (state.erased) {
    throw conflict(
      'HouseholdErased',
      "this household's personal data was erased; it takes no further changes",
    );
  }
};

// ---- the slice ---------------------------------------------------------------------------------

export const erasureSlice = householdSlice({
  commands: ERASURE_COMMAND_TYPES,
  events: ERASURE_EVENT_TYPES,
  decide: decideErasure,
  evolve: (state, event) => {
    if (event.type === 'HouseholdDataErased') return { ...state, erased: true };
    const member = state.members[event.data.memberId];
    if (!member) return state;
    return {
      ...state,
      members: { ...state.members, [member.memberId]: { ...member, dataErasedAt: event.data.erasedAt } },
    };
  },
});
