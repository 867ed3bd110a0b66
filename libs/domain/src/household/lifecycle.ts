import { conflict, forbidden, invalid, notFound } from '../shared/domain-error';
import type { DomainEvent } from '../shared/event';
import type { MemberRole } from '../shared/life-domains';
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

export interface ClosePlan extends HouseholdCommandBase {
  readonly type: 'ClosePlan';
  readonly outcome: string;
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
export type PlanClosed = DomainEvent<
  'PlanClosed',
  { closedBy: string; regieEndedFor: RegieHolder; closedAt: string }
>;
export type PlanReopened = DomainEvent<'PlanReopened', { reopenedBy: string }>;

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
      return [
        {
          type: 'PlanClosed',
          data: { closedBy: actor.id, regieEndedFor: state.regie, closedAt: at },
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
      return [{ type: 'PlanReopened', data: { reopenedBy: actor.id }, personal: { reason: command.reason } }];
    }
  }
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
