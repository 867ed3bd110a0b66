import {
  addWorker,
  deactivate,
  registerTeam,
  team,
  teamHistory,
  teamRegistered,
  teamState,
  workerDeactivated,
  workerJoined,
  ZUID,
} from './fixtures';
import { stateAfter } from './given-when-then';
import { teamDecider } from '@eenplan/domain';

describe('Team decider', () => {
  it('registers a team with its districts', () => {
    team.given([]).when(registerTeam()).then([teamRegistered()]);
  });

  it('refuses a second registration', () => {
    team
      .given([teamRegistered()])
      .when(registerTeam())
      .thenRefuses({ code: 'TeamAlreadyRegistered', kind: 'conflict' });
  });

  it('refuses commands for a team that is not registered', () => {
    team.given([]).when(addWorker('anna')).thenRefuses({ code: 'TeamNotFound', kind: 'not-found' });
  });

  it('adds a worker with role and hours, the name kept as personal data', () => {
    team
      .given([teamRegistered()])
      .when(addWorker('anna'))
      .then([workerJoined('anna')]);
  });

  it('refuses a worker already in the team', () => {
    team
      .given(teamHistory())
      .when(addWorker('anna'))
      .thenRefuses({ code: 'WorkerAlreadyRegistered', kind: 'conflict' });
  });

  it('refuses a worker already registered in another team', () => {
    team
      .given([teamRegistered()])
      .when(addWorker('anna', { alreadyInTeam: ZUID }))
      .thenRefuses({ code: 'WorkerAlreadyRegistered', kind: 'conflict' });
  });

  it('deactivates a worker, who stays on the team as inactive', () => {
    team
      .given(teamHistory())
      .when(deactivate('bas'))
      .then([workerDeactivated('bas')]);
    expect(
      stateAfter(teamDecider, [...teamHistory(), workerDeactivated('bas')]).workers['bas'],
    ).toMatchObject({ active: false });
  });

  it('refuses to deactivate a worker who is not in the team', () => {
    team
      .given([teamRegistered()])
      .when(deactivate('anna'))
      .thenRefuses({ code: 'WorkerNotFound', kind: 'not-found' });
  });

  it('refuses to deactivate a worker twice', () => {
    team
      .given([...teamHistory(), workerDeactivated('bas')])
      .when(deactivate('bas'))
      .thenRefuses({ code: 'WorkerAlreadyInactive', kind: 'conflict' });
  });

  it('refuses to add a deactivated worker again', () => {
    team
      .given([...teamHistory(), workerDeactivated('bas')])
      .when(addWorker('bas'))
      .thenRefuses({ code: 'WorkerAlreadyRegistered', kind: 'conflict' });
  });

  it('evolves districts and workers', () => {
    expect(teamState()).toEqual({
      exists: true,
      teamId: 'noord',
      districts: ['centrum'],
      workers: {
        anna: { workerId: 'anna', role: 'generalist', hoursPerWeek: 32, active: true },
        bas: { workerId: 'bas', role: 'generalist', hoursPerWeek: 32, active: true },
        lies: { workerId: 'lies', role: 'team-lead', hoursPerWeek: 32, active: true },
      },
      caseloadNorm: null,
    });
  });
});
