import { Inject, Injectable, Optional } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { Decider, DomainError, DomainEvent, schemaVersionOf } from '@eenplan/domain';
import {
  EventStore,
  NewEvent,
  RecordedEvent,
  WrongExpectedVersionError,
} from '@eenplan/event-store/event-store.port';
import { COMMAND_OBSERVER, CommandObserver } from '../observability/command-observer';
import type { SealedEventStore } from '@eenplan/security';
import { refuseOrRethrow } from './missing-key';
import { CLOCK, Clock, EVENT_STORE, SEALED_EVENT_STORE } from './tokens';
import { ProblemException } from './problem';
import { WriteContext } from './write-context';

export interface Loaded<S> {
  readonly state: S;
  readonly version: number;
}

export interface Written<S, E> {
  readonly state: S;
  readonly events: E[];
  readonly version: number;
  readonly position: string;
}

/**
 * Without If-Match a concurrent write is not the client's concern: reload, decide again, retry.
 * Within one process the writes to a stream take turns (StreamTurns), so a conflict comes only from
 * another process (the worker, a second API instance), and a retry reads only the events after the
 * version it decided on.
 */
const MAX_ATTEMPTS = 8;

/**
 * How long a write waits for its turn on a stream. The store sets no statement timeout, so an
 * append that hangs (a lock held elsewhere, a server that stopped answering) would otherwise hold
 * every later write to that stream for as long; after this the request is answered 503
 * StoreUnavailable (with Retry-After) and nothing was written.
 */
export const TURN_WAIT_MS = 10_000;

/**
 * A UUID derived from the caller, the idempotency key, the stream and the event's index within the
 * request, so a repeated request's events carry the same ids (exported for the crash test, which
 * finds an acknowledged command's events by it).
 */
export const derivedEventId = (
  principalSub: string,
  idempotencyKey: string,
  streamId: string,
  index: number,
): string => {
  const h = createHash('sha256')
    .update(`${principalSub}\n${idempotencyKey}\n${streamId}\n${index}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * The one way to load and append: read the stream, fold it, decide, append with the version read.
 * Never publishes or updates read models itself; the feed does that.
 */
@Injectable()
export class AggregateExecutor {
  private readonly known = new KnownStates();
  private readonly turns = new StreamTurns();
  /** TURN_WAIT_MS; a test shortens it. */
  turnWaitMs = TURN_WAIT_MS;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(COMMAND_OBSERVER) private readonly observer?: CommandObserver,
    @Optional() @Inject(SEALED_EVENT_STORE) private readonly sealed?: SealedEventStore,
  ) {}

  /**
   * The stream's current state. `from`: a state of it loaded before; only the events after it are
   * read (a stream only grows, so that state plus those events is the state now).
   */
  async load<C, S, E>(streamId: string, decider: Decider<C, S, E>, from?: Loaded<S>): Promise<Loaded<S>> {
    const start = from ?? { state: decider.initialState(), version: 0 };
    const events = await this.store.readStream(streamId, start.version + 1);
    if (events.length > 0 && events[0]!.streamVersion !== start.version + 1)
      return this.load(streamId, decider);
    const state = events.reduce((s, e) => decider.evolve(s, e as unknown as E), start.state);
    return { state, version: start.version + events.length };
  }

  /**
   * `admit`: who may act on this stream at all, given its state; it runs before anything about the
   * stream can reach the caller (not even a version conflict), so a refusal there tells nothing.
   */
  async execute<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    ctx: WriteContext,
    build: (state: S, at: string) => C | Promise<C>,
    admit?: (state: S) => void,
  ): Promise<Written<S, E>> {
    // Observed from outside the loop: one command, however many attempts it took.
    const seen = { command: 'unknown', attempts: 0 };
    const started = process.hrtime.bigint();
    const finished = (outcome: 'accepted' | 'rejected' | 'conflict' | 'failed', extra = {}) =>
      this.observer?.commandFinished({
        command: seen.command,
        streamId,
        outcome,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        attempts: seen.attempts,
        ...extra,
      });
    try {
      // One write at a time per stream in this process: each decides on the state the previous one
      // left (the `known` cache), instead of all of them reading the same version and all but one
      // losing the append.
      const written = await this.turns.run(streamId, this.turnWaitMs, () =>
        this.decideAndAppend(
          streamId,
          decider,
          ctx,
          async (state, at) => {
            seen.attempts++;
            const command = await build(state, at);
            seen.command = String((command as { type?: unknown }).type ?? 'unknown');
            return command;
          },
          admit,
        ),
      );
      finished('accepted', { version: written.version });
      return written;
    } catch (error) {
      if (error instanceof DomainError) finished('rejected', { code: error.code });
      else if (error instanceof WrongExpectedVersionError) finished('conflict');
      else finished('failed');
      throw error;
    }
  }

  private async decideAndAppend<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    ctx: WriteContext,
    build: (state: S, at: string) => C | Promise<C>,
    admit?: (state: S) => void,
  ): Promise<Written<S, E>> {
    // A keyed request reads the stream to find its own events (below); the others may start from
    // what this process wrote last, if the If-Match (when sent) names that version.
    let known: Loaded<S> | undefined = ctx.idempotencyKey
      ? undefined
      : this.known.take(streamId, decider);
    if (known && ctx.expectedVersion !== undefined && ctx.expectedVersion !== known.version)
      known = undefined;
    // `known` was brought up to the stream's version by reading the events after it (after a
    // conflict), so If-Match is checked against it as against a full read.
    let current = false;
    for (let attempt = 1; ; attempt++) {
      let state: S;
      let version: number;
      if (known) {
        ({ state, version } = known);
        try {
          admit?.(state);
        } catch {
          // As with a refusal below: it must rest on the stream as it is.
          known = undefined;
          continue;
        }
        if (current && ctx.expectedVersion !== undefined && ctx.expectedVersion !== version)
          throw new WrongExpectedVersionError(streamId, ctx.expectedVersion, version);
      } else {
        const fold = (events: readonly RecordedEvent[]) =>
          events.reduce((s, e) => decider.evolve(s, e as unknown as E), decider.initialState());
        const stored = await this.store
          .readStream(streamId)
          .catch((error: unknown) => refuseOrRethrow(error, this.sealed, fold, (s) => admit?.(s)));
        state = fold(stored);
        version = stored.length;
        // Before anything about the stream is told (a replayed answer, a version conflict).
        admit?.(state);
        // This keyed request's events are in the stream already: it was applied and its answer lost
        // (the database went away after the commit, or the process died before the idempotency
        // record was stored). Answer as then, rather than decide again and refuse it as a conflict
        // with itself (e.g. GoalAlreadyExists).
        const applied = ctx.idempotencyKey
          ? appliedBefore(stored, ctx.principal.sub, ctx.idempotencyKey)
          : [];
        const last = applied[applied.length - 1];
        if (last) {
          // Events written before requests were recorded carry no hash; those are taken as this request.
          const recorded = applied[0]!.metadata.requestHash;
          if (recorded && ctx.requestHash && recorded !== ctx.requestHash) {
            throw new ProblemException(
              409,
              'IdempotencyKeyReused',
              'this Idempotency-Key was used for a different request',
            );
          }
          return {
            state,
            events: applied as unknown as E[],
            version: last.streamVersion,
            position: last.position,
          };
        }
        if (ctx.expectedVersion !== undefined && ctx.expectedVersion !== version) {
          throw new WrongExpectedVersionError(streamId, ctx.expectedVersion, version);
        }
      }
      const at = this.clock.now().toISOString();
      let events: E[];
      try {
        events = decider.decide(await build(state, at), state);
      } catch (error) {
        // A refusal must rest on the stream as it is, not on what this process saw of it last
        // (nor on that plus the events read after it: one full read decides).
        if (!known) {
          // What was read is the stream as it is: the next write on it starts from there.
          if (error instanceof DomainError) this.known.keep(streamId, decider, state, version);
          throw error;
        }
        known = undefined;
        continue;
      }
      const toAppend: NewEvent[] = events.map((e, i) => ({
        eventId: ctx.idempotencyKey
          ? derivedEventId(ctx.principal.sub, ctx.idempotencyKey, streamId, i)
          : randomUUID(),
        type: e.type,
        data: e.data as Record<string, unknown>,
        personal: e.personal ?? null,
        metadata: {
          schemaVersion: schemaVersionOf(e.type),
          actor: { kind: actorKind(ctx), id: ctx.principal.sub, roles: ctx.principal.roles },
          recordedAt: at,
          correlationId: ctx.correlationId,
          causationId: ctx.requestId,
          ...(ctx.idempotencyKey && ctx.requestHash ? { requestHash: ctx.requestHash } : {}),
        },
      }));
      try {
        const result = await this.store.append(streamId, toAppend, version);
        const next = events.reduce(decider.evolve, state);
        this.known.keep(streamId, decider, next, result.nextVersion);
        return { state: next, events, version: result.nextVersion, position: result.position };
      } catch (error) {
        // Someone else wrote since this process did: read the stream (this does not count as the
        // client's conflict, not even with If-Match, which was checked against the same version).
        const stale = known !== undefined && error instanceof WrongExpectedVersionError;
        known = undefined;
        current = false;
        const retry =
          error instanceof WrongExpectedVersionError &&
          (stale || ctx.expectedVersion === undefined) &&
          attempt < MAX_ATTEMPTS;
        if (!retry) throw error;
        // Only the events written since the version decided on (another process's): that state
        // plus them is the stream now. A keyed request reads it whole, to find its own events
        // (appliedBefore); a read that fails here (a sealed event it cannot open) is left to the
        // full read, which knows how to answer it.
        if (!ctx.idempotencyKey) {
          known = await this.load(streamId, decider, { state, version }).catch(() => undefined);
          current = known !== undefined;
        }
      }
    }
  }
}

/**
 * Writes to one stream take turns, in arrival order: each waits for the one before it to finish,
 * whatever its outcome. A stream's entry goes when its last writer is done, so the map holds only
 * streams being written now. A writer that waits longer than `waitMs` gives up its place (503)
 * without running; those behind it still wait for the one it was waiting for.
 */
export class StreamTurns {
  private readonly tails = new Map<string, Promise<void>>();

  /** Streams with a write running or waiting (for tests: it goes back to 0). */
  get size(): number {
    return this.tails.size;
  }

  async run<T>(streamId: string, waitMs: number, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(streamId);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    // Never rejects: `before` is another writer's `tail`, which only resolves.
    const tail = before ? before.then(() => mine) : mine;
    this.tails.set(streamId, tail);
    const finish = () => {
      done();
      if (this.tails.get(streamId) === tail) this.tails.delete(streamId);
    };
    if (before) {
      let timer: NodeJS.Timeout | undefined;
      const turn = await Promise.race([
        before.then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs))),
      ]);
      clearTimeout(timer);
      if (!turn) {
        // Those behind keep waiting for the write this one waited for.
        void before.then(finish);
        throw new ProblemException(
          503,
          'StoreUnavailable',
          `a write to this record ahead of this one has not finished in ${waitMs / 1000} s; nothing was changed, try again shortly`,
        );
      }
    }
    try {
      return await work();
    } finally {
      finish();
    }
  }
}

/** The events a keyed request appended to this stream (ids derived from its key), if any. */
const appliedBefore = (
  stored: readonly RecordedEvent[],
  principalSub: string,
  key: string,
): RecordedEvent[] => {
  if (stored.length === 0) return [];
  const streamId = stored[0]!.streamId;
  const first = derivedEventId(principalSub, key, streamId, 0);
  const at = stored.findIndex((e) => e.eventId === first);
  if (at < 0) return [];
  const applied = [stored[at]!];
  for (let i = 1; stored[at + i]?.eventId === derivedEventId(principalSub, key, streamId, i); i++)
    applied.push(stored[at + i]!);
  return applied;
};

const actorKind = (ctx: WriteContext) =>
  ctx.principal.roles.includes('worker') || ctx.principal.roles.includes('team-lead')
    ? 'worker'
    : ctx.principal.roles.includes('admin')
      ? 'admin'
      : ctx.principal.roles.includes('integrator')
        ? 'integrator'
        : ctx.principal.roles.includes('network-member')
          ? 'network-member'
          : ctx.principal.roles.includes('volunteer')
            ? 'volunteer'
            : ctx.principal.roles.includes('resident')
              ? 'resident'
              : 'auditor';

/**
 * The state and version of the streams this process appended to last, so that the next command
 * on such a stream (a household's commands come one after another) decides without reading it
 * again. The append checks the version, so a stream someone else wrote meanwhile is a conflict,
 * and is then read. Bounded; the oldest go first.
 */
class KnownStates {
  private readonly states = new Map<string, { decider: unknown; state: unknown; version: number }>();

  /** Takes the entry out: while a command runs on it, another one on the stream reads the stream. */
  take<S>(
    streamId: string,
    decider: Decider<unknown, S, unknown>,
  ): { state: S; version: number } | undefined {
    const entry = this.states.get(streamId);
    if (!entry) return undefined;
    this.states.delete(streamId);
    return entry.decider === decider ? { state: entry.state as S, version: entry.version } : undefined;
  }

  keep(streamId: string, decider: unknown, state: unknown, version: number): void {
    this.states.delete(streamId);
    this.states.set(streamId, { decider, state, version });
    if (this.states.size <= 5_000) return;
    for (const id of this.states.keys()) {
      this.states.delete(id);
      if (this.states.size <= 4_000) break;
    }
  }
}
