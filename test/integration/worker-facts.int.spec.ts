/**
 * Worker facts for household commands: the directory says which team registered a worker id (asked
 * once per worker: the answer does not change); the role and active state are read from the team's
 * stream each time, only its new events once the stream was read.
 */
import 'reflect-metadata';
import { teamDecider, teamStream, type TeamCommand } from '@eenplan/domain';
import {
  createPgliteSql,
  eventStoreMigrations,
  migrate,
  PostgresEventStore,
  type EventStore,
  type Sql,
} from '@eenplan/event-store';
import type { WorkerRow, WorkersQueries } from '@eenplan/projections';
import { randomUUID } from 'node:crypto';
import { AggregateExecutor } from '../../apps/api/src/common/aggregate-executor';
import type { ReadModelSync } from '../../apps/api/src/common/read-models';
import { WorkerFactsService } from '../../apps/api/src/common/worker-facts';
import type { WriteContext } from '../../apps/api/src/common/write-context';
import { TestClock } from '../support/app';

let sql: Sql;
let store: PostgresEventStore;
beforeAll(async () => {
  sql = await createPgliteSql();
  await migrate(sql, eventStoreMigrations);
  store = new PostgresEventStore(sql);
});
afterAll(async () => {
  await store?.close();
  await sql?.close();
});

const admin: WriteContext = {
  principal: { sub: 'admin', roles: ['admin'], teams: [] },
  actor: { id: 'admin', roles: ['admin'], teams: [] },
  correlationId: randomUUID(),
  requestId: randomUUID(),
};

/** What the facts asked: directory lookups, and the versions team streams were read from. */
let asked: { directory: string[]; readsFrom: number[] };
/** The directory as the read model would have it. */
const directory = new Map<string, string>();

const facts = () => {
  const counted: EventStore = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'readStream') {
        return (streamId: string, from?: number) => {
          asked.readsFrom.push(from ?? 1);
          return target.readStream(streamId, from);
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  const workers = {
    find: (workerId: string): Promise<WorkerRow | undefined> => {
      asked.directory.push(workerId);
      const teamId = directory.get(workerId);
      return Promise.resolve(
        teamId === undefined
          ? undefined
          : { workerId, teamId, role: 'generalist', hoursPerWeek: 32, active: true },
      );
    },
  } as unknown as WorkersQueries;
  const caughtUp = { caughtUp: () => Promise.resolve() } as unknown as ReadModelSync;
  return new WorkerFactsService(workers, new AggregateExecutor(counted, new TestClock()), caughtUp);
};

const team = async (...commands: ((teamId: string, at: string) => TeamCommand)[]) => {
  const teamId = `t-${randomUUID()}`;
  const executor = new AggregateExecutor(store, new TestClock());
  for (const command of commands)
    await executor.execute(teamStream(teamId), teamDecider, admin, (_s, at) => command(teamId, at));
  return teamId;
};
const registered = (teamId: string, at: string): TeamCommand => ({
  type: 'RegisterTeam',
  teamId,
  name: 'Wijkteam',
  districts: ['noord'],
  actor: admin.actor,
  at,
});
const joins =
  (workerId: string) =>
  (teamId: string, at: string): TeamCommand => {
    directory.set(workerId, teamId);
    return {
      type: 'AddWorker',
      teamId,
      workerId,
      name: 'Anna',
      role: 'generalist',
      hoursPerWeek: 32,
      actor: admin.actor,
      at,
    };
  };
const leaves =
  (workerId: string) =>
  (teamId: string, at: string): TeamCommand => ({
    type: 'DeactivateWorker',
    teamId,
    workerId,
    householdsWithRegie: [],
    actor: admin.actor,
    at,
  });

beforeEach(() => {
  asked = { directory: [], readsFrom: [] };
});

test("the directory is asked once per worker; the team's stream every time, from where it was read", async () => {
  const teamId = await team(registered, joins('w-a'), joins('w-b'));
  const service = facts();
  expect(await service.find('w-a')).toEqual({ workerId: 'w-a', teamId, role: 'generalist', active: true });
  expect(await service.find('w-a')).toMatchObject({ active: true });
  expect(await service.find('w-b')).toMatchObject({ workerId: 'w-b', active: true });
  expect(asked.directory).toEqual(['w-a', 'w-b']);
  expect(asked.readsFrom).toEqual([1, 4, 4]);
});

test('a deactivation is seen by the next command, however recently the team was read', async () => {
  const teamId = await team(registered, joins('w-c'));
  const service = facts();
  expect(await service.find('w-c')).toMatchObject({ active: true });
  const executor = new AggregateExecutor(store, new TestClock());
  await executor.execute(teamStream(teamId), teamDecider, admin, (_s, at) => leaves('w-c')(teamId, at));
  expect(await service.find('w-c')).toMatchObject({ active: false });
  expect((await service.team(teamId)).workers['w-c']).toMatchObject({ active: false });
});

test("a team's state the command read already is used for its own workers", async () => {
  const teamId = await team(registered, joins('w-d'));
  const other = await team(registered, joins('w-e'));
  const service = facts();
  const state = await service.team(teamId);
  asked.readsFrom = [];
  expect(await service.find('w-d', state)).toMatchObject({ teamId, active: true });
  expect(asked.readsFrom).toEqual([]);
  expect(await service.find('w-e', state)).toMatchObject({ teamId: other, active: true });
  expect(asked.readsFrom).toEqual([1]);
});

test("a directory answer the team's stream does not confirm is asked again next time", async () => {
  const first = await team(registered);
  directory.set('w-f', first);
  const service = facts();
  expect(await service.find('w-f')).toBeUndefined();
  const second = await team(registered, joins('w-f'));
  expect(await service.find('w-f')).toMatchObject({ teamId: second, active: true });
  expect(asked.directory).toEqual(['w-f', 'w-f']);
});
