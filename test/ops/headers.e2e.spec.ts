import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import type { Response } from 'supertest';
import { startTestApp, TestApp } from '../support/app';
import { describeWithInfra } from '../support/infra';
import { Person, SeededTeam, seedHousehold, seedTeam } from '../e2e/fixtures';

/**
 * Answers with personal data are kept by no cache and never sniffed into another type, refusals
 * included (issue 16, item 9); helmet's standard headers everywhere; HSTS only when TLS ends in a
 * proxy in front of the app; a CSP on /docs under which the OpenAPI UI still works.
 */
const expectGuarded = (res: Response) => {
  expect({ status: res.status, cacheControl: res.headers['cache-control'] }).toEqual({
    status: res.status,
    cacheControl: 'no-store',
  });
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['x-powered-by']).toBeUndefined();
};

let t: TestApp;
let team: SeededTeam;
let worker: Person;
let householdId: string;
beforeAll(async () => {
  t = await startTestApp();
  team = await seedTeam(t, { workers: 1 });
  worker = team.workers[0];
  householdId = await seedHousehold(t, team);
});
afterAll(async () => {
  await t?.close();
});

describe('every /v1 answer: Cache-Control no-store, nosniff and helmet’s headers', () => {
  it.each([
    ['200, the household', () => t.http().get(`/v1/households/${householdId}`).set(worker.as), 200],
    ['200, a page of it', () => t.http().get(`/v1/households/${householdId}/goals`).set(worker.as), 200],
    [
      '201, a write',
      () =>
        t
          .http()
          .post(`/v1/households/${householdId}/goals`)
          .set(worker.as)
          .send({ lifeDomain: 'housing', description: 'Woning' }),
      201,
    ],
    ['401, no token', () => t.http().get(`/v1/households/${householdId}`), 401],
    [
      '401, a forged token',
      () => t.http().get(`/v1/households/${householdId}`).set('Authorization', 'Bearer x.y.z'),
      401,
    ],
    [
      '403, a worker no team registered',
      () =>
        t
          .http()
          .get(`/v1/households/${householdId}`)
          .set('Authorization', `Bearer ${t.token('w-x', ['worker'], ['t-x'])}`),
      403,
    ],
    ['404, no such household', () => t.http().get('/v1/households/no-such').set(worker.as), 404],
    ['404, no such route', () => t.http().get('/v1/no-such-route').set(worker.as), 404],
    [
      '400, bad input',
      () => t.http().post(`/v1/households/${householdId}/goals`).set(worker.as).send({ lifeDomain: 'x' }),
      400,
    ],
    [
      '400, broken JSON',
      () =>
        t.http().post('/v1/households').set(worker.as).set('Content-Type', 'application/json').send('{"a":'),
      400,
    ],
    [
      '413, too large',
      () =>
        t
          .http()
          .post('/v1/households')
          .set(worker.as)
          .send({ district: 'x'.repeat(200_000) }),
      413,
    ],
  ])('%s', async (_what, call, status) => {
    const res = await call();
    expect(res.status).toBe(status);
    expectGuarded(res);
    if (status >= 400) expect(res.headers['content-type']).toMatch(/^application\/(problem\+)?json/);
  });

  it('sends no HSTS when nothing says TLS ends in front of the app', async () => {
    const res = await t.http().get(`/v1/households/${householdId}`).set(worker.as);
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('answers what Node’s HTTP parser refuses with the same two headers', async () => {
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const raw = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(port, '127.0.0.1', () =>
        socket.write('GET /v1/households HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
      );
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toContain('Cache-Control: no-store');
    expect(raw).toContain('X-Content-Type-Options: nosniff');
  });

  it('keeps the timeline page’s own CSP', async () => {
    const res = await t.http().get('/timeline').expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'; style-src 'self'");
  });

  it('gives /docs a CSP that lets its own scripts run', async () => {
    const res = await t.http().get('/docs/').expect(200);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
  });
});

describe('TLS_TERMINATED_BY_PROXY=true', () => {
  let behindProxy: TestApp;
  beforeAll(async () => {
    behindProxy = await startTestApp({ tlsTerminatedByProxy: true });
  });
  afterAll(async () => {
    await behindProxy?.close();
  });

  it('sends HSTS for a year, on answers and refusals alike', async () => {
    for (const res of [
      await behindProxy.http().get('/health/live'),
      await behindProxy.http().get('/v1/households/x'),
    ]) {
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    }
  });
});

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
describeWithInfra(
  'the OpenAPI UI under its CSP in headless Chromium',
  {
    name: `Chromium at ${CHROMIUM}`,
    howToStart: 'apt-get install -y chromium (or set CHROMIUM_PATH)',
    probe: () => (existsSync(CHROMIUM) ? null : 'not installed'),
  },
  () => {
    let browser: Browser;
    beforeAll(async () => {
      await t.app.listen(0, '127.0.0.1').catch(() => undefined);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('renders the operations, with no CSP violation reported', async () => {
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
      await page.addInitScript(
        "document.addEventListener('securitypolicyviolation', (e) => reportViolation(e.violatedDirective + ' ' + e.blockedURI));",
      );
      await page.goto(`http://127.0.0.1:${port}/docs`);
      await page.waitForSelector('.opblock-tag', { timeout: 15_000 });
      expect(await page.locator('.opblock-tag').count()).toBeGreaterThan(5);
      expect(await page.textContent('body')).toContain('/v1/households/{id}/goals');
      expect(violations).toEqual([]);
      await page.close();
    });
  },
);
