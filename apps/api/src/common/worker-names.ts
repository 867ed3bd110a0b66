import { Inject, Injectable } from '@nestjs/common';
import { teamStream } from '@eenplan/domain';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { WorkerFactsService } from './worker-facts';
import { EVENT_STORE } from './tokens';

/**
 * A worker's name, for those who may see it (a resident reading who holds their regie, an auditor's
 * timeline). A name is personal data: it lives only in the personal part of the team's
 * WorkerJoinedTeam event, sealed like every personal part, and is read from there, never copied
 * into a read model. Unknown ids, and names whose team's key is gone, are null.
 */
@Injectable()
export class WorkerNames {
  constructor(
    private readonly facts: WorkerFactsService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async name(workerId: string): Promise<string | null> {
    return (await this.names([workerId])).get(workerId) ?? null;
  }

  /** Names of many workers, each team's stream read once. */
  async names(workerIds: Iterable<string>): Promise<Map<string, string>> {
    const byTeam = new Map<string, Set<string>>();
    for (const id of new Set(workerIds)) {
      const facts = await this.facts.find(id, undefined, { waitForDirectory: false });
      if (!facts) continue;
      const ids = byTeam.get(facts.teamId) ?? new Set<string>();
      byTeam.set(facts.teamId, ids.add(id));
    }
    const names = new Map<string, string>();
    for (const [teamId, ids] of byTeam) {
      const events = await this.store.readStream(teamStream(teamId)).catch(() => []);
      for (const event of events) {
        if (event.type !== 'WorkerJoinedTeam') continue;
        const workerId = (event.data as { workerId?: unknown }).workerId;
        const name = (event.personal as { name?: unknown } | null | undefined)?.name;
        if (typeof workerId === 'string' && ids.has(workerId) && typeof name === 'string')
          names.set(workerId, name);
      }
    }
    return names;
  }
}
