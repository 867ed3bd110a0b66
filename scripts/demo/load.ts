import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHash } from 'node:crypto';
import type { EventStore } from '@eenplan/event-store/event-store.port';
import type { AppConfig } from '@eenplan/runtime';
import { signToken } from '@eenplan/security/tokens';
import { createApp } from '../../apps/api/src/app.factory';
import { JWT_SECRET } from '../../apps/api/src/common/auth';
import { EVENT_STORE } from '../../apps/api/src/common/tokens';
import { DEMO_ACTORS, DEMO_STEPS, type DemoStep } from './data';

export interface DemoResult {
  /** Requests that wrote (first run), and requests answered from their Idempotency-Key (later runs). */
  readonly written: number;
  readonly replayed: number;
  /** What the written requests added, by kind ("households": 6, ...). */
  readonly added: Readonly<Record<string, number>>;
  /** The event store's committed position before and after: equal when nothing was appended. */
  readonly positionBefore: string;
  readonly positionAfter: string;
}

/** A refused demo request: which step, and the problem the API answered with. */
export class DemoStepError extends Error {}

/**
 * The key of a step: the same request (sender, path, body) gets the same key on every run, so the
 * API answers a repeat from its idempotency record and writes nothing. The version in it changes
 * only if the demo data is redone from scratch.
 */
const idempotencyKey = (step: DemoStep) =>
  `eenplan-demo-v1-${createHash('sha256')
    .update(`${step.as} ${step.method ?? 'POST'} ${step.path}\n${JSON.stringify(step.body ?? null)}`)
    .digest('hex')
    .slice(0, 32)}`;

/**
 * Loads the demo data into the store `config` names, through the API's own HTTP path: the app is
 * built in this process (as `npm start` builds it) and listens on a loopback port of its own for
 * the duration, so every request is validated, authorised, decided and appended as a client's
 * would be. With the embedded default (PGlite) no server may have DATA_DIR open meanwhile: PGlite
 * is one process's.
 */
export async function loadDemoData(config: AppConfig): Promise<DemoResult> {
  const app: INestApplication = await createApp(config, { logger: false });
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    const secret = app.get<string>(JWT_SECRET);
    const store = app.get<EventStore>(EVENT_STORE);
    const tokens = new Map(
      Object.entries(DEMO_ACTORS).map(([name, actor]) => [
        name,
        signToken(secret, { sub: actor.id, roles: [...actor.roles], teams: [...actor.teams] }, 3600),
      ]),
    );
    const positionBefore = await store.committedPosition();
    let written = 0;
    let replayed = 0;
    const added: Record<string, number> = {};
    for (const step of DEMO_STEPS) {
      const res = await fetch(`http://127.0.0.1:${port}${step.path}`, {
        method: step.method ?? 'POST',
        headers: {
          authorization: `Bearer ${tokens.get(step.as)}`,
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey(step),
        },
        ...(step.body ? { body: JSON.stringify(step.body) } : {}),
      });
      if (!res.ok) {
        const problem = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
        throw new DemoStepError(
          `${step.method ?? 'POST'} ${step.path} as ${DEMO_ACTORS[step.as].id} was refused: ${res.status} ${problem.code ?? ''} ${problem.detail ?? ''}`.trim(),
        );
      }
      await res.arrayBuffer();
      if (res.headers.get('idempotent-replayed') === 'true') replayed++;
      else {
        written++;
        added[step.counts] = (added[step.counts] ?? 0) + 1;
      }
    }
    return { written, replayed, added, positionBefore, positionAfter: await store.committedPosition() };
  } finally {
    await app.close();
  }
}
