import { conflict } from '../shared/domain-error';
import type { HouseholdState } from './household.state';
import { isOpenReferral } from './referrals';

/**
 * Invariant 10 for owners linked to the household: a network member (by its id, not removed), a
 * volunteer through an open assignment (the assignment id), an organisation through an open
 * referral (the referral id). Anything else the household does not know is refused.
 */
export const resolveLinkedOwner = (
  kind: 'network' | 'volunteer' | 'organisation',
  id: string,
  state: HouseholdState,
) => {
  const linked =
    kind === 'network'
      ? state.network[id] !== undefined && !state.network[id].removed
      : kind === 'volunteer'
        ? state.assignments[id]?.status === 'open'
        : isOpenReferral(state.referrals[id]);
  if (!linked) {
    const link =
      kind === 'network'
        ? 'the id of a network member of this household'
        : kind === 'volunteer'
          ? 'the id of an open volunteer assignment of this household'
          : 'the id of an open referral of this household';
    throw conflict(
      'OwnerNotLinked',
      `invariant 10: a ${kind} owns an action only through its link to this household; owner.id must be ${link}, and ${id} is not`,
      10,
    );
  }
  return { kind, id };
};
