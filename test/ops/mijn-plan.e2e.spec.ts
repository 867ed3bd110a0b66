import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { signToken } from '@eenplan/security';
import { startTestApp, TEST_SECRET, TestApp } from '../support/app';
import { describeWithInfra } from '../support/infra';
import {
  admin,
  CHILD,
  PARENT,
  person,
  Person,
  SeededTeam,
  seedHousehold,
  seedTeam,
  uniq,
} from '../e2e/fixtures';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const OUTPUT = join(__dirname, '..', '..', 'test-output');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const chromiumBrowser = {
  name: `Chromium at ${CHROMIUM}`,
  howToStart: 'apt-get install -y chromium (or set CHROMIUM_PATH)',
  probe: () => (existsSync(CHROMIUM) ? null : 'not installed'),
};

const PARTNER = 'm-partner';

const MONTHS =
  'januari februari maart april mei juni juli augustus september oktober november december'.split(' ');
/** The last Sunday of a month (0-based), at 01:00 UTC: when the EU's summer time begins or ends. */
const changeover = (year: number, month: number) => {
  const last = new Date(Date.UTC(year, month + 1, 0, 1));
  return last.getTime() - last.getUTCDay() * 86_400_000;
};
/**
 * "5 december 2026, 14:03" in Amsterdam, worked out here from the EU's summer-time rule rather
 * than with Intl, so a page that formats in the browser's own time zone cannot pass by sharing a bug.
 */
const amsterdam = (iso: string) => {
  const at = Date.parse(iso);
  const year = new Date(at).getUTCFullYear();
  const summer = at >= changeover(year, 2) && at < changeover(year, 9);
  const local = new Date(at + (summer ? 2 : 1) * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()}, ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
};

describeWithInfra("the residents' page Mijn plan in headless Chromium", chromiumBrowser, () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let team: SeededTeam;
  let w1: Person;
  /** The worker who takes regie over: registered with a phone number and an e-mail address. */
  let joris: Person;
  let householdId: string;
  let otherHouseholdId: string;
  let resident: string;
  /** Console errors and uncaught exceptions of the resident's page: the flows must leave none. */
  const consoleErrors: string[] = [];
  const axeSummary: string[] = [];

  const post = (path: string, who: Person, body: Record<string, unknown> = {}) =>
    t.http().post(path).set(who.as).send(body);
  const residentToken = (household: string, member: string, secret = TEST_SECRET) =>
    signToken(secret, { sub: uniq('bewoner'), roles: ['resident'], teams: [], household, member });
  const asResident = { Authorization: '' };

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;

    // Two adults (16+) and a child; two goals whose actions are owned by the household, a worker
    // and a network member; regie moved from the first worker to the second by a warm transfer.
    team = await seedTeam(t, { workers: 1 });
    w1 = team.workers[0]!;
    const jorisId = uniq('w-joris');
    await post(`/v1/teams/${team.teamId}/workers`, admin(t), {
      workerId: jorisId,
      name: 'Joris de Vries',
      role: 'generalist',
      hoursPerWeek: 32,
      contact: { phone: '+31 20 555 0101', email: 'j.devries@wijkteam.example' },
    }).expect(201);
    joris = person(t, jorisId, ['worker'], [team.teamId]);
    householdId = uniq('hh');
    await post('/v1/households', w1, {
      householdId,
      teamId: team.teamId,
      district: team.district,
      members: [
        { memberId: PARENT, role: 'parent', birthYear: 1984, name: 'Sanne Jansen' },
        { memberId: PARTNER, role: 'parent', birthYear: 1982, name: 'Mark Jansen' },
        { memberId: CHILD, role: 'child', birthYear: 2015, name: 'Daan Jansen' },
      ],
      regie: { workerId: w1.id },
    }).expect(201);
    await t
      .http()
      .put(`/v1/households/${householdId}/members/${CHILD}/authority`)
      .set(w1.as)
      .send({ holders: [{ memberId: PARENT }, { memberId: PARTNER }] })
      .expect(200);
    await post(`/v1/households/${householdId}/network`, w1, {
      networkMemberId: 'nm-oma',
      role: 'family',
      name: 'Oma Truus',
    }).expect(201);
    await post(`/v1/households/${householdId}/goals`, w1, {
      goalId: 'g-geld',
      lifeDomain: 'finances',
      description: 'Schulden onder controle',
    }).expect(201);
    await post(`/v1/households/${householdId}/goals`, w1, {
      goalId: 'g-mensen',
      lifeDomain: 'social-network',
      description: 'Meer mensen om ons heen',
    }).expect(201);
    const action = (actionId: string, goalId: string, description: string, owner: Record<string, string>) =>
      post(`/v1/households/${householdId}/actions`, w1, { actionId, goalId, description, owner }).expect(201);
    await action('a-afspraak', 'g-geld', 'Afspraak maken bij schuldhulp', { kind: 'household' });
    await action('a-budget', 'g-geld', 'Budgetplan opstellen', { kind: 'worker', id: w1.id });
    await action('a-koffie', 'g-mensen', 'Elke week samen koffie drinken', { kind: 'network', id: 'nm-oma' });
    await post(`/v1/households/${householdId}/actions/a-budget/complete`, w1).expect(200);

    await post(`/v1/households/${householdId}/regie/transfers`, w1, {
      transferId: 'tr-1',
      to: { kind: 'worker', id: joris.id },
      reason: 'Specialistische hulp nodig',
    }).expect(201);
    await post(`/v1/households/${householdId}/regie/transfers/tr-1/accept`, joris).expect(200);
    // The new regie holder reads the file: the resident must see that read.
    await t.http().get(`/v1/households/${householdId}`).set(joris.as).expect(200);

    otherHouseholdId = await seedHousehold(t, team);
    resident = residentToken(householdId, PARENT);
    asResident.Authorization = `Bearer ${resident}`;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
  });
  afterAll(async () => {
    if (axeSummary.length > 0) {
      mkdirSync(OUTPUT, { recursive: true });
      writeFileSync(join(OUTPUT, 'mijn-plan-axe.txt'), `${axeSummary.join('\n')}\n`);
    }
    await browser?.close();
    await t?.close();
  });

  /** axe-core with the WCAG 2.1 A and AA rules; the summary goes to the test output. */
  const axe = async (when: string) => {
    const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
    const line =
      `axe (${WCAG_21_AA.join(', ')}) on Mijn plan ${when}: ${results.passes.length} rules passed, ` +
      `${results.violations.length} violations` +
      (results.violations.length
        ? ` (${results.violations.map((v) => `${v.id}: ${v.impact} x${v.nodes.length}`).join('; ')})`
        : '') +
      `, ${results.incomplete.length} to review by hand (${results.incomplete.map((v) => v.id).join(', ') || 'none'})`;
    axeSummary.push(line);
    console.log(line);
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  };

  /** Tab (and only Tab) until the element with this id has the focus. */
  const tabTo = async (id: string) => {
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      if ((await focused()) === id) return;
    }
    throw new Error(`Tab never reached #${id}`);
  };

  /** The id of the focused element. */
  const focused = () =>
    page.evaluate<string | null>('document.activeElement ? document.activeElement.id : null');

  const texts = (selector: string) =>
    page.$$eval(selector, (els) => els.map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim()));

  it('serves static files with a strict CSP and no household data in them', async () => {
    const html = await t.http().get('/mijn-plan').expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    const csp = html.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(html.headers['referrer-policy']).toBe('no-referrer');
    expect(html.text).toContain('<html lang="nl">');
    expect(html.text).not.toMatch(/<script>|<script [^>]*>[^<]/);
    const js = await t
      .http()
      .get('/mijn-plan/mijn-plan.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    await t
      .http()
      .get('/mijn-plan/mijn-plan.css')
      .expect(200)
      .expect('Content-Type', /text\/css/);
    for (const body of [html.text, js.text]) {
      expect(body).not.toContain(householdId);
      expect(body).not.toContain('Sanne');
    }
  });

  it('without a token, explains in plain Dutch to log in via the municipality', async () => {
    await page.goto(`${base}/mijn-plan`);
    await page.waitForSelector('#inloggen:not([hidden])');
    expect(await page.textContent('#inloggen h2')).toBe('Log in via de gemeente');
    expect(await page.isVisible('#plan')).toBe(false);
    expect(await page.isVisible('#verlopen')).toBe(false);
    expect(await page.evaluate('[sessionStorage.length, localStorage.length]')).toEqual([0, 0]);
  });

  it('takes the token from the fragment, keeps it in this tab only, and shows the plan with names', async () => {
    await page.goto(`${base}/mijn-plan#access_token=${resident}`);
    await page.waitForSelector('#plan:not([hidden])');
    // Out of the address bar (and the history) at once; in sessionStorage only.
    expect(page.url()).toBe(`${base}/mijn-plan`);
    expect(await page.evaluate('[sessionStorage.length, localStorage.length]')).toEqual([1, 0]);
    expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([resident]);
    expect(await page.textContent('#wie')).toBe('Ingelogd als Sanne Jansen');

    expect(await texts('#doelen h3')).toEqual(['Schulden onder controle', 'Meer mensen om ons heen']);
    const actions = await page.$$eval('#doelen li', (lis) =>
      lis.map((li) => ({
        id: li.getAttribute('data-action-id'),
        who: li.querySelector('.naam')?.textContent,
        what: li.querySelector('.wat')?.textContent,
        done: li.querySelector('.klaar') !== null,
      })),
    );
    expect(actions).toEqual([
      { id: 'a-afspraak', who: 'Uw huishouden', what: 'Afspraak maken bij schuldhulp', done: false },
      { id: 'a-budget', who: `Naam ${w1.id}`, what: 'Budgetplan opstellen', done: true },
      { id: 'a-koffie', who: 'Oma Truus', what: 'Elke week samen koffie drinken', done: false },
    ]);
    expect(await texts('#doelen .onderwerp')).toEqual(['Onderwerp: Geld', 'Onderwerp: Mensen om u heen']);
  });

  it('names who holds regie, their team and how to reach them, and who held it before', async () => {
    expect(await page.textContent('#regie .naam')).toBe('Joris de Vries');
    expect(await page.textContent('#regie .team')).toBe(` van Wijkteam ${team.teamId}`);
    const links = await page.$$eval('#regie .contact a', (as) =>
      as.map((a) => [a.getAttribute('href'), a.textContent]),
    );
    expect(links).toEqual([
      ['tel:+31205550101', 'Bel +31 20 555 0101'],
      ['mailto:j.devries@wijkteam.example', 'Mail j.devries@wijkteam.example'],
    ]);
    // The test clock runs in January 2026 UTC; Amsterdam is an hour ahead then.
    expect(await page.textContent('#regie .sinds')).toMatch(/^Sinds 5 januari 2026, 10:\d\d\.$/);
    expect(await texts('#regie .eerder li')).toEqual([
      expect.stringMatching(
        new RegExp(`^Naam ${w1.id}: van 5 januari 2026, 10:\\d\\d tot 5 januari 2026, 10:\\d\\d$`),
      ),
    ]);
  });

  it('lists who looked at the file: the worker’s earlier read, when (Dutch time) and why', async () => {
    await page.waitForSelector(`#bekeken li[data-actor-id="${joris.id}"]`);
    const reads = await page.$$eval(`#bekeken li[data-actor-id="${joris.id}"]`, (lis) =>
      lis.map((li) => ({
        when: li.querySelector('.wanneer')?.textContent ?? '',
        who: li.querySelector('.wie')?.textContent ?? '',
        what: li.querySelector('.wat')?.textContent ?? '',
        why: li.querySelector('.waarom')?.textContent ?? '',
      })),
    );
    const read = reads.find((r) => r.what === 'Heeft uw dossier bekeken.');
    // The access log keeps the wall clock's time, not the test clock's: the page shows it in Dutch time.
    const log = await t.http().get(`/v1/households/${householdId}/access-log`).set(asResident).expect(200);
    const entry = (log.body.entries as { actorId: string; action: string; at: string }[]).find(
      (e) => e.actorId === joris.id && e.action === 'GET /v1/households/:id',
    );
    expect(read?.when).toBe(amsterdam(entry!.at));
    expect(read?.who).toMatch(/^Wie: Joris de Vries \(/);
    expect(read?.why).toBe('Waarom: om u te helpen (hulp en begeleiding)');
  });

  it('has no serious or critical WCAG 2.1 AA violation on the loaded page', async () => {
    expect(await axe('loaded (390x844)')).toEqual([]);
  });

  it('shows who still has to agree, and records the agreement given with the keyboard only', async () => {
    expect(await texts('#akkoord .wachten li')).toEqual(
      expect.arrayContaining(['Sanne Jansen (u)', 'Mark Jansen']),
    );
    expect(await page.isVisible('#akkoord-uitleg')).toBe(false);
    // From the top: the first Tab reaches the skip link, Enter moves on to the content.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('skip');
    expect(await page.textContent('#skip')).toBe('Direct naar de inhoud');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('inhoud');
    await tabTo('akkoord-knop');
    // The focus is visible: an outline of its own, not the browser's default that a style may hide.
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#jij-akkoord');
    expect(await page.textContent('#jij-akkoord')).toBe('U bent akkoord met dit plan.');
    await page.waitForSelector('#resultaat:text("Uw akkoord met het plan is opgeslagen")');
    expect(await page.isVisible('#akkoord-knop')).toBe(false);
    expect(await texts('#akkoord .wachten li')).not.toContain('Sanne Jansen (u)');
    // The focus stays in the section, on what changed.
    expect(await focused()).toBe('jij-akkoord');

    const plan = (await t.http().get(`/v1/households/${householdId}/my-plan`).set(asResident).expect(200))
      .body;
    expect(plan.agreement.youAgreed).toBe(true);
    expect(plan.agreement.waitingFor.map((w: { memberId: string }) => w.memberId)).not.toContain(PARENT);

    expect(await axe('after agreeing (390x844)')).toEqual([]);
  });

  it('proposes a goal with the keyboard: an empty text gets the field’s error, a real one appears', async () => {
    // Onwards from where the agreement left the focus.
    await tabTo('voorstel-knop');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#voorstel-fout:not([hidden])');
    expect(await page.textContent('#voorstel-fout')).toBe('Schrijf eerst op wat u wilt bereiken.');
    const field = await page.$eval('#voorstel-tekst', (el) => ({
      invalid: el.getAttribute('aria-invalid'),
      describedBy: el.getAttribute('aria-describedby'),
    }));
    expect(field).toEqual({ invalid: 'true', describedBy: 'voorstel-fout voorstel-hint' });
    expect(await focused()).toBe('voorstel-tekst');

    await page.keyboard.type('Ik wil een baan vinden');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('voorstel-onderwerp');
    await page.selectOption('#voorstel-onderwerp', 'work-and-education');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('voorstel-knop');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#voorstellen li .tekst:text-is("Ik wil een baan vinden")');
    await page.waitForSelector('#resultaat:text("Uw voorstel is verstuurd")');
    expect(await page.isVisible('#voorstel-fout')).toBe(false);
    expect(await page.inputValue('#voorstel-tekst')).toBe('');

    const plan = (await t.http().get(`/v1/households/${householdId}/my-plan`).set(asResident).expect(200))
      .body;
    expect(plan.proposals).toEqual([
      expect.objectContaining({ text: 'Ik wil een baan vinden', lifeDomain: 'work-and-education' }),
    ]);
  });

  it('downloads the resident’s own data as a JSON file', async () => {
    await tabTo('download-knop');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Space')]);
    expect(download.suggestedFilename()).toBe('mijn-gegevens.json');
    const file = await download.path();
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    expect(JSON.stringify(data)).toContain('Sanne Jansen');
    expect(JSON.stringify(data)).not.toContain('Mark Jansen');
  });

  it('looks right at 390x844 and 1280x800 (screenshots in test-output/)', async () => {
    mkdirSync(OUTPUT, { recursive: true });
    for (const [width, height] of [
      [390, 844],
      [1280, 800],
    ] as const) {
      await page.setViewportSize({ width, height });
      // Nothing wider than the screen: no sideways scrolling on a phone.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      const file = join(OUTPUT, `mijn-plan-${width}x${height}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).toBeGreaterThan(10_000);
    }
    expect(await axe('at 1280x800')).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it('lists the accesses 20 at a time, newest first, and more on request; the token outlives a reload', async () => {
    await page.goto(`${base}/mijn-plan`);
    await page.waitForSelector('#bekeken li');
    expect(await page.$$eval('#bekeken li', (lis) => lis.length)).toBe(20);
    await tabTo('bekeken-meer');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#bekeken li:nth-child(21)');
    const all = await page.$$eval('#bekeken li', (lis) => lis.map((li) => li.getAttribute('data-actor-id')));
    expect(all).toContain(joris.id);
    expect(new Set(all).has(w1.id)).toBe(true);
  });

  it('left no console errors in these flows', () => {
    expect(consoleErrors).toEqual([]);
  });

  describe('refusals, in a fresh tab', () => {
    let other: Page;
    const otherErrors: string[] = [];
    beforeEach(async () => {
      other = await context.newPage();
      other.on('pageerror', (e) => otherErrors.push(`uncaught: ${e.message}`));
    });
    afterEach(async () => {
      await other.close();
      expect(otherErrors).toEqual([]);
    });

    it('another household’s id in the fragment gets the one not-found text', async () => {
      await other.goto(`${base}/mijn-plan#access_token=${resident}&household=${otherHouseholdId}`);
      await other.waitForSelector('#niet-gevonden:not([hidden])');
      expect(await other.textContent('#niet-gevonden h2')).toBe('We vinden dit plan niet');
      expect(await other.isVisible('#plan')).toBe(false);
      expect(other.url()).toBe(`${base}/mijn-plan`);
    });

    it('explains in plain words why a resident may not agree, and offers no button', async () => {
      // The other household's plan has no goals yet: nothing to agree with.
      await other.goto(`${base}/mijn-plan#access_token=${residentToken(otherHouseholdId, PARENT)}`);
      await other.waitForSelector('#plan:not([hidden])');
      expect(await other.isVisible('#akkoord-knop')).toBe(false);
      expect(await other.textContent('#akkoord-uitleg')).toBe(
        'Er staan nog geen doelen in uw plan. Akkoord geven kan als er doelen zijn.',
      );
      expect(await other.textContent('#plan-uitleg')).toBe(
        'Er staan nog geen doelen in uw plan. U maakt ze samen met het wijkteam.',
      );
    });

    it('a refusal of the agreement (409) is said in plain words, and nothing is recorded', async () => {
      const closing = await seedHousehold(t, team);
      await post(`/v1/households/${closing}/goals`, w1, {
        goalId: 'g-wonen',
        lifeDomain: 'housing',
        description: 'Een rustige woning',
      }).expect(201);
      await other.goto(`${base}/mijn-plan#access_token=${residentToken(closing, PARENT)}`);
      await other.waitForSelector('#akkoord-knop:not([hidden])');
      // The team closes the plan while the page is open: the button the resident presses is stale.
      await post(`/v1/households/${closing}/close`, w1, { outcome: 'Doelen bereikt' }).expect(200);
      await other.focus('#akkoord-knop');
      await other.keyboard.press('Enter');
      await other.waitForSelector('#fout:not([hidden])');
      expect(await other.textContent('#fout')).toBe(
        'Dit plan is afgesloten. U kunt er niet meer akkoord mee gaan.',
      );
      // The page shows the plan as it now is: closed, no button.
      await other.waitForSelector('#akkoord-knop', { state: 'hidden' });
      expect(await other.textContent('#plan-uitleg')).toBe(
        'Dit plan is afgesloten. U ziet hier wat er in stond.',
      );
      const plan = await t
        .http()
        .get(`/v1/households/${closing}/my-plan`)
        .set({ Authorization: `Bearer ${residentToken(closing, PARENT)}` })
        .expect(200);
      expect(plan.body.agreement.youAgreed).toBe(false);
    });

    it('a token the API refuses (401) says the session expired and forgets it', async () => {
      const forged = residentToken(householdId, PARENT, 'another-secret-of-at-least-32-bytes!!');
      await other.goto(`${base}/mijn-plan#access_token=${forged}`);
      await other.waitForSelector('#verlopen:not([hidden])');
      expect(await other.textContent('#verlopen')).toBe('Uw sessie is verlopen, log opnieuw in.');
      expect(await other.isVisible('#inloggen')).toBe(true);
      expect(await other.evaluate('sessionStorage.length')).toBe(0);
    });
  });
});
