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
    const names = new Map<string, string>();
    for (const [id, card] of await this.cards(workerIds)) if (card.name !== null) names.set(id, card.name);
    return names;
  }

  /**
   * What a resident is shown of the worker holding their regie (issue 20): name, team name and
   * the contact the team registered (WorkerJoinedTeam's personal part), each null where unknown.
   */
  async cards(workerIds: Iterable<string>): Promise<Map<string, WorkerCard>> {
    const byTeam = new Map<string, Set<string>>();
    for (const id of new Set(workerIds)) {
      const facts = await this.facts.find(id, undefined, { waitForDirectory: false });
      if (!facts) continue;
      const ids = byTeam.get(facts.teamId) ?? new Set<string>();
      byTeam.set(facts.teamId, ids.add(id));
    }
    const cards = new Map<string, WorkerCard>();
    for (const [teamId, ids] of byTeam) {
      const events = await this.store.readStream(teamStream(teamId)).catch(() => []);
      let teamName: string | null = null;
      for (const event of events) {
        if (event.type === 'TeamRegistered') {
          const name = (event.data as { name?: unknown }).name;
          teamName = typeof name === 'string' ? name : null;
        }
        if (event.type !== 'WorkerJoinedTeam') continue;
        const workerId = (event.data as { workerId?: unknown }).workerId;
        if (typeof workerId !== 'string' || !ids.has(workerId)) continue;
        const personal = event.personal as { name?: unknown; contact?: unknown } | null | undefined;
        cards.set(workerId, {
          name: typeof personal?.name === 'string' ? personal.name : null,
          teamId,
          teamName,
          contact: contactOf(personal?.contact),
        });
      }
    }
    return cards;
  }
}

export interface WorkerCard {
  readonly name: string | null;
  readonly teamId: string;
  readonly teamName: string | null;
  readonly contact: { readonly phone?: string; readonly email?: string } | null;
}

const contactOf = (value: unknown): WorkerCard['contact'] => {
  if (value === null || typeof value !== 'object') return null;
  const { phone, email } = value as { phone?: unknown; email?: unknown };
  const contact = {
    ...(typeof phone === 'string' ? { phone } : {}),
    ...(typeof email === 'string' ? { email } : {}),
  };
  return Object.keys(contact).length > 0 ? contact : null;
};
