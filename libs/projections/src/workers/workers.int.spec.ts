/**
 * The worker directory, given team events: which team a worker joined, the role and hours, and
 * whether still active. On PGlite and the PostgreSQL server (projection-spec.suite.ts).
 */
import { describeProjection, recorded } from '../projection-spec.suite';
import { workersProjection, WorkersQueries } from './workers.projection';

const joined = (teamId: string, workerId: string, role = 'worker', hoursPerWeek = 32) =>
  recorded(`team-${teamId}`, 'WorkerJoinedTeam', { teamId, workerId, role, hoursPerWeek });
const deactivated = (teamId: string, workerId: string) =>
  recorded(`team-${teamId}`, 'WorkerDeactivated', { teamId, workerId });

describeProjection(workersProjection, (spec) => {
  it('a worker who joined a team is found, active, with role and hours', () =>
    spec.given(joined('t-1', 'w-1', 'lead', 24)).then((db) => new WorkersQueries(db).find('w-1'), {
      workerId: 'w-1',
      teamId: 't-1',
      role: 'lead',
      hoursPerWeek: 24,
      active: true,
    }));

  it('a deactivated worker stays in the directory, inactive', () =>
    spec
      .given(joined('t-1', 'w-1'))
      .when(deactivated('t-1', 'w-1'))
      .then(async (db) => (await new WorkersQueries(db).find('w-1'))?.active, false));

  it('joining again (another team) moves the worker and makes them active again', () =>
    spec
      .given(joined('t-1', 'w-1'), deactivated('t-1', 'w-1'))
      .when(joined('t-2', 'w-1', 'worker', 16))
      .then(
        async (db) => [
          await new WorkersQueries(db).ofTeam('t-1'),
          await new WorkersQueries(db).ofTeam('t-2'),
        ],
        [[], [{ workerId: 'w-1', teamId: 't-2', role: 'worker', hoursPerWeek: 16, active: true }]],
      ));

  it('a team lists its workers by id; other streams are ignored', () =>
    spec
      .given(
        joined('t-1', 'w-2'),
        joined('t-1', 'w-1'),
        joined('t-2', 'w-3'),
        recorded('household-h-1', 'WorkerJoinedTeam', {
          teamId: 't-1',
          workerId: 'w-9',
          role: 'worker',
          hoursPerWeek: 1,
        }),
      )
      .then(
        async (db) => (await new WorkersQueries(db).ofTeam('t-1')).map((w) => w.workerId),
        ['w-1', 'w-2'],
      ));

  it('a deactivation of an unknown worker changes nothing', () =>
    spec.given(deactivated('t-1', 'w-x')).then((db) => new WorkersQueries(db).ofTeam('t-1'), []));
});
