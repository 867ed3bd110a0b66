import { SetCaseloadNorm } from '@eenplan/domain';
import { actor, NOORD, team, teamHistory, teamRegistered } from './fixtures';

const setNorm = (householdsPerWorker: number): SetCaseloadNorm => ({
  type: 'SetCaseloadNorm',
  teamId: NOORD,
  householdsPerWorker,
  actor: actor('lies'),
  at: '2025-03-03T09:00:00.000Z',
});

describe("the team's caseload norm (households per worker)", () => {
  it('is set by a command on the team stream, and set again to change it', () => {
    const normSet = {
      type: 'TeamCaseloadNormSet' as const,
      data: { teamId: NOORD, householdsPerWorker: 25, setBy: 'lies' },
    };
    team.given(teamHistory()).when(setNorm(25)).then([normSet]);
    team
      .given([...teamHistory(), normSet])
      .when(setNorm(30))
      .then([{ ...normSet, data: { ...normSet.data, householdsPerWorker: 30 } }]);
  });

  it.each([0, -3, 2.5, 501])('refuses %s households per worker', (n) => {
    team
      .given([teamRegistered()])
      .when(setNorm(n))
      .thenRefuses({ code: 'InvalidNorm', kind: 'invalid', details: { field: 'householdsPerWorker' } });
  });

  it('refuses a team that is not registered', () => {
    team.given([]).when(setNorm(20)).thenRefuses({ code: 'TeamNotFound', kind: 'not-found' });
  });
});
