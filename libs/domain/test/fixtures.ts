import {
  AcceptRegieTransfer,
  ActionCompleted,
  CompleteAction,
  AddWorker,
  DeactivateWorker,
  RegisterTeam,
  ActionAdded,
  ActionOwnerKind,
  AddAction,
  AddGoal,
  AgreePlan,
  AuthoritySet,
  type Party as PersonParty,
  PlanAgreementRecorded,
  SetAuthority,
  CancelRegieTransfer,
  ClosePlan,
  CommandActor,
  ConsentGiven,
  ConfirmSafetyTakeover,
  DeclineRegieTransfer,
  GoalAdded,
  HouseholdRegistered,
  householdDecider,
  HouseholdEvent,
  LifeDomain,
  MarkUnconfirmedSafetyTakeovers,
  PlanAgreed,
  PlanClosed,
  ClosureReason,
  CodedClosureData,
  PlanLimits,
  PlanReopened,
  RegieHolder,
  RegieReturnedToHousehold,
  RegieTakenOverForSafety,
  RegieTransferAccepted,
  RegieTransferCancelled,
  RegieTransferDeclined,
  RegieTransferRequested,
  RegisterHousehold,
  RejectSafetyTakeover,
  ReopenPlan,
  RequestRegieTransfer,
  ReturnRegieToHousehold,
  SafetyTakeoverConfirmationOverdue,
  SafetyTakeoverConfirmed,
  SafetyTakeoverRejected,
  TakeOverRegieForSafety,
  TeamEvent,
  TeamState,
  teamDecider,
  TransferVariant,
  WorkerFacts,
} from '@eenplan/domain';
import { spec, stateAfter } from './given-when-then';

/**
 * A small world for domain tests. Team noord serves the household h1 (district centrum); team zuid is
 * the other team. Builders default to the common case so a test names only what it is about; event
 * builders produce exactly what `decide` produces for the matching command builder with the same options.
 */

export const household = spec(householdDecider);
export const team = spec(teamDecider);

export const HH = 'h1';
export const NOORD = 'noord';
export const ZUID = 'zuid';
export const DISTRICT = 'centrum';
/** Members of h1: p1 (parent) agrees to things; c1 is a child. */
export const PARENT = 'p1';
export const CHILD = 'c1';

/** Minutes after a fixed morning; every builder takes its time as `at: T(n)`. */
export const T = (minutes: number) => new Date(Date.UTC(2025, 2, 3, 9, 0) + minutes * 60_000).toISOString();
const REGISTERED_AT = T(0);
const REQUESTED_AT = T(10);
const DECIDED_AT = T(30);

export const WORKERS = {
  anna: { workerId: 'anna', teamId: NOORD, role: 'generalist', active: true },
  bas: { workerId: 'bas', teamId: NOORD, role: 'generalist', active: true },
  lies: { workerId: 'lies', teamId: NOORD, role: 'team-lead', active: true },
  karim: { workerId: 'karim', teamId: ZUID, role: 'specialist', active: true },
  mo: { workerId: 'mo', teamId: ZUID, role: 'team-lead', active: true },
} as const satisfies Record<string, WorkerFacts>;
export type WorkerId = keyof typeof WORKERS;
/** A party in a builder: a worker id, or the household itself. */
export type Party = WorkerId | 'household';

export const facts = (id: WorkerId, overrides: Partial<WorkerFacts> = {}): WorkerFacts => ({
  ...WORKERS[id],
  ...overrides,
});
export const inactive = (id: WorkerId) => facts(id, { active: false });
/** A worker as the API has them: token roles as the team's registry confirms them. */
export const actor = (id: WorkerId): CommandActor => ({
  id,
  roles: WORKERS[id].role === 'team-lead' ? ['worker', 'team-lead'] : ['worker'],
  teams: [WORKERS[id].teamId],
});
export const holder = (party: Party): RegieHolder =>
  party === 'household'
    ? { kind: 'household' }
    : { kind: 'worker', id: party, teamId: WORKERS[party].teamId };
const worker = (id: WorkerId) => ({ kind: 'worker' as const, id, teamId: WORKERS[id].teamId });

interface CommandOptions {
  by?: WorkerId;
  at?: string;
}

// ---- teams --------------------------------------------------------------------------------------

export const teamRegistered = (teamId = NOORD, districts = [DISTRICT]): TeamEvent => ({
  type: 'TeamRegistered',
  data: { teamId, name: `Wijkteam ${teamId}`, districts },
});
export const workerJoined = (id: WorkerId): TeamEvent => ({
  type: 'WorkerJoinedTeam',
  data: { teamId: WORKERS[id].teamId, workerId: id, role: WORKERS[id].role, hoursPerWeek: 32 },
  personal: { name: `Naam van ${id}` },
});
export const workerDeactivated = (id: WorkerId): TeamEvent => ({
  type: 'WorkerDeactivated',
  data: { teamId: WORKERS[id].teamId, workerId: id },
});
/** A team's history with all its workers from WORKERS joined. */
export const teamHistory = (teamId: string = NOORD): TeamEvent[] => [
  teamRegistered(teamId),
  ...(Object.keys(WORKERS) as WorkerId[]).filter((id) => WORKERS[id].teamId === teamId).map(workerJoined),
];
export const teamState = (teamId: string = NOORD): TeamState => stateAfter(teamDecider, teamHistory(teamId));

export const registerTeam = (
  o: CommandOptions & { teamId?: string; districts?: string[] } = {},
): RegisterTeam => ({
  type: 'RegisterTeam',
  teamId: o.teamId ?? NOORD,
  name: `Wijkteam ${o.teamId ?? NOORD}`,
  districts: o.districts ?? [DISTRICT],
  actor: actor(o.by ?? 'lies'),
  at: o.at ?? REGISTERED_AT,
});
export const addWorker = (id: WorkerId, o: CommandOptions & { alreadyInTeam?: string } = {}): AddWorker => ({
  type: 'AddWorker',
  teamId: WORKERS[id].teamId,
  workerId: id,
  name: `Naam van ${id}`,
  role: WORKERS[id].role,
  hoursPerWeek: 32,
  alreadyInTeam: o.alreadyInTeam,
  actor: actor(o.by ?? 'lies'),
  at: o.at ?? REGISTERED_AT,
});
/** `householdsWithRegie` is what the caller looked up: the households where the worker holds regie now. */
export const deactivate = (
  id: WorkerId,
  householdsWithRegie: string[] = [],
  o: CommandOptions = {},
): DeactivateWorker => ({
  type: 'DeactivateWorker',
  teamId: WORKERS[id].teamId,
  workerId: id,
  householdsWithRegie,
  actor: actor(o.by ?? 'lies'),
  at: o.at ?? DECIDED_AT,
});

// ---- household commands -------------------------------------------------------------------------

const base = ({ by = 'anna', at = DECIDED_AT }: CommandOptions) => ({
  householdId: HH,
  actor: actor(by),
  at,
});

const MEMBERS = [
  { memberId: PARENT, role: 'parent' as const, birthYear: 1988, name: 'Fatima' },
  { memberId: CHILD, role: 'child' as const, birthYear: 2015, name: 'Youssef' },
];

export const register = (
  o: CommandOptions & {
    regie?: WorkerId;
    regieWorker?: WorkerFacts;
    team?: TeamState;
    district?: string;
    members?: RegisterHousehold['members'];
  } = {},
): RegisterHousehold => ({
  type: 'RegisterHousehold',
  ...base({ at: REGISTERED_AT, ...o }),
  team: o.team ?? teamState(),
  district: o.district ?? DISTRICT,
  members: o.members ?? MEMBERS,
  regieWorkerId: o.regie,
  regieWorker: 'regieWorker' in o ? o.regieWorker : o.regie ? facts(o.regie) : undefined,
});

export const request = (
  o: CommandOptions & {
    id?: string;
    to?: WorkerId;
    receiver?: WorkerFacts;
    agreedBy?: string;
    reason?: string;
    notes?: string;
  } = {},
): RequestRegieTransfer => {
  const to = o.to ?? 'bas';
  return {
    type: 'RequestRegieTransfer',
    ...base({ at: REQUESTED_AT, ...o }),
    transferId: o.id ?? 't1',
    toWorkerId: to,
    receiver: 'receiver' in o ? o.receiver : facts(to),
    reason: o.reason ?? 'Specialistische hulp nodig',
    handoverNotes: o.notes,
    agreedBy: o.agreedBy,
  };
};

export const accept = (
  o: CommandOptions & { id?: string; receiver?: WorkerFacts; to?: WorkerId } = {},
): AcceptRegieTransfer => ({
  type: 'AcceptRegieTransfer',
  ...base({ by: 'bas', ...o }),
  transferId: o.id ?? 't1',
  receiver: 'receiver' in o ? o.receiver : facts(o.to ?? 'bas'),
});

export const decline = (o: CommandOptions & { id?: string; reason?: string } = {}): DeclineRegieTransfer => ({
  type: 'DeclineRegieTransfer',
  ...base({ by: 'bas', ...o }),
  transferId: o.id ?? 't1',
  reason: o.reason ?? 'Geen ruimte in caseload',
});

export const cancel = (o: CommandOptions & { id?: string; reason?: string } = {}): CancelRegieTransfer => ({
  type: 'CancelRegieTransfer',
  ...base(o),
  transferId: o.id ?? 't1',
  reason: o.reason ?? 'Niet meer nodig',
});

export const takeOver = (
  o: CommandOptions & { id?: string; taker?: WorkerFacts; reason?: string } = {},
): TakeOverRegieForSafety => {
  const by = o.by ?? 'bas';
  return {
    type: 'TakeOverRegieForSafety',
    ...base({ ...o, by }),
    takeoverId: o.id ?? 's1',
    reason: o.reason ?? 'Veiligheid in het geding',
    taker: 'taker' in o ? o.taker : facts(by),
  };
};

/** A team lead's act on takeover `id`; `lead` is what the registry says of the actor (default: them as WORKERS has it). */
export const confirmTakeover = (
  o: CommandOptions & { id?: string; lead?: WorkerFacts } = {},
): ConfirmSafetyTakeover => {
  const by = o.by ?? 'lies';
  return {
    type: 'ConfirmSafetyTakeover',
    ...base({ ...o, by }),
    takeoverId: o.id ?? 's1',
    lead: 'lead' in o ? o.lead : facts(by),
  };
};

export const rejectTakeover = (
  o: CommandOptions & { id?: string; lead?: WorkerFacts; previousHolder?: WorkerFacts; reason?: string } = {},
): RejectSafetyTakeover => {
  const by = o.by ?? 'lies';
  return {
    type: 'RejectSafetyTakeover',
    ...base({ ...o, by }),
    takeoverId: o.id ?? 's1',
    reason: o.reason ?? 'Geen acuut gevaar',
    lead: 'lead' in o ? o.lead : facts(by),
    previousHolder: 'previousHolder' in o ? o.previousHolder : facts('anna'),
  };
};

export const markUnconfirmed = (o: { at?: string; hours?: number } = {}): MarkUnconfirmedSafetyTakeovers => ({
  type: 'MarkUnconfirmedSafetyTakeovers',
  householdId: HH,
  actor: { id: 'safety-takeover-sweep', roles: [], teams: [] },
  at: o.at ?? DECIDED_AT,
  confirmHours: o.hours ?? 24,
});

export const returnRegie = (o: CommandOptions & { agreedBy?: string } = {}): ReturnRegieToHousehold => ({
  type: 'ReturnRegieToHousehold',
  ...base(o),
  agreedBy: o.agreedBy ?? PARENT,
});

export const close = (
  o: CommandOptions & { outcome?: string; reason?: ClosePlan['reason']; goals?: ClosePlan['goals'] } = {},
): ClosePlan => ({
  type: 'ClosePlan',
  ...base(o),
  outcome: o.outcome ?? 'Doelen bereikt',
  ...(o.reason !== undefined ? { reason: o.reason } : {}),
  ...(o.goals !== undefined ? { goals: o.goals } : {}),
});

export const reopen = (o: CommandOptions & { reason?: string } = {}): ReopenPlan => ({
  type: 'ReopenPlan',
  ...base(o),
  reason: o.reason ?? 'Nieuwe zorgen',
});

/** Room for any test's plan; the cap tests set their own. */
export const LIMITS: PlanLimits = { maxGoals: 50, maxActions: 250 };

export const addGoal = (
  o: CommandOptions & { goalId?: string; lifeDomain?: LifeDomain; limits?: PlanLimits } = {},
): AddGoal => ({
  type: 'AddGoal',
  ...base(o),
  goalId: o.goalId ?? 'g1',
  lifeDomain: o.lifeDomain ?? 'finances',
  description: 'Schulden op een rij',
  limits: o.limits ?? LIMITS,
});

export const addAction = (
  o: CommandOptions & {
    actionId?: string;
    goalId?: string;
    owner?: { kind: ActionOwnerKind; id?: string };
    ownerWorker?: WorkerFacts;
    limits?: PlanLimits;
  } = {},
): AddAction => ({
  type: 'AddAction',
  ...base(o),
  actionId: o.actionId ?? 'a1',
  goalId: o.goalId ?? 'g1',
  description: 'Budgetcoach zoeken',
  owner: o.owner ?? { kind: 'household' },
  ownerWorker: o.ownerWorker,
  limits: o.limits ?? LIMITS,
});

export const complete = (o: CommandOptions & { actionId?: string } = {}): CompleteAction => ({
  type: 'CompleteAction',
  ...base(o),
  actionId: o.actionId ?? 'a1',
});

export const agree = (o: CommandOptions & { memberId?: string; holderId?: string } = {}): AgreePlan => ({
  type: 'AgreePlan',
  ...base(o),
  by:
    o.holderId !== undefined
      ? { kind: 'external', holderId: o.holderId }
      : { kind: 'member', memberId: o.memberId ?? PARENT },
  evaluationAfterMonths: 6,
});

/** Records that `holders` hold parental authority over `memberId` (default: the parent over the child). */
export const setAuthority = (
  o: CommandOptions & { memberId?: string; holders?: SetAuthority['holders'] } = {},
): SetAuthority => ({
  type: 'SetAuthority',
  ...base(o),
  memberId: o.memberId ?? CHILD,
  holders: o.holders ?? [{ kind: 'member', memberId: PARENT }],
});

// ---- household events ---------------------------------------------------------------------------

export const registered = (o: { regie?: Party; at?: string } = {}): HouseholdRegistered => ({
  type: 'HouseholdRegistered',
  data: {
    householdId: HH,
    teamId: NOORD,
    district: DISTRICT,
    members: MEMBERS.map(({ memberId, role, birthYear }) => ({ memberId, role, birthYear })),
    regie: holder(o.regie ?? 'household'),
    registeredAt: o.at ?? REGISTERED_AT,
  },
  personal: { persons: { [PARENT]: { name: 'Fatima' }, [CHILD]: { name: 'Youssef' } } },
});

/**
 * Issue 18: every member's consent to regie going to a team outside the household's (team zuid by
 * default), as a transfer to karim or mo needs. The child's is given by the parent, as the state
 * does not check again who gave it.
 */
export const outsideRegieConsents = (teamId: string = ZUID): ConsentGiven[] =>
  [PARENT, CHILD].map((memberId) => ({
    type: 'ConsentGiven',
    data: {
      consentId: `regie-${teamId}-${memberId}`,
      memberId,
      purpose: 'regie-outside-organisation',
      recipient: teamId,
      givenBy: [{ kind: 'member', memberId: PARENT }],
      from: '2025-03-03',
      until: null,
      recordedBy: 'anna',
      givenAt: REGISTERED_AT,
    },
  }));

export const requested = (
  o: {
    id?: string;
    from?: Party;
    to?: WorkerId;
    by?: WorkerId;
    variant?: TransferVariant;
    agreedBy?: string | null;
    at?: string;
    reason?: string;
    notes?: string;
  } = {},
): RegieTransferRequested => ({
  type: 'RegieTransferRequested',
  data: {
    transferId: o.id ?? 't1',
    from: holder(o.from ?? 'anna'),
    to: worker(o.to ?? 'bas'),
    requestedBy: o.by ?? 'anna',
    variant: o.variant ?? 'handover',
    agreedBy: o.agreedBy ?? null,
    requestedAt: o.at ?? REQUESTED_AT,
  },
  personal: { reason: o.reason ?? 'Specialistische hulp nodig', handoverNotes: o.notes ?? null },
});

export const accepted = (
  o: {
    id?: string;
    from?: Party;
    to?: WorkerId;
    variant?: TransferVariant;
    requestedBy?: WorkerId;
    by?: WorkerId;
    requestedAt?: string;
    at?: string;
  } = {},
): RegieTransferAccepted => {
  const requestedAt = o.requestedAt ?? REQUESTED_AT;
  const acceptedAt = o.at ?? DECIDED_AT;
  return {
    type: 'RegieTransferAccepted',
    data: {
      transferId: o.id ?? 't1',
      from: holder(o.from ?? 'anna'),
      to: worker(o.to ?? 'bas'),
      variant: o.variant ?? 'handover',
      requestedBy: o.requestedBy ?? 'anna',
      acceptedBy: o.by ?? 'bas',
      requestedAt,
      acceptedAt,
      handoverSeconds: (Date.parse(acceptedAt) - Date.parse(requestedAt)) / 1000,
    },
  };
};

export const declined = (o: { id?: string; by?: WorkerId; reason?: string } = {}): RegieTransferDeclined => ({
  type: 'RegieTransferDeclined',
  data: { transferId: o.id ?? 't1', declinedBy: o.by ?? 'bas' },
  personal: { reason: o.reason ?? 'Geen ruimte in caseload' },
});

export const cancelled = (
  o: { id?: string; by?: WorkerId; cause?: 'cancelled' | 'safety-takeover'; reason?: string } = {},
): RegieTransferCancelled => ({
  type: 'RegieTransferCancelled',
  data: { transferId: o.id ?? 't1', cancelledBy: o.by ?? 'anna', cause: o.cause ?? 'cancelled' },
  personal: {
    reason: o.reason ?? (o.cause === 'safety-takeover' ? 'Veiligheid in het geding' : 'Niet meer nodig'),
  },
});

export const takenOver = (
  o: { id?: string; from?: Party; by?: WorkerId; at?: string; reason?: string } = {},
): RegieTakenOverForSafety => ({
  type: 'RegieTakenOverForSafety',
  data: {
    takeoverId: o.id ?? 's1',
    from: holder(o.from ?? 'anna'),
    to: worker(o.by ?? 'bas'),
    householdTeamId: NOORD,
    takenAt: o.at ?? DECIDED_AT,
  },
  personal: { reason: o.reason ?? 'Veiligheid in het geding' },
});

/** As the release before break-glass recorded a takeover: the approver named by the taker (schema v1). */
export const takenOverWithNamedApprover = (
  o: { from?: Party; by?: WorkerId; approvedBy?: WorkerId; at?: string } = {},
): RegieTakenOverForSafety => ({
  type: 'RegieTakenOverForSafety',
  data: {
    from: holder(o.from ?? 'anna'),
    to: worker(o.by ?? 'bas'),
    approvedBy: o.approvedBy ?? 'lies',
    takenAt: o.at ?? DECIDED_AT,
  },
  personal: { reason: 'Veiligheid in het geding' },
});

export const takeoverConfirmed = (
  o: { id?: string; takenBy?: WorkerId; by?: WorkerId; at?: string } = {},
): SafetyTakeoverConfirmed => ({
  type: 'SafetyTakeoverConfirmed',
  data: {
    takeoverId: o.id ?? 's1',
    takenBy: o.takenBy ?? 'bas',
    confirmedBy: o.by ?? 'lies',
    confirmedAt: o.at ?? DECIDED_AT,
  },
});

export const takeoverRejected = (
  o: {
    id?: string;
    takenBy?: WorkerId;
    by?: WorkerId;
    at?: string;
    reason?: string;
    /** null: regie had moved on; else from whom to whom it goes back. */
    regieReturned?: { from: Party; to: Party; toPreviousHolder?: boolean } | null;
  } = {},
): SafetyTakeoverRejected => {
  const back =
    o.regieReturned === undefined ? { from: 'bas' as Party, to: 'anna' as Party } : o.regieReturned;
  return {
    type: 'SafetyTakeoverRejected',
    data: {
      takeoverId: o.id ?? 's1',
      takenBy: o.takenBy ?? 'bas',
      rejectedBy: o.by ?? 'lies',
      rejectedAt: o.at ?? DECIDED_AT,
      regieReturned: back
        ? { from: holder(back.from), to: holder(back.to), toPreviousHolder: back.toPreviousHolder ?? true }
        : null,
    },
    personal: { reason: o.reason ?? 'Geen acuut gevaar' },
  };
};

export const takeoverConfirmationOverdue = (
  o: { id?: string; takenBy?: WorkerId; takenAt?: string; at?: string; hours?: number } = {},
): SafetyTakeoverConfirmationOverdue => ({
  type: 'SafetyTakeoverConfirmationOverdue',
  data: {
    takeoverId: o.id ?? 's1',
    takenBy: o.takenBy ?? 'bas',
    takenAt: o.takenAt ?? DECIDED_AT,
    householdTeamId: NOORD,
    confirmHours: o.hours ?? 24,
    detectedAt: o.at ?? DECIDED_AT,
  },
});

export const returned = (
  o: { from?: WorkerId; by?: WorkerId; agreedBy?: string; at?: string } = {},
): RegieReturnedToHousehold => ({
  type: 'RegieReturnedToHousehold',
  data: {
    from: holder(o.from ?? 'anna'),
    returnedBy: o.by ?? o.from ?? 'anna',
    agreedBy: o.agreedBy ?? PARENT,
    returnedAt: o.at ?? DECIDED_AT,
  },
});

/** PlanClosed as written now (schema v2); `legacy` writes it as before issue 19 (v1, no codes). */
export const closed = (
  o: {
    by?: WorkerId;
    regieEndedFor?: Party;
    at?: string;
    outcome?: string;
    reason?: ClosureReason;
    goals?: CodedClosureData['goals'];
    legacy?: boolean;
  } = {},
): PlanClosed => {
  const v1 = {
    closedBy: o.by ?? 'anna',
    regieEndedFor: holder(o.regieEndedFor ?? 'household'),
    closedAt: o.at ?? DECIDED_AT,
  };
  return {
    type: 'PlanClosed',
    data: o.legacy
      ? v1
      : { ...v1, reason: o.reason ?? 'unknown', district: DISTRICT, teamId: NOORD, goals: o.goals ?? [] },
    personal: { outcome: o.outcome ?? 'Doelen bereikt' },
  };
};

/** PlanReopened as written now (schema v2); `legacy` writes it as before issue 19 (v1). */
export const reopened = (
  o: {
    by?: WorkerId;
    reason?: string;
    at?: string;
    closedAt?: string;
    closureReason?: ClosureReason;
    recurrence?: boolean;
    legacy?: boolean;
  } = {},
): PlanReopened => ({
  type: 'PlanReopened',
  data: o.legacy
    ? { reopenedBy: o.by ?? 'anna' }
    : {
        reopenedBy: o.by ?? 'anna',
        reopenedAt: o.at ?? DECIDED_AT,
        closedAt: o.closedAt ?? DECIDED_AT,
        closureReason: o.closureReason ?? 'unknown',
        recurrence: o.recurrence ?? true,
        district: DISTRICT,
        teamId: NOORD,
      },
  personal: { reason: o.reason ?? 'Nieuwe zorgen' },
});

export const goalAdded = (
  o: { goalId?: string; lifeDomain?: LifeDomain; revision?: number } = {},
): GoalAdded => ({
  type: 'GoalAdded',
  data: { goalId: o.goalId ?? 'g1', lifeDomain: o.lifeDomain ?? 'finances', planRevision: o.revision ?? 1 },
  personal: { description: 'Schulden op een rij' },
});

export const actionAdded = (
  o: {
    actionId?: string;
    goalId?: string;
    owner?: { kind: ActionOwnerKind; id: string };
    revision?: number;
  } = {},
): ActionAdded => ({
  type: 'ActionAdded',
  data: {
    actionId: o.actionId ?? 'a1',
    goalId: o.goalId ?? 'g1',
    owner: o.owner ?? { kind: 'household', id: HH },
    planRevision: o.revision ?? 1,
  },
  personal: { description: 'Budgetcoach zoeken' },
});

export const actionCompleted = (o: { actionId?: string; by?: WorkerId } = {}): ActionCompleted => ({
  type: 'ActionCompleted',
  data: { actionId: o.actionId ?? 'a1', completedBy: o.by ?? 'anna' },
});

/** The plan is to be evaluated by then when agreed on the fixtures' day (T(30), 2025-03-03) and P6M. */
export const EVALUATE_BY = '2025-09-03';

export const agreed = (
  o: { revision?: number; agreedBy?: string; by?: WorkerId; evaluateBy?: string } = {},
): PlanAgreed => ({
  type: 'PlanAgreed',
  data: {
    planRevision: o.revision ?? 1,
    agreedBy: o.agreedBy ?? PARENT,
    recordedBy: o.by ?? 'anna',
    evaluateBy: o.evaluateBy ?? EVALUATE_BY,
  },
});

/** One party's agreement with a revision (default: the parent, revision 1). */
export const agreementRecorded = (
  o: { revision?: number; party?: PersonParty; by?: WorkerId } = {},
): PlanAgreementRecorded => ({
  type: 'PlanAgreementRecorded',
  data: {
    planRevision: o.revision ?? 1,
    by: o.party ?? { kind: 'member', memberId: PARENT },
    recordedBy: o.by ?? 'anna',
  },
});

/** The parent holds authority over the child (or `holders` over `memberId`), recorded at registration time. */
export const authoritySet = (
  o: {
    memberId?: string;
    holders?: AuthoritySet['data']['holders'];
    by?: WorkerId;
    names?: Record<string, string>;
  } = {},
): AuthoritySet => ({
  type: 'AuthoritySet',
  data: {
    memberId: o.memberId ?? CHILD,
    holders: o.holders ?? [{ kind: 'member', memberId: PARENT }],
    setBy: o.by ?? 'anna',
  },
  ...(o.names ? { personal: { holderNames: o.names } } : {}),
});

export const householdState = (events: HouseholdEvent[]) => stateAfter(householdDecider, events);
