import { conflict, forbidden, notFound } from '../shared/domain-error';
import { CommandActor, DomainEvent } from '../shared/event';
import type { HouseholdState } from './household.state';

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
export type ErasureEvent = HouseholdDataErased;
export const ERASURE_EVENT_TYPES: readonly ErasureEvent['type'][] = ['HouseholdDataErased'];

export interface EraseHouseholdData {
  readonly type: 'EraseHouseholdData';
  readonly householdId: string;
  readonly actor: CommandActor;
  readonly at: string;
  readonly ground: string;
}
export type ErasureCommand = EraseHouseholdData;

export const decideErasure = (command: ErasureCommand, state: HouseholdState): ErasureEvent[] => {
  if (state.status === 'unregistered') throw notFound('HouseholdNotFound', 'household is not registered');
  if (!command.actor.roles.includes('admin'))
    throw forbidden('NotAdmin', "only an administrator erases a household's personal data");
  if (state.status !== 'closed') {
    throw conflict(
      'PlanNotClosed',
      'invariant 9: close the plan before erasing the household, so its regie history ends complete',
      9,
    );
  }
  return [
    {
      type: 'HouseholdDataErased',
      data: { erasedBy: command.actor.id, ground: command.ground, erasedAt: command.at },
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
