import { Injectable } from '@nestjs/common';
import { householdDecider, HouseholdEvent, HouseholdState, householdStream } from '@eenplan/domain';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import type { Principal } from '@eenplan/security';
import { Inject } from '@nestjs/common';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import { forbiddenProblem, notFoundProblem } from '../common/problem';
import { EVENT_STORE } from '../common/tokens';

/**
 * Reads a household's stream for a GET and checks who may see it: the household's team and the
 * regie holder, the same rule as GET /v1/households/:id.
 */
@Injectable()
export class HouseholdReader {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async readFor(
    householdId: string,
    principal: Principal,
  ): Promise<{ state: HouseholdState; events: RecordedEvent[] }> {
    const events = await this.store.readStream(householdStream(householdId));
    if (events.length === 0) {
      throw notFoundProblem('HouseholdNotFound', `household ${householdId} is not registered`);
    }
    const state = events.reduce(
      (s, e) => householdDecider.evolve(s, e as unknown as HouseholdEvent),
      householdDecider.initialState(),
    );
    const holdsRegie = state.regie.kind === 'worker' && state.regie.id === principal.sub;
    if (!principal.teams.includes(state.teamId) && !holdsRegie) {
      throw forbiddenProblem(`only team ${state.teamId} and the regie holder see this household`);
    }
    return { state, events };
  }
}
