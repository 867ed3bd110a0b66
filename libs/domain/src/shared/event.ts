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
  /** A resident's or network member's household, as the registry admitted it (issue 20). */
  readonly household?: string;
  /** A resident's member id, or a network member's networkMemberId, in that household. */
  readonly member?: string;
  /** A professional's organisation on the social map, as the registry admitted it (issue 19). */
  readonly organisation?: string;
}

export interface Decider<Command, State, Event> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  /** Returns the events the command causes, or throws a DomainError. Pure: time comes in the command. */
  decide(command: Command, state: State): Event[];
}

/** Every schema starts at version 1; bump per type when its data shape changes (SCHEMA_VERSIONS). */
export const SCHEMA_VERSION = 1;

/**
 * The event types whose data shape changed since version 1, with the version written now. Readers
 * (evolve, projections) still read every earlier version; the published contract has one schema
 * file per version (libs/messaging/asyncapi/schemas).
 */
export const SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  // v2: break-glass (issue 16): a takeoverId and the household's team, no approver named by the taker.
  RegieTakenOverForSafety: 2,
  // v2: the ZRM per adult (issue 18): the member assessed (memberId); v1 measured the household.
  AssessmentRecorded: 2,
  // v2: the member the signal is about (issue 18: UWV consent is per person); v1 named no one.
  WorkIncomeSignalRecorded: 2,
  // v2: the grounds for sharing with the organisation (issue 18): the members' consents or a legal ground.
  ReferralRequested: 2,
  // v2: the coded closure (issue 19): a reason code, each goal's realisation, the district and team.
  PlanClosed: 2,
  // v2: the closure a reopen undoes and whether it is a recurrence (issue 19), the district and team.
  PlanReopened: 2,
};

/** The schema version an event of `type` is written with today. */
export const schemaVersionOf = (type: string): number => SCHEMA_VERSIONS[type] ?? SCHEMA_VERSION;
