import type { Person, SeededTeam } from '../e2e/fixtures';
import { householdBody } from '../e2e/fixtures';
import type { TestApp } from '../support/app';

export interface LoadResult {
  readonly accepted: number;
  readonly refused: string[];
}

export interface Load {
  /** Commands accepted so far (2xx). */
  accepted(): number;
  stop(): Promise<LoadResult>;
}

/**
 * A steady stream of commands through the HTTP API, one at a time: per round a household is
 * registered, given a goal, and handed over from one worker to another (request + accept).
 */
export const startLoad = (t: TestApp, team: SeededTeam, pauseMs = 20): Load => {
  const [w1, w2] = team.workers as [Person, Person];
  let running = true;
  let accepted = 0;
  const refused: string[] = [];
  const send = async (method: 'post', path: string, who: Person, body?: object) => {
    const res = await t.http()[method](path).set(who.as).send(body);
    if (res.status >= 200 && res.status < 300) accepted++;
    else refused.push(`${res.status} ${path}: ${res.text.slice(0, 200)}`);
  };
  const done = (async () => {
    for (let round = 0; running; round++) {
      const body = householdBody(team, { regie: { workerId: w1.id } });
      const hh = body.householdId;
      await send('post', '/v1/households', w1, body);
      await send('post', `/v1/households/${hh}/goals`, w1, {
        goalId: `g-${round}`,
        lifeDomain: 'housing',
        description: 'Woning op orde',
      });
      const transferId = `tr-${round}`;
      await send('post', `/v1/households/${hh}/regie/transfers`, w1, {
        transferId,
        to: { kind: 'worker', id: w2.id },
        reason: 'Gezinsbegeleiding',
      });
      await send('post', `/v1/households/${hh}/regie/transfers/${transferId}/accept`, w2);
      if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
    }
  })();
  return {
    accepted: () => accepted,
    stop: async () => {
      running = false;
      await done;
      return { accepted, refused };
    },
  };
};
