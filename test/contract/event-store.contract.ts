import { randomUUID } from 'node:crypto';
import {
  DuplicateEventError,
  START,
  WrongExpectedVersionError,
  type EventStore,
  type ExpectedVersion,
  type GlobalPosition,
  type NewEvent,
  type RecordedEvent,
} from '@eenplan/event-store';
import { eventually, sleep } from '../support/eventually';

/**
 * The EventStore contract: every adapter runs these tests through a runner file
 * (`<adapter>.int.spec.ts`). The tests use their own stream ids and start reading the feed at the
 * head they find, so they also hold on a store that other tests write to; they only assume more
 * (an empty store) when the harness says `startsEmpty`.
 */
export interface ContractHarness {
  readonly store: EventStore;
  /** Every factory call gives an empty store (a fresh or cleared database). */
  readonly startsEmpty?: boolean;
  readonly dispose?: () => Promise<void>;
}

/** An append whose transaction stays open until `commit()`. */
export interface OpenAppend {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface ContractOptions {
  /**
   * Starts an append on the current harness's store in a transaction that stays open while the
   * store takes other appends. Only where transactions overlap (a PostgreSQL server; PGlite runs
   * one at a time, so nothing there can commit late).
   */
  readonly beginAppend?: (
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ) => Promise<OpenAppend>;
}

export function eventStoreContract(
  name: string,
  factory: () => Promise<ContractHarness>,
  options: ContractOptions = {},
): void {
  describe(`EventStore contract: ${name}`, () => {
    let harness: ContractHarness;
    let store: EventStore;
    let run: string;

    beforeEach(async () => {
      harness = await factory();
      store = harness.store;
      run = randomUUID().slice(0, 8);
    });
    afterEach(async () => {
      await harness?.dispose?.();
    });

    const stream = (label: string): string => `${label}-${run}`;
    const isOurs = (event: RecordedEvent): boolean => event.streamId.endsWith(`-${run}`);

    /** Pages the feed from `after` until `count` of this test's events arrived (or 10 s passed). */
    async function feedUntil(after: GlobalPosition, count: number, limit = 100): Promise<RecordedEvent[]> {
      const ours: RecordedEvent[] = [];
      let position = after;
      const deadline = Date.now() + 10_000;
      while (ours.length < count && Date.now() < deadline) {
        const page = await store.readAll(position, { limit });
        if (page.length === 0) {
          await store.waitForEvents(position, 200);
          continue;
        }
        expect(page.length).toBeLessThanOrEqual(limit);
        position = page[page.length - 1]!.position;
        ours.push(...page.filter(isOurs));
      }
      return ours;
    }

    const recorded = (events: readonly NewEvent[], streamId: string, firstVersion = 1): unknown[] =>
      events.map((event, i) => ({
        ...event,
        streamId,
        streamVersion: firstVersion + i,
        position: expect.any(String),
      }));

    test('appended events read back exactly, from the stream and from the feed', async () => {
      // The starting points below are committed positions, not heads: with other suites writing to
      // the same server, the feed may still hold back an earlier event and hand it out after a head.
      const start = await store.committedPosition();
      const household = stream('household');
      const events = [
        newEvent(
          'HouseholdRegistered',
          {
            householdId: 'h-1',
            members: [{ role: 'adult', since: '2020-01-01' }],
            score: 0.1 + 0.2,
            largest: Number.MAX_SAFE_INTEGER,
            nested: { none: null, no: false, empty: [], blank: {} },
            text: 'Zoë "quoted" \\ back\nslash 🏠',
          },
          { personal: { name: 'Jan Jansen', phone: '+31 6 12345678' } },
        ),
        newEvent('HouseholdNoteCleared', { note: 'x' }, { personal: null }),
        newEvent('PlanStarted', {}),
      ];

      const result = await store.append(household, events, 0);

      const read = await store.readStream(household);
      expect(read).toStrictEqual(recorded(events, household));
      expect(result).toEqual({ nextVersion: 3, position: read[2]!.position });
      expect(await feedUntil(start, 3)).toStrictEqual(read);
    });

    test('versions are contiguous from 1; readStream reads from a version; unknown streams are empty', async () => {
      const s = stream('team');
      expect(await store.streamVersion(s)).toBe(0);
      expect(await store.readStream(s)).toEqual([]);

      expect((await store.append(s, [newEvent(), newEvent(), newEvent()], 0)).nextVersion).toBe(3);
      expect((await store.append(s, [newEvent()], 3)).nextVersion).toBe(4);
      expect((await store.append(s, [newEvent(), newEvent()], 4)).nextVersion).toBe(6);

      expect((await store.readStream(s)).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await store.readStream(s, 5)).map((e) => e.streamVersion)).toEqual([5, 6]);
      expect(await store.readStream(s, 7)).toEqual([]);
      expect(await store.streamVersion(s)).toBe(6);
    });

    test('a stale expected version is rejected and nothing is written', async () => {
      const s = stream('stale');
      await store.append(s, [newEvent(), newEvent()], 0);
      // Committed, not head: the feed may still hold the setup event back behind another suite's
      // open transaction on the same server, and would then hand it out after `head`.
      const head = await store.committedPosition();

      const attempt = store.append(s, [newEvent('Late')], 1);

      await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await expect(attempt).rejects.toMatchObject({ streamId: s, expectedVersion: 1, actualVersion: 2 });
      await expect(store.append(s, [newEvent()], 0)).rejects.toMatchObject({
        expectedVersion: 0,
        actualVersion: 2,
      });
      expect(await store.streamVersion(s)).toBe(2);
      expect((await store.readStream(s)).map((e) => e.type)).not.toContain('Late');
      expect((await store.readAll(head)).filter(isOurs)).toEqual([]);
      // The refused append claimed nothing that stays: the true version is still taken.
      expect((await store.append(s, [newEvent()], 2)).nextVersion).toBe(3);
    });

    test('appends racing with the same expected version: exactly one is stored, at every stage of a stream', async () => {
      // A new stream, a stream appended to once, and one appended to twice: on PostgreSQL the first
      // is checked by the (stream, version) index alone, the others by the stream's version row,
      // which the second append makes.
      const s = stream('race');
      for (const expected of [0, 1, 3]) {
        const racers = Array.from({ length: 8 }, (_, i) => newEvent(`Racer${expected}-${i}`));
        const batch = (event: NewEvent) => (expected === 1 ? [event, newEvent('Second')] : [event]);
        const outcomes = await Promise.allSettled(
          racers.map((event) => store.append(s, batch(event), expected)),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        expect(won).toHaveLength(1);
        for (const lost of outcomes.filter((o) => o.status === 'rejected'))
          expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
        const stored = (await store.readStream(s)).map((e) => e.type).filter((t) => t.startsWith('Racer'));
        expect(stored).toHaveLength(expected === 0 ? 1 : expected === 1 ? 2 : 3);
      }
      expect((await store.readStream(s)).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
      expect(await store.streamVersion(s)).toBe(4);
      // The refused claims left nothing behind: the next append at the true version is taken.
      expect((await store.append(s, [newEvent()], 4)).nextVersion).toBe(5);
    });

    test('a too-high expected version is rejected and nothing is written', async () => {
      const existing = stream('existing');
      const absent = stream('absent');
      await store.append(existing, [newEvent()], 0);
      // Committed, not head: the feed may still hold the setup event back behind another suite's
      // open transaction on the same server, and would then hand it out after `head`.
      const head = await store.committedPosition();

      await expect(store.append(existing, [newEvent()], 5)).rejects.toMatchObject({
        name: 'WrongExpectedVersionError',
        expectedVersion: 5,
        actualVersion: 1,
      });
      await expect(store.append(absent, [newEvent()], 1)).rejects.toMatchObject({
        name: 'WrongExpectedVersionError',
        expectedVersion: 1,
        actualVersion: 0,
      });

      expect(await store.streamVersion(existing)).toBe(1);
      expect(await store.streamVersion(absent)).toBe(0);
      expect(await store.readStream(absent)).toEqual([]);
      expect((await store.readAll(head)).filter(isOurs)).toEqual([]);
    });

    test("'any' appends whatever the version, new stream or not", async () => {
      const s = stream('any');
      expect((await store.append(s, [newEvent()], 'any')).nextVersion).toBe(1);
      expect((await store.append(s, [newEvent(), newEvent()], 'any')).nextVersion).toBe(3);
      expect((await store.readStream(s)).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    });

    test('an event id appended before is rejected as a duplicate and nothing is written', async () => {
      const s = stream('dup');
      const first = newEvent();
      await store.append(s, [first], 0);
      // Committed, not head: the feed may still hold the setup event back behind another suite's
      // open transaction on the same server, and would then hand it out after `head`.
      const head = await store.committedPosition();
      const fresh = newEvent('Fresh');

      // In a later append to the same stream, with the right version.
      const sameStream = store.append(s, [fresh, first], 1);
      await expect(sameStream).rejects.toBeInstanceOf(DuplicateEventError);
      await expect(sameStream).rejects.toMatchObject({ streamId: s, eventId: first.eventId });
      // A retry of the first append: its expected version is stale by now, but it is a retry.
      await expect(store.append(s, [first], 0)).rejects.toBeInstanceOf(DuplicateEventError);
      // In another stream, even with 'any'.
      await expect(store.append(stream('other'), [first], 'any')).rejects.toBeInstanceOf(DuplicateEventError);

      expect(await store.streamVersion(s)).toBe(1);
      expect(await store.streamVersion(stream('other'))).toBe(0);
      expect((await store.readAll(head)).filter(isOurs)).toEqual([]);
      // The fresh event was not written, so it can still be appended.
      expect((await store.append(s, [fresh], 1)).nextVersion).toBe(2);
    });

    test('a multi-event append is atomic and contiguous in the feed', async () => {
      const s = stream('batch');
      const taken = newEvent();
      await store.append(stream('elsewhere'), [taken], 0);
      const start = await store.committedPosition();

      const failing = [newEvent(), newEvent(), taken, newEvent()];
      await expect(store.append(s, failing, 0)).rejects.toBeInstanceOf(DuplicateEventError);
      expect(await store.readStream(s)).toEqual([]);
      expect(await store.streamVersion(s)).toBe(0);

      const batch = [newEvent('A'), newEvent('B'), newEvent('C'), newEvent('D'), newEvent('E')];
      const result = await store.append(s, batch, 0);
      expect(result.nextVersion).toBe(5);

      const feed = await feedUntil(start, 5, 2);
      expect(feed.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D', 'E']);
      expect(feed[4]!.position).toBe(result.position);
      const all = await store.readAll(start, { limit: 5 });
      expect(all.map((e) => e.eventId)).toEqual(batch.map((e) => e.eventId));
    });

    test('readAll returns the feed in commit order and pages by the last position', async () => {
      const start = await store.committedPosition();
      const streams = [stream('a'), stream('b'), stream('c')];
      const appended: NewEvent[] = [];
      for (let i = 0; i < 9; i++) {
        const event = newEvent('Step', { i });
        await store.append(streams[i % 3]!, [event], Math.floor(i / 3));
        appended.push(event);
      }
      const pair = [newEvent('Pair', { i: 9 }), newEvent('Pair', { i: 10 })];
      await store.append(streams[0]!, pair, 3);
      appended.push(...pair);

      for (const limit of [1, 2, 3, 5, 100]) {
        const feed = await feedUntil(start, appended.length, limit);
        expect(feed.map((e) => e.eventId)).toEqual(appended.map((e) => e.eventId));
        for (let i = 1; i < feed.length; i++) {
          expect(store.comparePositions(feed[i - 1]!.position, feed[i]!.position)).toBeLessThan(0);
          expect(store.comparePositions(feed[i]!.position, feed[i - 1]!.position)).toBeGreaterThan(0);
        }
      }
      const last = (await feedUntil(start, appended.length)).at(-1)!;
      expect((await store.readAll(last.position)).filter(isOurs)).toEqual([]);
    });

    test('headPosition is the position of the last readable event', async () => {
      if (harness.startsEmpty) {
        expect(await store.headPosition()).toBe(START);
        expect(await store.readAll(START)).toEqual([]);
      }
      const first = await store.append(stream('head'), [newEvent()], 0);
      // Eventually: on a shared server the feed may briefly wait for another's transaction.
      await eventually(async () => expect(await store.headPosition()).toBe(first.position));
      const second = await store.append(stream('head'), [newEvent(), newEvent()], 1);
      await eventually(async () => expect(await store.headPosition()).toBe(second.position));

      expect(store.comparePositions(START, first.position)).toBeLessThan(0);
      expect(store.comparePositions(first.position, START)).toBeGreaterThan(0);
      expect(store.comparePositions(first.position, first.position)).toBe(0);
      expect(store.comparePositions(first.position, second.position)).toBeLessThan(0);
    });

    test('committedPosition includes the last append at once', async () => {
      const appended = await store.append(stream('committed'), [newEvent(), newEvent()], 0);
      expect(
        store.comparePositions(await store.committedPosition(), appended.position),
      ).toBeGreaterThanOrEqual(0);
    });

    test('waitForEvents wakes when an event is appended', async () => {
      const head = await store.committedPosition();
      const started = Date.now();
      const waiting = store.waitForEvents(head, 10_000);
      await sleep(50);
      await store.append(stream('wake'), [newEvent()], 0);
      await waiting;
      expect(Date.now() - started).toBeLessThan(800);
    });

    test('waitForEvents returns at once when events are already readable', async () => {
      const head = await store.headPosition();
      await store.append(stream('ready'), [newEvent()], 0);
      await feedUntil(head, 1);
      const started = Date.now();
      await store.waitForEvents(head, 10_000);
      expect(Date.now() - started).toBeLessThan(500);
    });

    test('waitForEvents times out when nothing is appended', async () => {
      const head = await store.committedPosition();
      const started = Date.now();
      await store.waitForEvents(head, 250);
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(240);
      expect(waited).toBeLessThan(1500);
    });

    test('events of many streams interleave in the feed, each stream in version order', async () => {
      const start = await store.committedPosition();
      const streams = Array.from({ length: 10 }, (_, i) => stream(`household-${i}`));
      for (let round = 0; round < 4; round++) {
        for (const s of streams) await store.append(s, [newEvent('Round', { round })], round);
      }
      const feed = await feedUntil(start, 40, 7);
      expect(feed).toHaveLength(40);
      for (const s of streams) {
        const own = feed.filter((e) => e.streamId === s);
        expect(own.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
        expect(own.map((e) => e.data['round'])).toEqual([0, 1, 2, 3]);
        expect(await store.readStream(s)).toStrictEqual(own);
      }
    });

    test('16 concurrent appenders and a live reader paging the feed: every event delivered exactly once', async () => {
      const start = await store.committedPosition();
      const hot = stream('hot');
      const expected = new Set<string>();
      let writing = true;

      const seen: RecordedEvent[] = [];
      const reader = (async () => {
        let position = start;
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline && (writing || seen.length < expected.size)) {
          const page = await store.readAll(position, { limit: 5 });
          if (page.length === 0) {
            await store.waitForEvents(position, 100);
            continue;
          }
          position = page[page.length - 1]!.position;
          seen.push(...page.filter(isOurs));
        }
        // Anything after "all seen" would be a repeat: read to the end once more.
        for (
          let page = await store.readAll(position);
          page.length > 0;
          page = await store.readAll(position)
        ) {
          position = page[page.length - 1]!.position;
          seen.push(...page.filter(isOurs));
        }
      })();

      const appender = async (n: number): Promise<void> => {
        const own = stream(`appender-${n}`);
        let version = 0;
        for (let k = 0; k < 10; k++) {
          const batch =
            k % 3 === 0
              ? [newEvent('Own', { n, k }), newEvent('Own', { n, k })]
              : [newEvent('Own', { n, k })];
          batch.forEach((e) => expected.add(e.eventId));
          version = (await store.append(own, batch, version)).nextVersion;
          if (k % 4 === 0) {
            // A contended stream: optimistic retries until this appender's event is in.
            const contended = newEvent('Hot', { n, k });
            expected.add(contended.eventId);
            await appendWithRetry(store, hot, contended);
          }
        }
      };
      try {
        await Promise.all(Array.from({ length: 16 }, (_, n) => appender(n)));
      } finally {
        writing = false;
      }
      await reader;

      const ids = seen.map((e) => e.eventId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(expected);
      for (let i = 1; i < seen.length; i++) {
        expect(store.comparePositions(seen[i - 1]!.position, seen[i]!.position)).toBeLessThan(0);
      }
      const versionsByStream = new Map<string, number[]>();
      for (const e of seen)
        versionsByStream.set(e.streamId, [...(versionsByStream.get(e.streamId) ?? []), e.streamVersion]);
      for (const [streamId, versions] of versionsByStream) {
        expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
        expect(await store.streamVersion(streamId)).toBe(versions.length);
      }
    });

    test("16 appenders racing with 'any' on one stream: the feed shows that stream in version order", async () => {
      const start = await store.committedPosition();
      const hot = stream('any-hot');
      const appended = await Promise.all(
        Array.from({ length: 16 }, async (_, n) => {
          const ids: string[] = [];
          for (let k = 0; k < ANY_ROUNDS; k++) {
            const event = newEvent('AnyHot', { n, k });
            await store.append(hot, [event], 'any');
            ids.push(event.eventId);
          }
          return ids;
        }),
      );
      const feed = await feedUntil(start, 16 * ANY_ROUNDS, 500);
      expect(new Set(feed.map((e) => e.eventId))).toEqual(new Set(appended.flat()));
      // A later version ahead of an earlier one would hand a consumer the stream out of order.
      expect(feed.map((e) => e.streamVersion)).toEqual(
        Array.from({ length: 16 * ANY_ROUNDS }, (_, i) => i + 1),
      );
    });

    const lateCommit = options.beginAppend;
    (lateCommit ? test : test.skip)(
      lateCommit
        ? 'an event whose transaction commits late is not skipped by a reader that read past later events'
        : `late commit: not applicable to ${name} (its transactions cannot overlap)`,
      async () => {
        const start = await store.committedPosition();
        const late = newEvent('CommittedLate');
        const early = newEvent('CommittedEarly');
        const open = await lateCommit!(stream('late'), [late], 0);
        let position = start;
        const seen: RecordedEvent[] = [];
        const readOn = async (): Promise<void> => {
          for (
            let page = await store.readAll(position, { limit: 1 });
            page.length > 0;
            page = await store.readAll(position, { limit: 1 })
          ) {
            position = page[page.length - 1]!.position;
            seen.push(...page.filter(isOurs));
          }
        };
        try {
          const earlyAppended = await store.append(stream('early'), [early], 0);
          await readOn();
          expect(seen.map((e) => e.eventId)).not.toContain(late.eventId);
          // The feed holds `early` back behind the open transaction; the committed position does not,
          // so a reader waiting for it (read-your-writes) waits for `early` too.
          expect(store.comparePositions(await store.headPosition(), earlyAppended.position)).toBeLessThan(0);
          expect(
            store.comparePositions(await store.committedPosition(), earlyAppended.position),
          ).toBeGreaterThanOrEqual(0);
        } finally {
          await open.commit();
        }
        const deadline = Date.now() + 5000;
        while (seen.length < 2 && Date.now() < deadline) {
          await store.waitForEvents(position, 200);
          await readOn();
        }
        await readOn();
        expect(seen.map((e) => e.eventId).sort()).toEqual([late.eventId, early.eventId].sort());
      },
    );
  });
}

const ANY_ROUNDS = Number(process.env.ANY_ROUNDS ?? 8);

let clock = Date.parse('2026-01-05T09:00:00.000Z');

/** A valid event with fresh ids and a recordedAt one second after the previous one. */
export function newEvent(
  type = 'SomethingHappened',
  data: Record<string, unknown> = {},
  extra: Partial<NewEvent> = {},
): NewEvent {
  clock += 1000;
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: {
      schemaVersion: 1,
      actor: { kind: 'worker', id: 'worker-1', roles: ['worker'] },
      recordedAt: new Date(clock).toISOString(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
    },
    ...extra,
  };
}

async function appendWithRetry(store: EventStore, streamId: string, event: NewEvent): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      await store.append(streamId, [event], await store.streamVersion(streamId));
      return;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
  }
  throw new Error(`gave up appending to ${streamId}`);
}
