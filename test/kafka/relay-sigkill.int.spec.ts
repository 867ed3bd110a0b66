import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { START } from '@eenplan/event-store/event-store.port';
import { allEvents } from '../../tools/reliability/crash-checks';
import { householdIdOf } from '@eenplan/messaging';
import { seedTeam } from '../e2e/fixtures';
import { startTestApp, TestApp } from '../support/app';
import { eventually, sleep } from '../support/eventually';
import { describeWithInfra, type Infra } from '../support/infra';
import { createTestDatabase, keyStoreDirFor, postgresInfra, TestDatabase } from '../support/postgres';
import { startLoad } from './load';
import {
  kafkaBrokers,
  kafkaInfra,
  readTopic,
  sequencesByHousehold,
  testKafka,
  uniqueTopics,
} from './support';

const repoRoot = resolve(__dirname, '..', '..');

const bothServers: Infra = {
  name: `${postgresInfra.name} and ${kafkaInfra.name}`,
  howToStart: `${postgresInfra.howToStart}; ${kafkaInfra.howToStart}`,
  probe: () => postgresInfra.probe() ?? kafkaInfra.probe(),
};

interface Worker {
  readonly child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * The relay as production runs it: `apps/worker` in its own process, next to an API that only
 * writes. It is killed with SIGKILL in the middle of a load (no chance to finish a send or move its
 * checkpoint) and started again: the successor takes over once the dead one's lease runs out and
 * publishes everything, at worst a second time with the same id, and per household in order.
 */
describeWithInfra('Kafka relay: the worker killed with SIGKILL mid-run and restarted', bothServers, () => {
  const topics = uniqueTopics('sigkill');
  let database: TestDatabase;
  let t: TestApp;
  let observer: pg.Client;
  const workers: Worker[] = [];

  const startWorker = (): Worker => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        join(__dirname, 'ts-alias-hook.ts'),
        join(repoRoot, 'apps', 'worker', 'src', 'main.ts'),
      ],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          TS_NODE_PROJECT: join(repoRoot, 'tsconfig.json'),
          DATABASE_URL: database.url,
          // The test app's key store (test/support/app.ts): one per database, shared by its processes.
          KEY_STORE_DIR: keyStoreDirFor(database.url),
          KAFKA_BROKERS: kafkaBrokers.join(','),
          KAFKA_TOPIC_HOUSEHOLD_PLAN: topics.householdPlan,
          KAFKA_TOPIC_REGIE_HANDOFFS: topics.regieHandoffs,
          KAFKA_TOPIC_UWV_SIGNALS: topics.uwvSignals,
          KAFKA_TOPIC_OUTCOMES: topics.outcomes,
          EENPLAN_OIN: '00000001823288444000',
          EVENT_TYPE_PREFIX: 'nl.test.eenplan',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const worker = {
      child,
      output: () => output,
      exited: new Promise<number | null>((done) => child.on('exit', (code) => done(code))),
    };
    workers.push(worker);
    return worker;
  };

  const checkpoint = async () => {
    const { rows } = await observer.query<{ position: string; owner: string | null }>(
      "SELECT position, owner FROM relay_checkpoints WHERE name = 'kafka'",
    );
    return rows[0];
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    // The API only writes: without KAFKA_BROKERS it runs no relay.
    t = await startTestApp({ databaseUrl: database.url });
    observer = new pg.Client({ connectionString: database.url });
    await observer.connect();
  }, 60_000);

  afterAll(async () => {
    for (const w of workers)
      if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await observer?.end();
    await t?.close();
    await database?.drop();
  }, 60_000);

  it('loses nothing: the restarted relay publishes every event, in order per household', async () => {
    const team = await seedTeam(t, { workers: 2 });
    const first = startWorker();
    await eventually(() => expect(first.output()).toContain('lease taken'), 60_000);
    const load = startLoad(t, team, 10);

    // Mid-run: the relay has published some of the load and more keeps coming.
    await eventually(async () => expect(load.accepted()).toBeGreaterThan(120), 60_000);
    const before = await checkpoint();
    expect(before?.position).not.toBe(START);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const acceptedAtKill = load.accepted();

    await sleep(1000);
    const second = startWorker();
    // The dead relay's lease has to run out first (10 s): the new one takes over after that.
    await eventually(() => expect(second.output()).toContain('lease taken'), 60_000);
    await sleep(2000);
    const { accepted, refused } = await load.stop();
    expect(refused).toEqual([]);
    expect(accepted).toBeGreaterThan(acceptedAtKill);

    const events = await allEvents(database.url);
    const head = events[events.length - 1]!.position;
    await eventually(async () => expect((await checkpoint())?.position).toBe(head), 60_000);

    // SIGTERM: a clean stop that hands the lease back.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect((await checkpoint())?.owner).toBeNull();

    const messages = await readTopic(testKafka(), topics.householdPlan);
    const householdEvents = events.filter((e) => householdIdOf(e) !== null);
    const published = new Set(messages.map((m) => m.event.id));
    expect(householdEvents.filter((e) => !published.has(e.eventId)).map((e) => e.eventId)).toEqual([]);
    const lengths = new Map<string, number>();
    for (const e of householdEvents) lengths.set(householdIdOf(e)!, e.streamVersion);
    const sequences = sequencesByHousehold(messages);
    for (const [household, length] of lengths)
      expect({ household, sequences: sequences.get(household) }).toEqual({
        household,
        sequences: Array.from({ length }, (_, i) => i + 1),
      });
    // Redelivery is allowed (same id); report it so a change in behaviour shows.
    console.info(
      `relay SIGKILL test: ${householdEvents.length} events, ${messages.length - published.size} redelivered after the kill`,
    );
  }, 240_000);
});
