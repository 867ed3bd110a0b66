import { householdStream } from '@eenplan/domain';
import type { ErasuresQueries } from '@eenplan/projections';
import { personKeyId, type KeyStore } from '@eenplan/security';

export interface ErasureSweepResult {
  /** Erased households in the read model. */
  readonly households: number;
  /** Those whose key this run destroyed: erasures left pending, now complete. */
  readonly finished: readonly string[];
  /** Members whose own data was erased (MemberDataErased), in the read model. */
  readonly members: number;
  /** Those whose own key this run destroyed, as `householdId/memberId`. */
  readonly finishedMembers: readonly string[];
}

/**
 * Finishes the erasures left pending: HouseholdDataErased (or a member's MemberDataErased) recorded
 * (the erasures read model), the key (the household's, or the member's own) not destroyed, because the key store failed and the process retrying it stopped (its retry
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
    const members = await this.queries.erasedMembers();
    const finished: string[] = [];
    const finishedMembers: string[] = [];
    const failed: { householdId: string; error: unknown }[] = [];
    const sweep = async (done: string[], name: string, keyId: string) => {
      if (this.confirmed.has(keyId)) return;
      try {
        // 'active', or 'none' (erased before it ever had a key): either way the tombstone is due.
        if ((await this.keys.state(keyId)) !== 'erased') {
          await this.keys.destroy(keyId);
          done.push(name);
        }
        this.confirmed.add(keyId);
      } catch (error) {
        // One the key store refuses must not keep the others pending.
        failed.push({ householdId: name, error });
      }
    };
    for (const householdId of householdIds) await sweep(finished, householdId, householdStream(householdId));
    for (const { householdId, memberId } of members)
      await sweep(
        finishedMembers,
        `${householdId}/${memberId}`,
        personKeyId(householdStream(householdId), memberId),
      );
    if (failed.length > 0) {
      const first = failed[0]!;
      throw new Error(
        `the keys of ${failed.length} erased household(s) or member(s) could not be destroyed, the first ${first.householdId} ` +
          `(${(first.error as Error).message}); ${finished.length + finishedMembers.length} finished; the next sweep tries again`,
      );
    }
    return { households: householdIds.length, finished, members: members.length, finishedMembers };
  }
}
