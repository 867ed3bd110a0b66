import { existsSync, mkdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, Browser, Page } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';
import { describeWithInfra } from '../support/infra';
import { auditor, Person, SeededTeam, seedHousehold, seedTeam, uniq } from '../e2e/fixtures';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'test-output');

const chromiumBrowser = {
  name: `Chromium at ${CHROMIUM}`,
  howToStart: 'apt-get install -y chromium (or set CHROMIUM_PATH)',
  probe: () => (existsSync(CHROMIUM) ? null : 'not installed'),
};

describeWithInfra("the auditor's regie timeline page in headless Chromium", chromiumBrowser, () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let page: Page;
  let team: SeededTeam;
  let householdId: string;

  const post = (path: string, who: Person, body: Record<string, unknown> = {}) =>
    t.http().post(path).set(who.as).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;

    // A household with three handoffs: two warm transfers and a safety takeover a team lead confirmed.
    team = await seedTeam(t, { workers: 3 });
    const [w1, w2, w3] = team.workers as [Person, Person, Person];
    householdId = await seedHousehold(t, team, { regieWorker: w1 });
    const transfer = async (from: Person, to: Person) => {
      const transferId = uniq('tr');
      await post(`/v1/households/${householdId}/regie/transfers`, from, {
        transferId,
        to: { kind: 'worker', id: to.id },
        reason: 'Specialistische hulp nodig',
      }).expect(201);
      t.clock.advance(3 * 3600_000);
      await post(`/v1/households/${householdId}/regie/transfers/${transferId}/accept`, to).expect(200);
      t.clock.advance(5 * 86400_000);
    };
    await transfer(w1, w2);
    await transfer(w2, w3);
    const taken = await post(`/v1/households/${householdId}/regie/safety-takeover`, w1, {
      reason: 'Acute zorgen om veiligheid',
    }).expect(200);
    await post(
      `/v1/households/${householdId}/regie/safety-takeover/${taken.body.takeoverId as string}/confirm`,
      team.lead,
    ).expect(200);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signIn = async (token: string) => {
    await page.goto(`${base}/timeline`);
    // A token from an earlier test stays for this tab: forget it the way a user would.
    if (await page.isVisible('#logout')) await page.click('#logout');
    await page.fill('#token', token);
    await page.click('#login-button');
  };

  it('asks for a token first, shows nothing else, and keeps the token in sessionStorage only', async () => {
    await page.goto(`${base}/timeline`);
    expect(await page.isVisible('#token')).toBe(true);
    expect(await page.isVisible('#household')).toBe(false);
    await signIn(t.token('auditor-1', ['auditor']));
    expect(await page.textContent('#who')).toBe('Signed in as auditor-1 (auditor)');
    expect(await page.isVisible('#household')).toBe(true);
    expect(await page.evaluate('[sessionStorage.length, localStorage.length]')).toEqual([1, 0]);
  });

  it('draws the household regie intervals with their holders and causes, and lists the handoffs', async () => {
    await signIn(auditor(t).as.Authorization.replace('Bearer ', ''));
    await page.fill('#household', householdId);
    await page.click('#show');
    await page.waitForSelector('#timeline .interval');

    const [w1, w2, w3] = team.workers as [Person, Person, Person];
    const bars = await page.$$eval('#timeline .interval', (els) =>
      els.map((el) => {
        const box = el.getBoundingClientRect();
        return {
          holder: el.getAttribute('data-holder'),
          cause: el.getAttribute('data-cause'),
          open: el.getAttribute('data-to') === '',
          text: el.textContent,
          left: box.left,
          width: box.width,
        };
      }),
    );
    expect(bars.map(({ holder, cause, open }) => ({ holder, cause, open }))).toEqual([
      { holder: w1.id, cause: 'registration', open: false },
      { holder: w2.id, cause: 'transfer', open: false },
      { holder: w3.id, cause: 'transfer', open: false },
      { holder: w1.id, cause: 'safety-takeover', open: true },
    ]);
    expect(bars[1]!.text).toBe(`${w2.id}transfer`);
    // Drawn left to right in time order, each bar visible.
    for (let i = 1; i < bars.length; i++) expect(bars[i]!.left).toBeGreaterThan(bars[i - 1]!.left);
    for (const bar of bars) expect(bar.width).toBeGreaterThan(20);

    const handoffs = await page.$$eval('#handoffs-of-household li', (els) =>
      els.map((el) => ({
        from: el.getAttribute('data-from'),
        to: el.getAttribute('data-to'),
        cause: el.getAttribute('data-cause'),
        text: el.textContent,
      })),
    );
    expect(handoffs.map(({ from, to, cause }) => ({ from, to, cause }))).toEqual([
      { from: w1.id, to: w2.id, cause: 'transfer' },
      { from: w2.id, to: w3.id, cause: 'transfer' },
      { from: w3.id, to: w1.id, cause: 'safety-takeover' },
    ]);
    expect(handoffs[0]!.text).toContain(`requested by ${w1.id}, accepted by ${w2.id}`);
    expect(handoffs[2]!.text).toContain(`approved by ${team.lead.id}`);
    expect(handoffs[2]!.text).toContain(`confirmed by ${team.lead.id} at`);
    expect(await page.$$eval('#intervals tbody tr', (rows) => rows.length)).toBe(4);

    mkdirSync(SCREENSHOTS, { recursive: true });
    const file = join(SCREENSHOTS, 'regie-timeline.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
  });

  it('shows the handoffs of a period in a table, and opens a household from it', async () => {
    await signIn(auditor(t).as.Authorization.replace('Bearer ', ''));
    // The test clock starts on 2026-01-05; the handoffs fall within January.
    await page.fill('#from', '2026-01-01');
    await page.fill('#to', '2026-02-01');
    await page.click('#load-handoffs');
    await page.waitForSelector('#handoffs tbody tr');
    const rows = await page.$$eval('#handoffs tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    const ours = rows.filter((r) => r[0] === householdId);
    expect(ours.map((r) => r[2])).toEqual(['transfer', 'transfer', 'safety-takeover']);
    expect(ours.map((r) => r[7])).toEqual(['', '', team.lead.id]);
    expect(ours[2]![9]).toContain(`confirmed by ${team.lead.id}`);
    expect(await page.textContent('#handoffs-count')).toBe(`${rows.length} handoffs`);

    // A period before anything happened has none.
    await page.fill('#from', '2025-01-01');
    await page.fill('#to', '2025-02-01');
    await page.click('#load-handoffs');
    await page.waitForSelector('#handoffs-count:text-is("0 handoffs")');

    await page.fill('#from', '2026-01-01');
    await page.fill('#to', '2026-02-01');
    await page.click('#load-handoffs');
    await page.click(`#handoffs tbody a:text-is("${householdId}")`);
    await page.waitForSelector(`#household-title:text-is("Household ${householdId}: 4 intervals")`);
  });

  it('refuses the data to a token without the auditor role, and says why', async () => {
    const worker = team.workers[0]!;
    await signIn(worker.as.Authorization.replace('Bearer ', ''));
    expect(await page.textContent('#error')).toContain('no auditor role');
    await page.click('#load-handoffs');
    await page.waitForSelector('#error:text-matches("^403 ")');
    expect(await page.textContent('#error')).toContain('this needs one of the roles: auditor');
    expect(await page.$$eval('#handoffs tbody tr', (rows) => rows.length)).toBe(0);
  });

  it('serves the page with a Content-Security-Policy that allows only its own script', async () => {
    const res = await t.http().get('/timeline').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    await t
      .http()
      .get('/timeline/timeline.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
  });
});
