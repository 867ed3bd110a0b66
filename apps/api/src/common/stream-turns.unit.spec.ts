/**
 * StreamTurns: the writes to one stream run one at a time, in arrival order, whatever each one's
 * outcome; other streams do not wait; a stream's entry goes when its last writer is done.
 */
import { StreamTurns } from './aggregate-executor';

const tick = () => new Promise((resolve) => setImmediate(resolve));
/** A turn's wait in the tests of ordering: long enough that a loaded CI machine never reaches it. */
const PATIENT = 60_000;

test('writes to one stream run one at a time in arrival order; a failure passes the turn on', async () => {
  const turns = new StreamTurns();
  const log: string[] = [];
  let running = 0;
  const work = (name: string, fail = false) =>
    turns.run('s', PATIENT, async () => {
      running++;
      expect(running).toBe(1);
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      running--;
      if (fail) throw new Error(name);
      return name;
    });
  const outcomes = await Promise.allSettled([work('a'), work('b', true), work('c')]);
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  expect(turns.size).toBe(0);
});

test('another stream does not wait for a busy one', async () => {
  const turns = new StreamTurns();
  let release!: () => void;
  const slow = turns.run('busy', PATIENT, () => new Promise<void>((resolve) => (release = resolve)));
  await expect(turns.run('other', PATIENT, async () => 'done')).resolves.toBe('done');
  release();
  await slow;
  expect(turns.size).toBe(0);
});

test('entries go when a stream is idle: 1,000 streams written leave none behind', async () => {
  const turns = new StreamTurns();
  await Promise.all(
    Array.from({ length: 1000 }, (_, i) => turns.run(`s-${i % 100}`, PATIENT, async () => tick())),
  );
  expect(turns.size).toBe(0);
});

test('a writer that waits too long gives up (503) without running; the next one still waits its turn', async () => {
  const turns = new StreamTurns();
  let release!: () => void;
  const log: string[] = [];
  const stuck = turns.run('s', PATIENT, () => new Promise<void>((resolve) => (release = resolve)));
  const impatient = turns.run('s', 20, async () => log.push('impatient ran'));
  await expect(impatient).rejects.toMatchObject({ response: { code: 'StoreUnavailable' }, status: 503 });
  const next = turns.run('s', PATIENT, async () => log.push('next ran'));
  await tick();
  expect(log).toEqual([]);
  release();
  await Promise.all([stuck, next]);
  expect(log).toEqual(['next ran']);
  expect(turns.size).toBe(0);
});
