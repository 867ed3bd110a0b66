import { decideErasure, refuseWhenErased } from './erasure';
import { conflict, forbidden, invalid, notFound } from '../shared/domain-error';
import type { CommandActor } from '../shared/event';
import type { HouseholdCommand } from './household.commands';
import type { HouseholdEvent, RegieHolder } from './household.events';
import type { HouseholdState } from './household.state';
import { isAgreed } from './household.state';
import { decideAssessments } from './assessments';
import { decideCheckIns } from './check-ins';
import { decideQuestions } from './questions';
import { decideSignals } from './signals';
import { decideNetwork } from './network';
import { assignmentsEndedByClosure, decideAssignments } from './assignments';
import { decideReferrals } from './referrals';
import { resolveLinkedOwner } from './linked-owners';
import {
  holdsRegie,
  inHouseholdTeam,
  requireActiveWorker,
  requireOpenPlan,
  requirePlanWorker,
  workerHolder,
} from './household-access';
import { decideSafetyTakeovers } from './safety-takeovers';

const requireMember = (state: HouseholdState, memberId: string, field: string) => {
  if (!state.members[memberId]) {
    throw invalid('UnknownMember', `${field}: ${memberId} is not a member of this household`, { field });
  }
};

const requirePending = (state: HouseholdState, transferId: string) => {
  const pending = state.pendingTransfer;
  if (pending && pending.transferId === transferId) return pending;
  if (state.transferIds.includes(transferId)) {
    throw conflict('TransferNotPending', `invariant 2: transfer ${transferId} is no longer pending`, 2);
  }
  throw notFound('TransferNotFound', `transfer ${transferId} does not exist for this household`);
};

/** Invariant 4 (and 5 for the reverse variant): who decides on a pending transfer. */
const requireDecider = (actor: CommandActor, state: HouseholdState, transferId: string) => {
  const pending = requirePending(state, transferId);
  if (pending.variant === 'reverse') {
    if (!holdsRegie(actor, state)) {
      throw forbidden(
        'NotTransferDecider',
        'invariant 5: only the current regie holder accepts or declines a reverse request',
        5,
      );
    }
    return pending;
  }
  const isReceiver = actor.id === pending.to.id;
  // A team lead who asked for the handover cannot also accept it for the receiver: that would be no handover.
  const isReceiversTeamLead =
    actor.roles.includes('team-lead') &&
    actor.teams.includes(pending.to.teamId) &&
    actor.id !== pending.requestedBy;
  if (!isReceiver && !isReceiversTeamLead) {
    throw forbidden(
      'NotTransferDecider',
      "invariant 4: only the receiver or a team lead of the receiver's team accepts or declines",
      4,
    );
  }
  return pending;
};

const seconds = (fromIso: string, toIso: string) =>
  Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
const holderName = (h: RegieHolder) => (h.kind === 'household' ? 'the household' : `worker ${h.id}`);

export const decideHousehold = (command: HouseholdCommand, state: HouseholdState): HouseholdEvent[] => {
  const { actor, at } = command;
  refuseWhenErased(state);
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
            members: command.members.map(({ memberId, role, birthYear }) => ({ memberId, role, birthYear })),
            regie,
            registeredAt: at,
          },
          personal: { memberNames: Object.fromEntries(command.members.map((m) => [m.memberId, m.name])) },
        },
      ];
    }

    case 'AddGoal': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      if (state.goals[command.goalId])
        throw conflict('GoalAlreadyExists', `goal ${command.goalId} already exists`);
      requireRoom('goals', Object.keys(state.goals).length, command.limits.maxGoals);
      return [
        {
          type: 'GoalAdded',
          data: {
            goalId: command.goalId,
            lifeDomain: command.lifeDomain,
            planRevision: nextChangeRevision(state),
          },
          personal: { description: command.description },
        },
      ];
    }

    case 'AddAction': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      if (state.actions[command.actionId])
        throw conflict('ActionAlreadyExists', `action ${command.actionId} already exists`);
      requireRoom('actions', Object.keys(state.actions).length, command.limits.maxActions);
      if (!state.goals[command.goalId]) {
        throw conflict(
          'GoalNotFound',
          `invariant 10: an action belongs to a goal, and goal ${command.goalId} does not exist`,
          10,
        );
      }
      const owner = resolveOwner(command, state);
      return [
        {
          type: 'ActionAdded',
          data: {
            actionId: command.actionId,
            goalId: command.goalId,
            owner,
            planRevision: nextChangeRevision(state),
          },
          personal: { description: command.description },
        },
      ];
    }

    case 'CompleteAction': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      const action = state.actions[command.actionId];
      if (!action) throw notFound('ActionNotFound', `action ${command.actionId} does not exist`);
      if (action.completed)
        throw conflict('ActionAlreadyCompleted', `action ${command.actionId} is already completed`);
      return [{ type: 'ActionCompleted', data: { actionId: command.actionId, completedBy: actor.id } }];
    }

    case 'AgreePlan': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      requireMember(state, command.memberId, 'memberId');
      if (Object.keys(state.goals).length === 0) {
        throw conflict('PlanEmpty', 'invariant 11: a plan without goals cannot be agreed', 11);
      }
      if (isAgreed(state)) {
        throw conflict(
          'PlanAlreadyAgreed',
          `invariant 11: revision ${state.planRevision} is already agreed`,
          11,
        );
      }
      return [
        {
          type: 'PlanAgreed',
          data: { planRevision: state.planRevision, agreedBy: command.memberId, recordedBy: actor.id },
        },
      ];
    }

    case 'RequestRegieTransfer': {
      requireOpenPlan(state);
      if (state.transferIds.includes(command.transferId)) {
        throw conflict('TransferIdAlreadyUsed', `transfer id ${command.transferId} was used before`);
      }
      let variant: 'handover' | 'on-behalf' | 'reverse';
      if (state.regie.kind === 'household') {
        if (!inHouseholdTeam(actor, state)) {
          throw forbidden(
            'NotHouseholdTeam',
            `invariant 5: while the household holds regie, a worker of team ${state.teamId} requests the transfer`,
            5,
          );
        }
        if (command.agreedBy === undefined) {
          throw conflict(
            'AgreedByRequired',
            'invariant 5: the household holds regie, so agreedBy must name the member who agreed',
            5,
          );
        }
        requireMember(state, command.agreedBy, 'agreedBy');
        variant = 'on-behalf';
      } else if (command.toWorkerId === state.regie.id) {
        throw conflict(
          'AlreadyRegieHolder',
          `invariant 1: worker ${command.toWorkerId} already holds regie`,
          1,
        );
      } else if (holdsRegie(actor, state)) {
        variant = 'handover';
      } else if (command.toWorkerId === actor.id) {
        variant = 'reverse';
      } else {
        throw forbidden(
          'NotRegieHolder',
          'invariant 5: only the regie holder hands regie to another worker; any other worker may request it for themselves',
          5,
        );
      }
      if (state.pendingTransfer) {
        throw conflict(
          'TransferAlreadyPending',
          `invariant 2: transfer ${state.pendingTransfer.transferId} is already pending for this household`,
          2,
          { pendingTransferId: state.pendingTransfer.transferId },
        );
      }
      const receiver = requireActiveWorker(command.receiver, command.toWorkerId, 'to.id');
      return [
        {
          type: 'RegieTransferRequested',
          data: {
            transferId: command.transferId,
            from: state.regie,
            to: workerHolder(receiver),
            requestedBy: actor.id,
            variant,
            agreedBy: variant === 'on-behalf' ? (command.agreedBy ?? null) : null,
            requestedAt: at,
          },
          personal: { reason: command.reason, handoverNotes: command.handoverNotes ?? null },
        },
      ];
    }

    case 'AcceptRegieTransfer': {
      requireOpenPlan(state);
      const pending = requireDecider(actor, state, command.transferId);
      // Invariant 3: regie passes only now; the receiver must still be able to hold it (invariant 1).
      requireActiveWorker(command.receiver, pending.to.id, 'receiver');
      return [
        {
          type: 'RegieTransferAccepted',
          data: {
            transferId: pending.transferId,
            from: state.regie,
            to: pending.to,
            variant: pending.variant,
            requestedBy: pending.requestedBy,
            acceptedBy: actor.id,
            requestedAt: pending.requestedAt,
            acceptedAt: at,
            handoverSeconds: seconds(pending.requestedAt, at),
          },
        },
      ];
    }

    case 'DeclineRegieTransfer': {
      requireOpenPlan(state);
      const pending = requireDecider(actor, state, command.transferId);
      return [
        {
          type: 'RegieTransferDeclined',
          data: { transferId: pending.transferId, declinedBy: actor.id },
          personal: { reason: command.reason },
        },
      ];
    }

    case 'CancelRegieTransfer': {
      requireOpenPlan(state);
      const pending = requirePending(state, command.transferId);
      if (actor.id !== pending.requestedBy && !holdsRegie(actor, state)) {
        throw forbidden(
          'NotTransferCanceller',
          'invariant 4: only the requester or the current regie holder cancels a transfer',
          4,
        );
      }
      return [
        {
          type: 'RegieTransferCancelled',
          data: { transferId: pending.transferId, cancelledBy: actor.id, cause: 'cancelled' },
          personal: { reason: command.reason },
        },
      ];
    }

    case 'ReturnRegieToHousehold': {
      requireOpenPlan(state);
      if (state.regie.kind === 'household') {
        throw conflict('HouseholdHoldsRegie', 'invariant 7: the household already holds regie', 7);
      }
      if (!holdsRegie(actor, state)) {
        throw forbidden(
          'NotRegieHolder',
          `invariant 7: only the regie holder (${holderName(state.regie)}) returns regie`,
          7,
        );
      }
      if (state.pendingTransfer) {
        throw conflict(
          'TransferPending',
          `invariant 2: transfer ${state.pendingTransfer.transferId} is pending; cancel it before returning regie`,
          2,
        );
      }
      requireMember(state, command.agreedBy, 'agreedBy');
      return [
        {
          type: 'RegieReturnedToHousehold',
          data: { from: state.regie, returnedBy: actor.id, agreedBy: command.agreedBy, returnedAt: at },
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

    case 'ScheduleCheckIns':
    case 'EndCheckIns':
    case 'RecordCheckInContact':
    case 'MarkOverdueCheckIns':
      return decideCheckIns(command, state);
    case 'RecordAssessment':
      return decideAssessments(command, state);
    case 'GiveUwvConsent':
    case 'WithdrawUwvConsent':
    case 'RecordWorkIncomeSignal':
      return decideSignals(command, state);
    case 'RegisterQuestion':
      return decideQuestions(command, state);
    case 'AddNetworkMember':
    case 'RemoveNetworkMember':
      return decideNetwork(command, state);
    case 'AssignVolunteer':
    case 'EndVolunteerAssignment':
      return decideAssignments(command, state);
    case 'RequestReferral':
    case 'AcceptReferral':
    case 'CompleteReferral':
    case 'WithdrawReferral':
      return decideReferrals(command, state);
    case 'EraseHouseholdData':
      return decideErasure(command, state);
    case 'TakeOverRegieForSafety':
    case 'ConfirmSafetyTakeover':
    case 'RejectSafetyTakeover':
    case 'MarkUnconfirmedSafetyTakeovers':
      return decideSafetyTakeovers(command, state);
  }
};

/**
 * A plan holds at most the configured number of goals and of actions, completed ones included (they
 * stay in the plan): one household must not make every read of it large. The refusal names the cap.
 */
const requireRoom = (section: 'goals' | 'actions', count: number, max: number) => {
  if (count < max) return;
  const [code, setting] =
    section === 'goals'
      ? (['GoalLimitReached', 'maxGoalsPerHousehold'] as const)
      : (['ActionLimitReached', 'maxActionsPerHousehold'] as const);
  throw conflict(
    code,
    `a household's plan holds at most ${max} ${section}, and this one has ${count}`,
    undefined,
    {
      [setting]: max,
    },
  );
};

/** Invariant 11: a change after the plan was agreed starts the next revision, which needs agreement again. */
const nextChangeRevision = (state: HouseholdState) =>
  isAgreed(state) ? state.planRevision + 1 : state.planRevision;

const resolveOwner = (command: Extract<HouseholdCommand, { type: 'AddAction' }>, state: HouseholdState) => {
  const { kind, id } = command.owner;
  if (kind === 'household') return { kind, id: state.householdId };
  if (!id)
    throw invalid('OwnerIdRequired', `owner.id: an action owned by a ${kind} names it`, {
      field: 'owner.id',
    });
  if (kind === 'worker') {
    requireActiveWorker(command.ownerWorker, id, 'owner.id');
    return { kind, id };
  }
  return resolveLinkedOwner(kind, id, state);
};
