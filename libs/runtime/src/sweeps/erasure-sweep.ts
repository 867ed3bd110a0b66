import { householdStream } from '@eenplan/domain';
import type { ErasuresQueries } from '@eenplan/projections';
import type { KeyStore } from '@eenplan/security';

export interface ErasureSweepResult {
  /** Erased households in the read model. */
  readonly households: number;
  /** Those whose key this run destroyed: erasures left pending, now complete. */
  readonly finished: readonly string[];
}

/**
 * Finishes the erasures left pending: HouseholdDataErased recorded (the erasures read model), the
 * key not destroyed, because the key store failed and the process retrying it stopped (its retry
 * lives in memory). Runs where the projections run, once at start-up (after they caught up) and
 * then every ERASURE_SWEEP_MS; a household this process saw erased in the key store is not asked
 * about again. Destroying is idempotent, so processes sweeping at once do no harm.
 */
export class ErasureSweep {
  private readonly confirmed = new Set<string>();

  constructor(
    private readonly queries: ErasuresQueries,
    private readonly keys: Pick<KeyStore, 'state' | 'destroy'>,
  ) {}

  async run(): Promise<ErasureSweepResult> {
    const householdIds = await this.queries.erasedHouseholds();
    const finished: string[] = [];
    const failed: { householdId: string; error: unknown }[] = [];
    for (const householdId of householdIds) {
      if (this.confirmed.has(householdId)) continue;
      const streamId = householdStream(householdId);
      try {
        // 'active', or 'none' (erased before it ever had a key): either way the tombstone is due.
        if ((await this.keys.state(streamId)) !== 'erased') {
          await this.keys.destroy(streamId);
          finished.push(householdId);
        }
        this.confirmed.add(householdId);
      } catch (error) {
        // One the key store refuses must not keep the others pending.
        failed.push({ householdId, error });
      }
    }
    if (failed.length > 0) {
      const first = failed[0]!;
      throw new Error(
        `the keys of ${failed.length} erased household(s) could not be destroyed, the first ${first.householdId} ` +
          `(${(first.error as Error).message}); ${finished.length} finished; the next sweep tries again`,
      );
    }
    return { households: householdIds.length, finished };
  }
}
