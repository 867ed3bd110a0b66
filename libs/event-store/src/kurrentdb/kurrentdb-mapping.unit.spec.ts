import {
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  type JSONEventData,
  type RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import { START, WrongExpectedVersionError, type NewEvent } from '../event-store.port';
import {
  appendStateOf,
  assertAppendArguments,
  assertNamespace,
  comparePositions,
  encodePosition,
  feedFilter,
  fromRevisionOf,
  isStreamNotFound,
  kurrentEventIdOf,
  markerStreamNameOf,
  parsePosition,
  streamIdOf,
  streamNameOf,
  streamPrefix,
  toEventData,
  toPortError,
  toRecordedEvent,
  uuidV5,
  versionOfRevision,
  versionOfStreamState,
} from './mapping';

const event = (extra: Partial<NewEvent> = {}): NewEvent => ({
  eventId: 'evt-1',
  type: 'HouseholdRegistered',
  data: { householdId: 'h-1', score: 0.1 + 0.2, nested: { none: null, empty: [] }, text: 'Zoë "q" \\ 🏠' },
  metadata: {
    schemaVersion: 1,
    actor: { kind: 'worker', id: 'w-1', roles: ['worker'] },
    recordedAt: '2026-01-05T09:00:01.000Z',
    correlationId: 'corr-1',
    causationId: 'cause-1',
  },
  ...extra,
});

/** What the client hands back for an appended event: the JSON bodies re-parsed, as the server stores bytes. */
function stored(
  proposed: JSONEventData,
  streamId: string,
  revision: bigint,
  logPosition: bigint,
): KurrentRecordedEvent {
  return {
    streamId,
    id: proposed.id,
    revision,
    type: proposed.type,
    data: JSON.parse(JSON.stringify(proposed.data)) as Record<string, unknown>,
    metadata: JSON.parse(JSON.stringify(proposed.metadata)) as Record<string, unknown>,
    isJson: true,
    created: new Date(),
    position: { commit: logPosition, prepare: logPosition },
  } as KurrentRecordedEvent;
}

describe('KurrentDB mapping: versions and revisions', () => {
  test('the port counts events, KurrentDB numbers them from 0', () => {
    expect(appendStateOf(0)).toBe(NO_STREAM);
    expect(appendStateOf(1)).toBe(0n);
    expect(appendStateOf(6)).toBe(5n);
    expect(versionOfRevision(0n)).toBe(1);
    expect(versionOfRevision(5n)).toBe(6);
    expect(versionOfStreamState(NO_STREAM)).toBe(0);
    expect(versionOfStreamState(5n)).toBe(6);
  });

  test('the expected state of an append and the version a conflict reports round-trip', () => {
    for (const version of [0, 1, 2, 41, Number.MAX_SAFE_INTEGER - 1]) {
      const state = appendStateOf(version);
      expect(versionOfStreamState(state === 'no_stream' ? state : (state as bigint))).toBe(version);
    }
  });

  test('readStream from a 1-based version starts at its revision; below 1 reads from the start', () => {
    expect(fromRevisionOf(1)).toBe(0n);
    expect(fromRevisionOf(5)).toBe(4n);
    expect(fromRevisionOf(2.7)).toBe(1n);
    expect(fromRevisionOf(0)).toBe(0n);
    expect(fromRevisionOf(-3)).toBe(0n);
    expect(fromRevisionOf(Number.NaN)).toBe(0n);
  });

  test('rejects versions and revisions the port cannot hold', () => {
    expect(() => appendStateOf(-1)).toThrow(RangeError);
    expect(() => appendStateOf(1.5)).toThrow(RangeError);
    expect(() => versionOfRevision(-1n)).toThrow(RangeError);
    expect(() => versionOfRevision(BigInt(Number.MAX_SAFE_INTEGER))).toThrow(RangeError);
  });
});

describe('KurrentDB mapping: errors', () => {
  test("KurrentDB's wrong expected version becomes the port's, with the stream's version", () => {
    const atRevision = new KurrentWrongExpectedVersionError(undefined, {
      streamName: 'eenplan.team-1',
      expected: 0n,
      current: 2n,
    });
    const mapped = toPortError(atRevision, 'team-1', 1);
    expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
    expect(mapped).toMatchObject({ streamId: 'team-1', expectedVersion: 1, actualVersion: 3 });

    const noStream = new KurrentWrongExpectedVersionError(undefined, {
      streamName: 'eenplan.team-2',
      expected: 4n,
      current: NO_STREAM,
    });
    expect(toPortError(noStream, 'team-2', 5)).toMatchObject({ expectedVersion: 5, actualVersion: 0 });
  });

  test('other errors pass through unchanged', () => {
    const unavailable = new Error('14 UNAVAILABLE: No connection established');
    expect(toPortError(unavailable, 's', 0)).toBe(unavailable);
    const notFound = new StreamNotFoundError(undefined, 'eenplan.s');
    expect(toPortError(notFound, 's', 0)).toBe(notFound);
  });

  test('a missing stream is recognised (read as empty, not as a failure)', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'eenplan.s'))).toBe(true);
    expect(isStreamNotFound(new Error('stream-not-found'))).toBe(false);
    expect(isStreamNotFound(undefined)).toBe(false);
  });
});

describe('KurrentDB mapping: positions', () => {
  test('encode commit/prepare and parse back', () => {
    const position = { commit: 4096n, prepare: 4096n };
    expect(encodePosition(position)).toBe('4096/4096');
    expect(parsePosition(encodePosition(position))).toEqual(position);
    const max = (1n << 64n) - 1n;
    expect(parsePosition(encodePosition({ commit: max, prepare: max }))).toEqual({
      commit: max,
      prepare: max,
    });
  });

  test('order by commit position, then prepare, numerically; START before every event', () => {
    const ordered = [
      START,
      '0/0',
      '9/9',
      '10/3',
      '10/10',
      '123456789012/123456789012',
      '18446744073709551615/1',
    ];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        const expected = Math.sign(i - j);
        expect([ordered[i], ordered[j], Math.sign(comparePositions(ordered[i]!, ordered[j]!))]).toEqual([
          ordered[i],
          ordered[j],
          expected,
        ]);
      }
    }
    expect(parsePosition(START)).toBeNull();
  });

  test.each(['', '1', '1/', '/1', '1:2', '1/2/3', '-1/2', '1.5/2', ' 1/2', 'abc', '18446744073709551616/0'])(
    'rejects %j (a PostgreSQL position included)',
    (bad) => {
      expect(() => parsePosition(bad)).toThrow(RangeError);
      expect(() => comparePositions(bad, START)).toThrow(RangeError);
    },
  );

  test('refuses to encode what is not a log position', () => {
    expect(() => encodePosition({ commit: -1n, prepare: 0n })).toThrow(RangeError);
    expect(() => encodePosition({ commit: 1n << 64n, prepare: 0n })).toThrow(RangeError);
  });
});

describe('KurrentDB mapping: event ids', () => {
  test('uuidV5 matches RFC 9562 name-based UUIDs (vectors from Python uuid.uuid5)', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    expect(kurrentEventIdOf('Zoë-1')).toBe('a08fa001-d7fd-545d-9e6c-7840bc699e20');
  });

  test('the same port id gives the same KurrentDB id (a retry is recognised), another id another', () => {
    expect(toEventData(event(), 'append-1').id).toBe(toEventData(event(), 'append-2').id);
    expect(toEventData(event({ eventId: 'evt-2' }), 'append-1').id).not.toBe(
      toEventData(event(), 'append-1').id,
    );
    expect(toEventData(event(), 'a').id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('KurrentDB mapping: event (de)serialisation', () => {
  test.each([
    ['without personal', event()],
    ['with personal', event({ personal: { name: 'Jan Jansen', phone: '+31 6 12345678' } })],
    ['with personal null (erased)', event({ personal: null })],
  ])('an event %s reads back exactly as appended', (_label, appended) => {
    const proposed = toEventData(appended, 'append-1');
    const read = toRecordedEvent('eenplan', stored(proposed, 'eenplan.household-1', 2n, 8192n));
    expect(read).toStrictEqual({
      ...appended,
      streamId: 'household-1',
      streamVersion: 3,
      position: '8192/8192',
    });
  });

  test('personal data stays in the body, out of the metadata KurrentDB tools show', () => {
    const proposed = toEventData(event({ personal: { name: 'Jan Jansen' } }), 'append-1');
    expect(JSON.stringify(proposed.metadata)).not.toContain('Jan Jansen');
    expect(proposed.metadata).toMatchObject({
      eventId: 'evt-1',
      appendId: 'append-1',
      $correlationId: 'corr-1',
      $causationId: 'cause-1',
    });
    expect(proposed.contentType).toBe('application/json');
    expect(proposed.type).toBe('HouseholdRegistered');
  });

  test('system events and other streams are not part of the feed', () => {
    const proposed = toEventData(event(), 'append-1');
    expect(
      toRecordedEvent('eenplan', stored({ ...proposed, type: '$metadata' }, 'eenplan.h-1', 0n, 1n)),
    ).toBeNull();
    expect(toRecordedEvent('eenplan', stored(proposed, 'other.h-1', 0n, 1n))).toBeNull();
    expect(toRecordedEvent('eenplan', stored(proposed, '$$eenplan.h-1', 0n, 1n))).toBeNull();
  });

  test('an event of ours without the envelope is an error, not silently skipped', () => {
    const proposed = toEventData(event(), 'append-1');
    expect(() =>
      toRecordedEvent('eenplan', stored({ ...proposed, metadata: { foreign: true } }, 'eenplan.h-1', 0n, 1n)),
    ).toThrow(TypeError);
    expect(() =>
      toRecordedEvent(
        'eenplan',
        stored({ ...proposed, data: { householdId: 'h-1' } }, 'eenplan.h-1', 0n, 1n),
      ),
    ).toThrow(TypeError);
  });
});

describe('KurrentDB mapping: stream names and the feed filter', () => {
  test("the feed filter selects exactly the namespace's streams", () => {
    expect(feedFilter('eenplan')).toMatchObject({ filterOn: 'streamName', prefixes: ['eenplan.'] });
    const prefix = streamPrefix('eenplan');
    expect(streamNameOf('eenplan', 'household-1').startsWith(prefix)).toBe(true);
    // Markers (the cross-stream duplicate check) and other namespaces stay out of the feed.
    expect(markerStreamNameOf('eenplan', kurrentEventIdOf('evt-1')).startsWith(prefix)).toBe(false);
    expect(streamNameOf('eenplan_test', 'household-1').startsWith(prefix)).toBe(false);
    expect(streamNameOf('een', 'household-1').startsWith(prefix)).toBe(false);
  });

  test('stream ids round-trip through stream names, any characters included', () => {
    for (const id of ['household-1', 'a.b-c', 'Zoë 🏠', '$odd']) {
      expect(streamIdOf('eenplan', streamNameOf('eenplan', id))).toBe(id);
    }
    expect(streamIdOf('eenplan', 'eenplan.')).toBeNull();
    expect(streamIdOf('eenplan', 'eenplan_test.h-1')).toBeNull();
  });

  test.each(['', 'Eenplan', 'een-plan', 'een.plan', '1eenplan', 'een plan'])(
    'rejects namespace %j',
    (bad) => {
      expect(() => assertNamespace(bad)).toThrow(RangeError);
    },
  );

  test('append arguments: KurrentDB reserves $ types, and an id twice in one append is a bug', () => {
    expect(() => assertAppendArguments('s', [event({ type: '$metadata' })], 0)).toThrow(RangeError);
    expect(() => assertAppendArguments('s', [event(), event()], 0)).toThrow(/twice/);
    expect(() => assertAppendArguments('', [event()], 0)).toThrow(RangeError);
    expect(() => assertAppendArguments('s', [event()], -1)).toThrow(RangeError);
    expect(() => assertAppendArguments('s', [event(), event({ eventId: 'evt-2' })], 'any')).not.toThrow();
  });
});
