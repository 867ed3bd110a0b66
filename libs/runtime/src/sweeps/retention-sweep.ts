import { randomUUID } from 'node:crypto';
import {
  dateInNl,
  DomainError,
  householdDecider,
  type HouseholdCommand,
  type HouseholdState,
  householdStream,
  RETENTION_SWEEP_ACTOR,
} from '@eenplan/domain';
import type { EventStore, RecordedEvent } from '@eenplan/event-store/event-store.port';
import type { ErasuresQueries } from '@eenplan/projections';
import { StreamKeyMissingError } from '@eenplan/security';
import type { Clock } from '../clock';
import {
  formatRetentionPeriod,
  retentionDue,
  retentionQueryBound,
  type RetentionPeriod,
} from '../config/retention';
import { appendAsSystem } from '../system-append';
import type { RetentionRun, RetentionRunKind, RetentionRuns } from './retention-runs';

/** What a rule erases: a household's personal data, or one member's (memberId). */
export interface RetentionTarget {
  readonly householdId: string;
  readonly memberId?: string;
}

/**
 * One kind of record the retention sweep erases once its period ran out. The household file after
 * its plan closed is one (householdClosedRule); a member who left (EraseMemberData, per person) is
 * plugged in the same way: its candidates from a read model, its command decided on the household's
 * own stream with RETENTION_SWEEP_ACTOR, its key destroyed after.
 */
export interface RetentionRule {
  readonly kind: string;
  readonly period: RetentionPeriod;
  /** Where to look: what a read model says may be due on `today`; each is checked on its stream. */
  candidates(today: string): Promise<readonly RetentionTarget[]>;
  /**
   * The erasing command when the target is due on `today` by its own stream (the read model may lag:
   * a plan reopened since), else null. Its actor is RETENTION_SWEEP_ACTOR, its ground `ground`.
   */
  command(
    target: RetentionTarget,
    state: HouseholdState,
    history: readonly RecordedEvent[],
    on: { readonly today: string; readonly at: string; readonly ground: string },
  ): HouseholdCommand | null;
  /** The ground recorded with the erasure: a reference (erasureGroundProblem), never a name. */
  ground(runId: string): string;
  /** After the erasure is stored: destroy the key (a failure is finished by the erasure sweep). */
  destroyKey(target: RetentionTarget): Promise<unknown>;
}

/**
 * The household file, `period` after the plan last closed (a reopened plan is kept: it is not
 * closed, and when it closes again its period starts anew). Candidates from the erasures read model.
 */
export const householdClosedRule = (
  queries: Pick<ErasuresQueries, 'closedBefore'>,
  period: RetentionPeriod,
  destroyKey: (householdId: string) => Promise<unknown>,
): RetentionRule => ({
  kind: 'household-closed',
  period,
  async candidates(today) {
    // A day's margin around midnight in the Netherlands; retentionDue decides on the stream.
    const bound = `${retentionQueryBound(today, period)}T00:00:00.000Z`;
    return (await queries.closedBefore(bound)).map(({ householdId }) => ({ householdId }));
  },
  command(target, state, history, on) {
    if (state.status !== 'closed' || state.erased) return null;
    const closure = [...history].reverse().find((e) => e.type === 'PlanClosed');
    if (!closure) return null;
    const closedAt =
      typeof closure.data.closedAt === 'string' ? closure.data.closedAt : closure.metadata.recordedAt;
    if (!retentionDue(dateInNl(closedAt), period, on.today)) return null;
    return {
      type: 'EraseHouseholdData',
      householdId: target.householdId,
      actor: RETENTION_SWEEP_ACTOR,
      at: on.at,
      ground: on.ground,
    };
  },
  // The statute only for its own term; another period is the municipality's (its selectielijst).
  ground: (runId) =>
    `bewaartermijn ${formatRetentionPeriod(period)} na afsluiting plan, ${
      period.years * 12 + period.months === 240 ? 'jeugdwet art. 7.3.8' : 'vastgesteld door de gemeente'
    }, run ${runId.slice(0, 8)}`,
  destroyKey: (target) => destroyKey(target.householdId),
});

/**
 * A member who left the household, `period` after the day they left: their own data (their part,
 * under their own key) is erased by EraseMemberData, while the household goes on. Candidates from
 * the erasures read model; each is decided again on its stream (already erased, or the household
 * erased meanwhile: nothing to do).
 */
export const memberLeftRule = (
  queries: Pick<ErasuresQueries, 'departedBefore'>,
  period: RetentionPeriod,
  destroyKey: (householdId: string, memberId: string) => Promise<unknown>,
): RetentionRule => ({
  kind: 'member-left',
  period,
  async candidates(today) {
    return queries.departedBefore(retentionQueryBound(today, period));
  },
  command(target, state, _history, on) {
    const memberId = target.memberId;
    if (memberId === undefined || state.erased || !Object.hasOwn(state.members, memberId)) return null;
    const member = state.members[memberId]!;
    if (member.left === undefined || member.dataErasedAt !== undefined) return null;
    if (!retentionDue(member.left.on, period, on.today)) return null;
    return {
      type: 'EraseMemberData',
      householdId: target.householdId,
      memberId,
      actor: RETENTION_SWEEP_ACTOR,
      at: on.at,
      ground: on.ground,
    };
  },
  ground: (runId) =>
    `bewaartermijn ${formatRetentionPeriod(period)} na vertrek uit het huishouden, ${
      period.years * 12 + period.months === 240 ? 'jeugdwet art. 7.3.8' : 'vastgesteld door de gemeente'
    }, run ${runId.slice(0, 8)}`,
  destroyKey: (target) => destroyKey(target.householdId, target.memberId!),
});

/**
 * The daily retention sweep (issue 18): erases, by the same crypto-shredding as an administrator's
 * erasure, every record whose retention period ran out, as the system (RETENTION_SWEEP_ACTOR, the
 * events' actor `retention-sweep`, one correlation id per run). A dry run decides the same on each
 * stream and appends nothing. Every run, dry or real, is recorded for auditors (RetentionRuns).
 * Like the other sweeps, the read model only says where to look; each household is decided on its
 * own stream and appended with the version read, so two processes sweeping at once do no harm.
 */
export class RetentionSweep {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly rules: readonly RetentionRule[],
    private readonly runs: RetentionRuns,
    private readonly clock: Clock,
    private readonly options: {
      /** RETENTION_SWEEP_MS: the timer's interval (runIfDue). */
      readonly intervalMs: number;
      /**
       * What went wrong with one target, for the log: a key not destroyed at once (the erasure
       * sweep finishes it), or a household that could not be decided (skipped, in the run's report).
       */
      readonly onError?: (target: RetentionTarget, stage: 'erase' | 'destroy-key', error: unknown) => void;
    },
  ) {}

  /** One run now; one at a time in this process. */
  run(request: { readonly dryRun: boolean; readonly requestedBy: string }): Promise<RetentionRun> {
    const next = this.queue.then(() => this.runNow(request));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * The timer's run: a real run when the last real timed run (of any process sharing the database)
   * is at least the interval ago, so restarts neither skip a day nor sweep twice. Null when not due.
   */
  async runIfDue(): Promise<RetentionRun | null> {
    if (this.options.intervalMs <= 0) return null;
    const last = await this.runs.lastTimedRun();
    if (last && this.clock.now().getTime() - Date.parse(last) < this.options.intervalMs) return null;
    return this.run({ dryRun: false, requestedBy: 'timer' });
  }

  private async runNow({ dryRun, requestedBy }: { dryRun: boolean; requestedBy: string }) {
    const runId = randomUUID();
    const at = this.clock.now().toISOString();
    const today = dateInNl(at);
    const kinds: RetentionRunKind[] = [];
    for (const rule of this.rules) {
      const ground = rule.ground(runId);
      const done: RetentionTarget[] = [];
      const skipped: { householdId: string; reason: string }[] = [];
      for (const target of await rule.candidates(today)) {
        const decide = (state: HouseholdState, history: readonly RecordedEvent[]) => {
          const command = rule.command(target, state, history, { today, at, ground });
          return command ? householdDecider.decide(command, state) : [];
        };
        try {
          if (dryRun) {
            const history = await this.store.readStream(householdStream(target.householdId));
            const state = history.reduce(
              (s, e) => householdDecider.evolve(s, e as never),
              householdDecider.initialState(),
            );
            if (decide(state, history).length > 0) done.push(target);
            continue;
          }
          const appended = await appendAsSystem(this.store, target.householdId, {
            actor: RETENTION_SWEEP_ACTOR.id,
            at,
            runId,
            decide,
            eventIdOf: () => undefined,
          });
          if (appended === 0) continue;
          done.push(target);
          try {
            await rule.destroyKey(target);
          } catch (error) {
            this.options.onError?.(target, 'destroy-key', error);
          }
        } catch (error) {
          // One household refused (erased meanwhile) or unreadable must not stop the others.
          const reason =
            error instanceof DomainError
              ? error.code
              : error instanceof StreamKeyMissingError
                ? 'StreamKeyMissing'
                : 'Error';
          if (reason === 'Error') this.options.onError?.(target, 'erase', error);
          skipped.push({ householdId: target.householdId, reason });
        }
      }
      const members = done.filter((t) => t.memberId !== undefined);
      kinds.push({
        kind: rule.kind,
        period: formatRetentionPeriod(rule.period),
        householdIds: [...new Set(done.map((t) => t.householdId))],
        ...(members.length ? { memberIds: members.map((t) => `${t.householdId}/${t.memberId}`) } : {}),
        skipped,
      });
    }
    const run: RetentionRun = {
      runId,
      ranAt: at,
      today,
      dryRun,
      requestedBy,
      kinds,
      erased: kinds.reduce((n, k) => n + (k.memberIds ? k.memberIds.length : k.householdIds.length), 0),
    };
    await this.runs.record(run);
    return run;
  }
}
