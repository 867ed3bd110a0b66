import { conflict, notFound } from '../shared/domain-error';
import type { CommandActor, Decider, DomainEvent } from '../shared/event';
import type { WorkerRole } from '../shared/life-domains';
import type { SetCaseloadNorm, TeamCaseloadNormSet } from './caseload-norm';
import { decideCaseloadNorm } from './caseload-norm';

export const teamStream = (teamId: string) => `team-${teamId}`;

// ---- events -------------------------------------------------------------------------------------

export type TeamRegistered = DomainEvent<
  'TeamRegistered',
  { teamId: string; name: string; districts: string[] }
>;
/** The worker's name is personal data; role and hours are not. */
export type WorkerJoinedTeam = DomainEvent<
  'WorkerJoinedTeam',
  { teamId: string; workerId: string; role: WorkerRole; hoursPerWeek: number }
>;
export type WorkerDeactivated = DomainEvent<'WorkerDeactivated', { teamId: string; workerId: string }>;
export type TeamEvent = TeamRegistered | WorkerJoinedTeam | WorkerDeactivated | TeamCaseloadNormSet;

// ---- state --------------------------------------------------------------------------------------

export interface TeamWorker {
  readonly workerId: string;
  readonly role: WorkerRole;
  readonly hoursPerWeek: number;
  readonly active: boolean;
}

export interface TeamState {
  readonly exists: boolean;
  readonly teamId: string;
  readonly districts: readonly string[];
  readonly workers: Readonly<Record<string, TeamWorker>>;
  /** Households per worker the team agreed on; null until set. */
  readonly caseloadNorm: number | null;
}

// ---- commands -----------------------------------------------------------------------------------

export interface RegisterTeam {
  readonly type: 'RegisterTeam';
  readonly teamId: string;
  readonly name: string;
  readonly districts: string[];
  readonly actor: CommandActor;
  readonly at: string;
}

export interface AddWorker {
  readonly type: 'AddWorker';
  readonly teamId: string;
  readonly workerId: string;
  readonly name: string;
  readonly role: WorkerRole;
  readonly hoursPerWeek: number;
  /**
   * How the households whose regie the worker holds reach them (issue 20): personal data, in the
   * event's personal part with the name, shown only to the residents of those households.
   */
  readonly contact?: { readonly phone?: string; readonly email?: string };
  /** The team the worker already belongs to, if any (a worker id is unique across teams). */
  readonly alreadyInTeam?: string;
  /** The roles this id was seen acting with as an auditor, integrator or admin, if it was. */
  readonly actsAs?: string;
  readonly actor: CommandActor;
  readonly at: string;
}

export interface DeactivateWorker {
  readonly type: 'DeactivateWorker';
  readonly teamId: string;
  readonly workerId: string;
  /** Households where this worker holds regie now, looked up by the caller (invariant 8). */
  readonly householdsWithRegie: readonly string[];
  readonly actor: CommandActor;
  readonly at: string;
}

export type TeamCommand = RegisterTeam | AddWorker | DeactivateWorker | SetCaseloadNorm;

// ---- decider ------------------------------------------------------------------------------------

const initialState = (): TeamState => ({
  exists: false,
  teamId: '',
  districts: [],
  workers: {},
  caseloadNorm: null,
});

const evolve = (state: TeamState, event: TeamEvent): TeamState => {
  switch (event.type) {
    case 'TeamRegistered':
      return {
        ...initialState(),
        exists: true,
        teamId: event.data.teamId,
        districts: event.data.districts,
      };
    case 'WorkerJoinedTeam': {
      const { workerId, role, hoursPerWeek } = event.data;
      return {
        ...state,
        workers: { ...state.workers, [workerId]: { workerId, role, hoursPerWeek, active: true } },
      };
    }
    case 'WorkerDeactivated': {
      const worker = state.workers[event.data.workerId];
      return worker
        ? { ...state, workers: { ...state.workers, [worker.workerId]: { ...worker, active: false } } }
        : state;
    }
    case 'TeamCaseloadNormSet':
      return { ...state, caseloadNorm: event.data.householdsPerWorker };
  }
};

const decide = (command: TeamCommand, state: TeamState): TeamEvent[] => {
  if (command.type === 'RegisterTeam') {
    if (state.exists) throw conflict('TeamAlreadyRegistered', `team ${command.teamId} is already registered`);
    return [
      {
        type: 'TeamRegistered',
        data: { teamId: command.teamId, name: command.name, districts: [...command.districts] },
      },
    ];
  }
  if (!state.exists) throw notFound('TeamNotFound', `team ${command.teamId} is not registered`);
  switch (command.type) {
    case 'AddWorker': {
      if (command.actsAs !== undefined) {
        // One id, one kind of principal: else an auditor's id registered as a worker could hold regie.
        throw conflict(
          'NotAWorkerId',
          `${command.workerId} acts as ${command.actsAs}; ids of auditors, integrators and admins never become workers`,
        );
      }
      if (
        state.workers[command.workerId] ||
        (command.alreadyInTeam && command.alreadyInTeam !== state.teamId)
      ) {
        throw conflict(
          'WorkerAlreadyRegistered',
          `worker ${command.workerId} is already registered in team ${command.alreadyInTeam ?? state.teamId}`,
        );
      }
      return [
        {
          type: 'WorkerJoinedTeam',
          data: {
            teamId: state.teamId,
            workerId: command.workerId,
            role: command.role,
            hoursPerWeek: command.hoursPerWeek,
          },
          personal: {
            name: command.name,
            ...(command.contact?.phone || command.contact?.email
              ? {
                  contact: {
                    ...(command.contact.phone ? { phone: command.contact.phone } : {}),
                    ...(command.contact.email ? { email: command.contact.email } : {}),
                  },
                }
              : {}),
          },
        },
      ];
    }
    case 'DeactivateWorker': {
      const worker = state.workers[command.workerId];
      if (!worker)
        throw notFound('WorkerNotFound', `worker ${command.workerId} is not in team ${state.teamId}`);
      if (!worker.active)
        throw conflict('WorkerAlreadyInactive', `worker ${command.workerId} is already inactive`);
      if (command.householdsWithRegie.length > 0) {
        throw conflict(
          'WorkerHoldsRegie',
          `invariant 8: worker ${command.workerId} still holds regie of households ${command.householdsWithRegie.join(', ')}; ` +
            'transfer or return regie first',
          8,
          { households: [...command.householdsWithRegie] },
        );
      }
      return [{ type: 'WorkerDeactivated', data: { teamId: state.teamId, workerId: command.workerId } }];
    }
    case 'SetCaseloadNorm':
      return decideCaseloadNorm(command, state.teamId);
  }
};

export const teamDecider: Decider<TeamCommand, TeamState, TeamEvent> = { initialState, evolve, decide };
