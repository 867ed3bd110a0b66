import { conflict, notFound } from '../shared/domain-error';
import type { CommandActor } from '../shared/event';
import type { ActionOwner } from './household.events';
import type { HouseholdState } from './household.state';

/**
 * The household's network members and its volunteers act on the plan themselves (issue 20): each
 * sees and completes the actions they own, nothing else. Written once for the decider (who may
 * complete) and the API (who may see the household at all: apps/api/src/common/household-access.ts).
 *
 * - A network member acts for one household: their token names it and their networkMemberId in it
 *   (`household`, `member`), and the registry admitted them only while that household has them, not
 *   removed. A person in the networks of two households has two ids, one per household.
 * - A volunteer is their volunteer id (`sub`). They own an action through an assignment of theirs:
 *   an action owned by `{kind: volunteer, id: <assignmentId>}` (invariant 10, linked-owners.ts).
 */
export type CircleOwner = { readonly kind: 'network' | 'volunteer'; readonly id: string };

/** Whom the actor acts as in a household's circle; undefined for workers, auditors and the rest. */
export const circleOwnerOf = (actor: CommandActor): CircleOwner | undefined => {
  if (actor.roles.includes('network-member'))
    return actor.member === undefined ? undefined : { kind: 'network', id: actor.member };
  if (actor.roles.includes('volunteer')) return { kind: 'volunteer', id: actor.id };
  return undefined;
};

export const actsInCircle = (actor: CommandActor): boolean =>
  actor.roles.includes('network-member') || actor.roles.includes('volunteer');

/** Whether `owner` (an action's) is the circle member `who`: their network id, or an assignment of theirs. */
const isOwnedBy = (owner: ActionOwner, who: CircleOwner, state: HouseholdState): boolean => {
  if (owner.kind !== who.kind) return false;
  if (who.kind === 'network') return owner.id === who.id;
  // Only through an open assignment (invariant 10): a worker ending it ends the volunteer's part in
  // this household, open actions included, since nothing else can take an action from its owner.
  const assignment = Object.hasOwn(state.assignments, owner.id) ? state.assignments[owner.id] : undefined;
  return assignment !== undefined && assignment.volunteerId === who.id && assignment.status === 'open';
};

/** The actions of this household the actor owns, in the order they were added. */
export const ownActions = (actor: CommandActor, state: HouseholdState) => {
  const who = circleOwnerOf(actor);
  if (!who || !isCircleOf(actor, state)) return [];
  return Object.values(state.actions).filter((a) => isOwnedBy(a.owner, who, state));
};

/**
 * A network member belongs to their own household while it has them (not removed, not erased).
 * A volunteer sees a household while they have an open assignment there: once a worker ends it,
 * the household is none of their business, its open actions included.
 */
export const isCircleOf = (actor: CommandActor, state: HouseholdState): boolean => {
  if (state.status === 'unregistered' || state.erased === true) return false;
  const who = circleOwnerOf(actor);
  if (!who) return false;
  if (who.kind === 'network') {
    const member = Object.hasOwn(state.network, who.id) ? state.network[who.id] : undefined;
    return actor.household === state.householdId && member !== undefined && !member.removed;
  }
  return Object.values(state.assignments).some((a) => a.volunteerId === who.id && a.status === 'open');
};

/**
 * The action a circle member may complete: their own. Any other (another's, or none by that id) is
 * one and the same 404, so the refusal tells them nothing about the rest of the plan.
 */
export const requireOwnAction = (actor: CommandActor, state: HouseholdState, actionId: string) => {
  const who = circleOwnerOf(actor);
  const action = Object.hasOwn(state.actions, actionId) ? state.actions[actionId] : undefined;
  if (!who || !action || !isCircleOf(actor, state) || !isOwnedBy(action.owner, who, state))
    throw notFound('ActionNotFound', `there is no action ${actionId} of yours in this household`);
  if (action.completed) throw conflict('ActionAlreadyCompleted', `action ${actionId} is already completed`);
  return { action, by: who };
};
