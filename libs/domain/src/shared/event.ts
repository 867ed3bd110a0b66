/**
 * A domain event as deciders produce it: readonly data, never a class. `personal` holds names and
 * free text about people, kept apart so it can be erased (crypto-shredding) without breaking history.
 */
export interface DomainEvent<Type extends string = string, Data = Record<string, unknown>> {
  readonly type: Type;
  readonly data: Data;
  readonly personal?: Record<string, unknown>;
}

/** Who issues a command, as the API authenticated them. */
export interface CommandActor {
  readonly id: string;
  readonly roles: readonly string[];
  readonly teams: readonly string[];
}

export interface Decider<Command, State, Event> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  /** Returns the events the command causes, or throws a DomainError. Pure: time comes in the command. */
  decide(command: Command, state: State): Event[];
}

/** Every schema starts at version 1; bump per type when its data shape changes. */
export const SCHEMA_VERSION = 1;
