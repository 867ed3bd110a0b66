import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { householdDecider, householdStream, type HouseholdEvent } from '@eenplan/domain';
import { personKeyId, type SealedEventStore } from '@eenplan/security';
import { notFoundProblem } from '../common/problem';
import { SEALED_EVENT_STORE } from '../common/tokens';

export type ErasureState = 'complete' | 'pending' | 'not-erased';

export interface ErasureStatus {
  readonly householdId: string;
  /**
   * 'complete': the household's key is destroyed (the tombstone is in the key store);
   * 'pending': HouseholdDataErased is recorded but the key is not destroyed yet;
   * 'not-erased': neither.
   */
  readonly status: ErasureState;
  /** When HouseholdDataErased was recorded, and its ground; null when the events hold none. */
  readonly erasedAt: string | null;
  readonly ground: string | null;
  /** When the key store destroyed the key, if it knows. */
  readonly keyDestroyedAt: string | null;
}

export interface MemberErasureStatus {
  readonly householdId: string;
  readonly memberId: string;
  /**
   * 'complete': the member's own key is destroyed (its tombstone in the key store);
   * 'pending': MemberDataErased is recorded but the key is not destroyed yet;
   * 'not-erased': neither.
   */
  readonly status: ErasureState;
  /** When MemberDataErased was recorded, and its ground; null when the events hold none. */
  readonly erasedAt: string | null;
  readonly ground: string | null;
  /** When the key store destroyed the member's key, if it knows. */
  readonly keyDestroyedAt: string | null;
  /**
   * True while events from before person parts (a registration's `memberNames`) still hold this
   * member's name under the household's key: their own key does not reach it, only the household's
   * erasure does (docs/PERSONS.md, "Erasing one person").
   */
  readonly nameUnderHouseholdKey: boolean;
}

/**
 * The second half of an erasure: destroying the household's key once HouseholdDataErased is
 * recorded. Tried at once; when the key store fails or is slow (an HSM out of reach), it goes on
 * in the background, retrying with back-off until it succeeds or the process stops. After a stop in
 * between, the status says 'pending' until the erasure sweep (ErasureSweep, where the projections
 * run: at start-up and every ERASURE_SWEEP_MS) or a repeated POST finishes it.
 */
@Injectable()
export class ErasureService implements OnApplicationShutdown {
  private readonly logger = new Logger('Erasure');
  private readonly background = new Map<string, Promise<void>>();
  private stopping = false;
  private wakeUp = () => {};

  constructor(@Inject(SEALED_EVENT_STORE) private readonly sealed: SealedEventStore) {}

  /** Destroys the key; 'complete' when that is done within `waitMs`, else 'pending' (it goes on). */
  destroyKey(householdId: string, waitMs = 5000): Promise<'complete' | 'pending'> {
    const streamId = householdStream(householdId);
    return this.waitFor(
      this.background.get(householdId) ??
        this.startDestroying(householdId, `household ${householdId}`, () => this.sealed.erase(streamId)),
      waitMs,
    );
  }

  /**
   * Destroys one member's own key (MemberDataErased recorded): 'complete' when done within
   * `waitMs`, else 'pending' (it goes on in the background, like a household's).
   */
  destroyMemberKey(householdId: string, memberId: string, waitMs = 5000): Promise<'complete' | 'pending'> {
    const task = `${householdId}/person/${memberId}`;
    const streamId = householdStream(householdId);
    return this.waitFor(
      this.background.get(task) ??
        this.startDestroying(task, `member ${memberId} of household ${householdId}`, () =>
          this.sealed.erasePerson(streamId, memberId),
        ),
      waitMs,
    );
  }

  /**
   * Whether one member's data is erased. 404 for an unknown household or a member it never had
   * (read from the events' data, nothing decrypted).
   */
  async memberStatus(householdId: string, memberId: string): Promise<MemberErasureStatus> {
    const streamId = householdStream(householdId);
    const events = await this.sealed.readSealed(streamId);
    if (events.length === 0)
      throw notFoundProblem('HouseholdNotFound', `household ${householdId} is not registered`);
    // The decider's state from the data alone: member ids are pseudonymous and never sealed.
    const state = events.reduce(
      (s, e) => householdDecider.evolve(s, { type: e.type, data: e.data } as unknown as HouseholdEvent),
      householdDecider.initialState(),
    );
    if (!state.members[memberId])
      throw notFoundProblem(
        'MemberNotFound',
        `member ${memberId} is not a member of household ${householdId}`,
      );
    const recorded = events.find(
      (e) => e.type === 'MemberDataErased' && (e.data as { memberId?: string }).memberId === memberId,
    )?.data as { erasedAt: string; ground: string } | undefined;
    const key = await this.sealed.personKeyState(streamId, memberId);
    const status: ErasureState = key === 'erased' ? 'complete' : recorded ? 'pending' : 'not-erased';
    const destroyedAt =
      key === 'erased' ? await this.sealed.keys.erasedAt(personKeyId(streamId, memberId)) : null;
    // Decrypted here only to answer yes or no; nothing of it leaves.
    const opened = await this.sealed.readStream(streamId);
    const nameUnderHouseholdKey = opened.some(
      (e) => typeof (e.personal?.memberNames as Record<string, unknown> | undefined)?.[memberId] === 'string',
    );
    return {
      householdId,
      memberId,
      status,
      erasedAt: recorded?.erasedAt ?? null,
      ground: recorded?.ground ?? null,
      keyDestroyedAt: destroyedAt?.toISOString() ?? null,
      nameUnderHouseholdKey,
    };
  }

  private async waitFor(running: Promise<void>, waitMs: number): Promise<'complete' | 'pending'> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), waitMs)));
    try {
      return await Promise.race([running.then(() => 'complete' as const), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async status(householdId: string): Promise<ErasureStatus> {
    const streamId = householdStream(householdId);
    const events = await this.sealed.readSealed(streamId);
    if (events.length === 0)
      throw notFoundProblem('HouseholdNotFound', `household ${householdId} is not registered`);
    const recorded = events.find((e) => e.type === 'HouseholdDataErased')?.data as
      { erasedAt: string; ground: string } | undefined;
    // The key store is the authority: after a restore from a backup taken before the erasure, the
    // events hold no HouseholdDataErased, yet the household's personal parts stay unreadable.
    const key = await this.sealed.keys.state(streamId);
    const status: ErasureState = key === 'erased' ? 'complete' : recorded ? 'pending' : 'not-erased';
    const destroyedAt = key === 'erased' ? await this.sealed.keys.erasedAt(streamId) : null;
    return {
      householdId,
      status,
      erasedAt: recorded?.erasedAt ?? null,
      ground: recorded?.ground ?? null,
      keyDestroyedAt: destroyedAt?.toISOString() ?? null,
    };
  }

  private startDestroying(task: string, what: string, destroy: () => Promise<unknown>): Promise<void> {
    const run = (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await destroy();
          return;
        } catch (error) {
          if (this.stopping) throw error;
          const delayMs = Math.min(60_000, 500 * 2 ** Math.min(attempt - 1, 7));
          this.logger.error(
            `destroying the key of ${what} failed (attempt ${attempt}), retrying in ${delayMs} ms: ${(error as Error).message}`,
          );
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, delayMs);
            const previous = this.wakeUp;
            this.wakeUp = () => {
              clearTimeout(timer);
              previous();
              resolve();
            };
          });
          if (this.stopping) throw error;
        }
      }
    })().finally(() => this.background.delete(task));
    // Whoever waits on it sees the outcome; a process stopping with it unfinished only logs.
    run.catch(() => undefined);
    this.background.set(task, run);
    return run;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wakeUp();
    const unfinished = [...this.background.keys()];
    await Promise.allSettled([...this.background.values()]);
    if (unfinished.length)
      this.logger.error(
        `stopped before the keys of ${unfinished.join(', ')} were destroyed (household, or household/person/member): their erasure status says pending until the erasure sweep finishes them (at the next start where the projections run, or within ERASURE_SWEEP_MS), or the erasure is POSTed again`,
      );
  }
}
