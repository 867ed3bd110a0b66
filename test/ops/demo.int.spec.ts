import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig, type AppConfig } from '@eenplan/runtime';
import { resolveLocalSecret, signToken, type Role } from '@eenplan/security';
import { createApp } from '../../apps/api/src/app.factory';
import { DEMO_HOUSEHOLDS as HH, DEMO_STEPS } from '../../scripts/demo/data';
import { loadDemoData, type DemoResult } from '../../scripts/demo/load';

/**
 * `npm run demo` twice on one PGlite data directory, as a user would: the first run loads the data,
 * the second writes nothing; then the API started on that directory shows what the demo promises
 * (the households, their plans and regie, a declined, an accepted and a pending handover, a closed
 * and a reopened plan, the caseloads).
 */
let dataDir: string;
let config: AppConfig;
let first: DemoResult;
let second: DemoResult;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eenplan-demo-'));
  config = loadConfig({ DATA_DIR: dataDir });
  first = await loadDemoData(config);
  second = await loadDemoData(config);
}, 300_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('the first run writes every request; the second writes none and appends no event', () => {
  expect(first).toMatchObject({ written: DEMO_STEPS.length, replayed: 0 });
  expect(first.added).toMatchObject({ teams: 3, households: 6, volunteers: 3, 'plans closed': 2 });
  expect(first.positionAfter).not.toBe(first.positionBefore);

  expect(second).toMatchObject({ written: 0, replayed: DEMO_STEPS.length, added: {} });
  expect(second.positionBefore).toBe(first.positionAfter);
  expect(second.positionAfter).toBe(second.positionBefore);
});

describe('what the API shows afterwards', () => {
  let app: INestApplication;
  const as = (sub: string, roles: Role[], teams: string[] = []) => ({
    Authorization: `Bearer ${signToken(resolveLocalSecret(dataDir), { sub, roles, teams }, 600)}`,
  });
  const youssef = () => as('demo-w-youssef', ['worker'], ['demo-team-noord']);
  const get = (path: string, who: Record<string, string>) =>
    request(app.getHttpServer()).get(path).set(who).expect(200);

  beforeAll(async () => {
    app = await createApp(config, { logger: false });
    await app.init();
  }, 120_000);
  afterAll(() => app?.close());

  test('a household with its members, plan and the regie handed to the worker who accepted it', async () => {
    const { body } = await get(`/v1/households/${HH.voorbeeld}`, youssef());
    expect(body.members.map((m: { name: string }) => m.name)).toEqual([
      'Sanne Voorbeeld',
      'Noah Voorbeeld',
      'Mila Voorbeeld',
    ]);
    expect(body.goals).toHaveLength(2);
    expect(body.actions).toHaveLength(4);
    expect(body).toMatchObject({
      status: 'active',
      agreed: true,
      regie: { holder: { id: 'demo-w-youssef' } },
    });
  });

  test('the declined handover left regie with the giver until the next one was accepted', async () => {
    const { body } = await get(
      `/v1/households/${HH.proefstra}/regie/history`,
      as('demo-auditor', ['auditor']),
    );
    expect(body.next).toBeNull();
    const intervals = body.intervals as { holder: { id: string }; cause: string }[];
    expect(intervals.map((i) => [i.holder.id, i.cause])).toEqual([
      ['demo-w-lotte', 'registration'],
      ['demo-w-youssef', 'transfer'],
    ]);
  });

  test('a closed plan, a reopened plan and a handover still pending', async () => {
    const sanne = as('demo-w-sanne', ['worker'], ['demo-team-oost']);
    expect((await get(`/v1/households/${HH.testerink}`, sanne)).body.status).toBe('closed');
    const reopened = (await get(`/v1/households/${HH.demooij}`, sanne)).body;
    expect(reopened).toMatchObject({ status: 'active', regie: { holder: { id: 'demo-w-daan' } } });
    const pending = (
      await get(`/v1/households/${HH.oefenaar}`, as('demo-w-bram', ['worker'], ['demo-team-zuid']))
    ).body;
    expect(pending.pendingTransfer).toMatchObject({ transferId: 'demo-tr-oe-1' });
  });

  test("the caseloads: a worker's households and a team's, with volunteers' hours", async () => {
    const mine = (await get('/v1/caseloads/workers/demo-w-youssef', youssef())).body;
    expect(mine.households.map((h: { householdId: string }) => h.householdId).sort()).toEqual([
      HH.proefstra,
      HH.voorbeeld,
    ]);
    const zuid = (
      await get(
        '/v1/caseloads/teams/demo-team-zuid',
        as('demo-w-anouk', ['worker', 'team-lead'], ['demo-team-zuid']),
      )
    ).body;
    expect(zuid.households).toHaveLength(2);
    expect(zuid.households.every((h: { assignments: { open: number } }) => h.assignments.open === 1)).toBe(
      true,
    );
  });
});
