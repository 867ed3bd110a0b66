import { dateInNl } from '../shared/calendar';
import { runningMeasure } from './child-protection';
import { conflict, forbidden, invalid, notFound } from '../shared/domain-error';
import type { DomainEvent } from '../shared/event';
import type { LifeDomain, MemberRole } from '../shared/life-domains';
import type { TeamState } from '../team/team';
import { assignmentsEndedByClosure } from './assignments';
import {
  holderName,
  holdsRegie,
  inHouseholdTeam,
  noLongerByTakeover,
  requireActiveWorker,
  workerHolder,
} from './household-access';
import type { HouseholdCommandBase, WorkerFacts } from './household.commands';
import type { HouseholdEvent, MemberData, RegieHolder } from './household.events';
import { birthOf, type HouseholdState, initialHouseholdState } from './household.state';
import { birthDateProblem, type BirthDate } from './persons';
import { householdSlice } from './household.slice';

/** The household's life: it is registered, its plan closes and reopens (invariant 9). Erasure is its own slice (erasure.ts). */

// ---- commands
export interface RegisterHousehold extends HouseholdCommandBase {
  readonly type: 'RegisterHousehold';
  readonly team: TeamState;
  readonly district: string;
  readonly members: readonly {
    memberId: string;
    role: MemberRole;
    birthYear: number;
    /** 1..12 where known. */
    birthMonth?: number;
    name: string;
  }[];
  /** Set when a worker takes regie from the start; undefined means eigen regie. */
  readonly regieWorkerId?: string;
  readonly regieWorker?: WorkerFacts;
}

/**
 * Why a plan closed (issue 19, docs/OUTCOMES.md): a code, so that closures can be counted.
 * `unknown` is never chosen: it is how a closure without a code reads (one written before the
 * codes, schema v1 of PlanClosed, or one whose client sent none).
 */
export const CLOSURE_REASONS = [
  'goals-achieved',
  'continues-without-help',
  'transferred-to-specialist',
  'moved',
  'household-withdrew',
  'other',
] as const;
export type ChosenClosureReason = (typeof CLOSURE_REASONS)[number];
export type ClosureReason = ChosenClosureReason | 'unknown';

/** How far a goal of the plan was realised when the plan closed. */
export const GOAL_REALISATIONS = ['achieved', 'partly-achieved', 'not-achieved', 'dropped'] as const;
export type ChosenGoalRealisation = (typeof GOAL_REALISATIONS)[number];
/** `not-recorded`: a goal the closure did not name (never chosen). */
export type GoalRealisation = ChosenGoalRealisation | 'not-recorded';

/** A reopen before this many months after the closure counts as recurrence (terugval). */
export const RECURRENCE_MONTHS = 12;

export interface ClosePlan extends HouseholdCommandBase {
  readonly type: 'ClosePlan';
  readonly outcome: string;
  /** Absent: the closure reads as `unknown` (clients of before issue 19). */
  readonly reason?: ChosenClosureReason;
  /** Per goal of the plan; a goal left out is recorded as `not-recorded`. */
  readonly goals?: readonly { goalId: string; realisation: ChosenGoalRealisation }[];
}

export interface ReopenPlan extends HouseholdCommandBase {
  readonly type: 'ReopenPlan';
  readonly reason: string;
}

export type LifecycleCommand = RegisterHousehold | ClosePlan | ReopenPlan;

// ---- events
export type HouseholdRegistered = DomainEvent<
  'HouseholdRegistered',
  {
    householdId: string;
    teamId: string;
    district: string;
    members: MemberData[];
    regie: RegieHolder;
    registeredAt: string;
  }
>;
/** PlanClosed as written before issue 19 (schema v1): the outcome was free text only. */
export type PlanClosedV1Data = {
  closedBy: string;
  regieEndedFor: RegieHolder;
  closedAt: string;
};
/** PlanClosed since issue 19 (schema v2): the coded closure, with where it counts (district, team). */
export type CodedClosureData = PlanClosedV1Data & {
  reason: ClosureReason;
  district: string;
  teamId: string;
  /** Every goal of the plan, in the order they were added, with its realisation. */
  goals: { goalId: string; lifeDomain: LifeDomain; realisation: GoalRealisation }[];
};
export type PlanClosed = DomainEvent<'PlanClosed', PlanClosedV1Data | CodedClosureData>;

/** The closure reason of a PlanClosed of any version: `unknown` for one written before the codes. */
export const closureReasonOf = (data: PlanClosed['data']): ClosureReason =>
  typeof (data as Partial<CodedClosureData>).reason === 'string'
    ? (data as CodedClosureData).reason
    : 'unknown';

/** PlanReopened as written before issue 19 (schema v1). */
export type PlanReopenedV1Data = {
  reopenedBy: string;
};
/**
 * PlanReopened since issue 19 (schema v2): the closure it undoes, and whether the reopen is a
 * recurrence (before RECURRENCE_MONTHS months after that closure, by the calendar in the Netherlands).
 */
export type PlanReopenedData = PlanReopenedV1Data & {
  reopenedAt: string;
  closedAt: string;
  closureReason: ClosureReason;
  recurrence: boolean;
  district: string;
  teamId: string;
};
export type PlanReopened = DomainEvent<'PlanReopened', PlanReopenedV1Data | PlanReopenedData>;

/**
 * Whether a reopen at `reopenedAt` is a recurrence of the closure at `closedAt`: on a day before
 * the same calendar day RECURRENCE_MONTHS months later (Dutch dates; 29 February reads as is).
 */
export const isRecurrence = (closedAt: string, reopenedAt: string): boolean => {
  const closedOn = dateInNl(closedAt);
  const anniversary = `${Number(closedOn.slice(0, 4)) + RECURRENCE_MONTHS / 12}${closedOn.slice(4)}`;
  return dateInNl(reopenedAt) < anniversary;
};

export type LifecycleEvent = HouseholdRegistered | PlanClosed | PlanReopened;

export const LIFECYCLE_EVENT_TYPES = [
  'HouseholdRegistered',
  'PlanClosed',
  'PlanReopened',
] as const satisfies readonly LifecycleEvent['type'][];
export const LIFECYCLE_COMMAND_TYPES = [
  'RegisterHousehold',
  'ClosePlan',
  'ReopenPlan',
] as const satisfies readonly LifecycleCommand['type'][];

// ---- decide
export const decideLifecycle = (command: LifecycleCommand, state: HouseholdState): HouseholdEvent[] => {
  const { actor, at } = command;
  switch (command.type) {
    case 'RegisterHousehold': {
      if (state.status !== 'unregistered') {
        throw conflict(
          'HouseholdAlreadyRegistered',
          `household ${command.householdId} is already registered`,
        );
      }
      const team = command.team;
      if (!team.exists)
        throw notFound('TeamNotFound', `team ${team.teamId || '(unknown)'} is not registered`);
      if (!actor.teams.includes(team.teamId)) {
        throw forbidden('NotHouseholdTeam', `only workers of team ${team.teamId} register households for it`);
      }
      if (!team.districts.includes(command.district)) {
        throw invalid(
          'DistrictNotServed',
          `district: team ${team.teamId} does not serve district ${command.district}`,
          {
            field: 'district',
          },
        );
      }
      const ids = command.members.map((m) => m.memberId);
      if (new Set(ids).size !== ids.length) {
        throw invalid('DuplicateMember', 'members: member ids must be unique', { field: 'members' });
      }
      command.members.forEach((m, i) => requireBirthDate(birthOf(m), at, `members[${i}].birthYear`));
      let regie: RegieHolder = { kind: 'household' };
      if (command.regieWorkerId !== undefined) {
        regie = workerHolder(
          requireActiveWorker(command.regieWorker, command.regieWorkerId, 'regie.workerId'),
        );
      }
      return [
        {
          type: 'HouseholdRegistered',
          data: {
            householdId: command.householdId,
            teamId: team.teamId,
            district: command.district,
            members: command.members.map(memberData),
            regie,
            registeredAt: at,
          },
          // Each name in its member's own part, so one member is erased on their own (erasure.ts).
          personal: {
            persons: Object.fromEntries(command.members.map((m) => [m.memberId, { name: m.name }])),
          },
        },
      ];
    }
    case 'ClosePlan': {
      if (state.status === 'unregistered') throw notFound('HouseholdNotFound', 'household is not registered');
      if (state.status === 'closed')
        throw conflict('PlanClosed', 'invariant 9: the plan is already closed', 9);
      const allowed =
        state.regie.kind === 'household' ? inHouseholdTeam(actor, state) : holdsRegie(actor, state);
      if (!allowed) {
        throw forbidden(
          'NotRegieHolder',
          `only the regie holder (${holderName(state.regie)}) closes the plan`,
        );
      }
      if (state.pendingTransfer) {
        throw conflict(
          'TransferPending',
          `invariant 9: transfer ${state.pendingTransfer.transferId} is pending; a plan cannot close while a transfer is pending`,
          9,
        );
      }
      // A closure hands regie to the household, which a running child protection measure forbids
      // (regie lies with the institution's jeugdbeschermer): the measure ends first.
      const measure = runningMeasure(state, command.at);
      if (measure) {
        throw conflict(
          'ChildProtectionMeasureRuns',
          `measure ${measure.measureId} (${measure.kind}, until ${measure.until}) runs: end it before closing the plan, which would give regie back to the household`,
          undefined,
          { measureId: measure.measureId, organisationId: measure.organisationId },
        );
      }
      return [
        {
          type: 'PlanClosed',
          data: {
            closedBy: actor.id,
            regieEndedFor: state.regie,
            closedAt: at,
            reason: command.reason ?? 'unknown',
            district: state.district,
            teamId: state.teamId,
            goals: goalRealisations(state, command.goals ?? []),
          },
          personal: { outcome: command.outcome },
        },
        ...assignmentsEndedByClosure(state, actor, at),
      ];
    }
    case 'ReopenPlan': {
      if (state.status === 'unregistered') throw notFound('HouseholdNotFound', 'household is not registered');
      if (state.status !== 'closed')
        throw conflict('PlanNotClosed', 'invariant 9: only a closed plan can be reopened', 9);
      if (!inHouseholdTeam(actor, state)) {
        throw forbidden('NotHouseholdTeam', `only workers of team ${state.teamId} reopen this plan`);
      }
      // Every closed plan has one: PlanClosed of any version sets it.
      const closure = state.lastClosure ?? { closedAt: at, reason: 'unknown' as const };
      return [
        {
          type: 'PlanReopened',
          data: {
            reopenedBy: actor.id,
            reopenedAt: at,
            closedAt: closure.closedAt,
            closureReason: closure.reason,
            recurrence: isRecurrence(closure.closedAt, at),
            district: state.district,
            teamId: state.teamId,
          },
          personal: { reason: command.reason },
        },
      ];
    }
  }
};

/**
 * The realisation of every goal of the plan: as the closure names it, else the goal's own status
 * where that is not `open`, else `not-recorded`. A goal the plan does not have, or one named twice, is refused: nothing is recorded.
 */
const goalRealisations = (
  state: HouseholdState,
  named: NonNullable<ClosePlan['goals']>,
): CodedClosureData['goals'] => {
  const given = new Map<string, ChosenGoalRealisation>();
  named.forEach(({ goalId, realisation }, i) => {
    if (!state.goals[goalId])
      throw invalid('UnknownGoal', `goals[${i}].goalId: the plan has no goal ${goalId}`, {
        field: `goals[${i}].goalId`,
      });
    if (given.has(goalId))
      throw invalid('DuplicateGoal', `goals[${i}].goalId: goal ${goalId} is named twice`, {
        field: `goals[${i}].goalId`,
      });
    given.set(goalId, realisation);
  });
  return Object.values(state.goals).map((g) => ({
    goalId: g.goalId,
    lifeDomain: g.lifeDomain,
    // A goal the closure leaves out keeps the status the team gave it (plan.ts SetGoalStatus), when
    // that says how it ended; only a goal still open and unnamed is not recorded.
    realisation: given.get(g.goalId) ?? (g.status === 'open' ? 'not-recorded' : g.status),
  }));
};

/**
 * A birth date must be real on the day of the act (persons.ts birthDateProblem): checked against
 * the command's time, never a year fixed when the process started.
 */
export const requireBirthDate = (birth: BirthDate, at: string, field: string) => {
  const problem = birthDateProblem(birth, at);
  if (problem) throw invalid('InvalidBirthDate', `${field}: ${problem}`, { field });
};

/** A member's data as events carry it: the month only where known, never the name. */
export const memberData = (m: {
  memberId: string;
  role: MemberRole;
  birthYear: number;
  birthMonth?: number;
}): MemberData => ({
  memberId: m.memberId,
  role: m.role,
  birthYear: m.birthYear,
  ...(m.birthMonth !== undefined ? { birthMonth: m.birthMonth } : {}),
});

// ---- evolve
export const evolveLifecycle = (state: HouseholdState, event: LifecycleEvent): HouseholdState => {
  switch (event.type) {
    case 'HouseholdRegistered': {
      const d = event.data;
      return {
        ...initialHouseholdState(),
        status: 'active',
        householdId: d.householdId,
        teamId: d.teamId,
        district: d.district,
        members: Object.fromEntries(d.members.map((m) => [m.memberId, m])),
        regie: d.regie,
        regieSince: d.registeredAt,
      };
    }
    case 'PlanClosed': {
      const holderChanges = state.regie.kind !== 'household';
      return {
        ...state,
        status: 'closed',
        regie: { kind: 'household' },
        safetyTakeovers: noLongerByTakeover(state),
        regieSince: holderChanges ? event.data.closedAt : state.regieSince,
        lastClosure: { closedAt: event.data.closedAt, reason: closureReasonOf(event.data) },
      };
    }
    case 'PlanReopened':
      return { ...state, status: 'active' };
  }
};

// ---- the slice ---------------------------------------------------------------------------------

export const lifecycleSlice = householdSlice({
  commands: LIFECYCLE_COMMAND_TYPES,
  events: LIFECYCLE_EVENT_TYPES,
  decide: decideLifecycle,
  evolve: evolveLifecycle,
});
