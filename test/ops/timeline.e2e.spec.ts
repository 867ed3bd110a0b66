import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';
import { describeWithInfra } from '../support/infra';
import { auditor, PARENT, Person, SeededTeam, seedHousehold, seedTeam, uniq } from '../e2e/fixtures';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'test-output');

const chromiumBrowser = {
  name: `Chromium at ${CHROMIUM}`,
  howToStart: 'apt-get install -y chromium (or set CHROMIUM_PATH)',
  probe: () => (existsSync(CHROMIUM) ? null : 'not installed'),
};

const pad = (n: number) => String(n).padStart(2, '0');
/** The instant as the page must show it in Amsterdam, given the offset that holds there then. */
const amsterdam = (iso: string, offsetHours: number) => {
  const d = new Date(Date.parse(iso) + offsetHours * 3600_000);
  return (
    `${d.getUTCDate()}-${d.getUTCMonth() + 1}-${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
};
const utcTitle = (iso: string) => `UTC: ${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

/** What the test reads of an input element (the DOM's types are not in this project's lib). */
interface FormInput {
  validationMessage: string;
  validity: { valid: boolean };
}

interface Marks {
  pendingTransfers: { transferId: string; from: string; to: string | null; outcome: string }[];
  closures: { at: string; by: string }[];
  reopenings: { at: string; by: string }[];
}

describeWithInfra("the auditor's regie timeline page in headless Chromium", chromiumBrowser, () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let team: SeededTeam;
  let householdId: string;
  /** A household with a declined transfer (March, summer time), a close and a reopen, and a pending one (November). */
  let second: string;
  const declinedId = uniq('tr');
  const pendingId = uniq('tr');
  /** What the browser logged as an error or warning, or threw; each test starts with none. */
  let consoleProblems: string[] = [];

  const post = (path: string, who: Person, body: Record<string, unknown> = {}) =>
    t.http().post(path).set(who.as).send(body);
  const clockTo = (iso: string) => t.clock.advance(Date.parse(iso) - t.clock.peek().getTime());

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

    // The second household: in March (CEST, UTC+2) a declined request, in April a close and a
    // reopen, in November (CET, UTC+1) a request still pending.
    second = await seedHousehold(t, team, { regieWorker: w1 });
    clockTo('2026-03-30T12:03:00.000Z');
    await post(`/v1/households/${second}/regie/transfers`, w1, {
      transferId: declinedId,
      to: { kind: 'worker', id: w2.id },
      reason: '=SOM(1;2) en "aanhalingstekens"',
    }).expect(201);
    t.clock.advance(2 * 3600_000);
    await post(`/v1/households/${second}/regie/transfers/${declinedId}/decline`, w2, {
      reason: 'Geen ruimte',
    }).expect(200);
    clockTo('2026-04-02T08:00:00.000Z');
    await post(`/v1/households/${second}/close`, w1, { outcome: 'Afgerond' }).expect(200);
    clockTo('2026-04-20T08:00:00.000Z');
    await post(`/v1/households/${second}/reopen`, w2, { reason: 'Nieuwe vraag' }).expect(200);
    clockTo('2026-11-10T08:00:00.000Z');
    await post(`/v1/households/${second}/regie/transfers`, w2, {
      transferId: pendingId,
      to: { kind: 'worker', id: w3.id },
      reason: 'Meer tijd nodig',
      agreedBy: PARENT,
    }).expect(201);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    // A browser elsewhere (New York): the page shows Amsterdam time whatever the browser's zone.
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      timezoneId: 'America/New_York',
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleProblems.push(`pageerror: ${e.message}`));
  });
  beforeEach(() => {
    consoleProblems = [];
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
  const asAuditor = () => signIn(auditor(t).as.Authorization.replace('Bearer ', ''));
  const show = async (id: string) => {
    await page.fill('#household', id);
    await page.click('#show');
    await page.waitForSelector(`#household-title:text-matches("^Huishouden ${id}:")`);
    await page.waitForSelector('#timeline .interval');
  };
  const marksOf = async (id: string) =>
    (await t.http().get(`/v1/audit/households/${id}/timeline`).set(auditor(t).as).expect(200)).body as Marks;
  const screenshot = async (name: string) => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const file = join(SCREENSHOTS, name);
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
  };

  it('asks for a token first, shows nothing else, and keeps the token in sessionStorage only', async () => {
    await page.goto(`${base}/timeline`);
    expect(await page.isVisible('#token')).toBe(true);
    expect(await page.isVisible('#household')).toBe(false);
    await signIn(t.token('auditor-1', ['auditor']));
    expect(await page.textContent('#who')).toBe('Aangemeld als auditor-1 (rollen: auditor)');
    expect(await page.isVisible('#household')).toBe(true);
    expect(await page.evaluate('[sessionStorage.length, localStorage.length]')).toEqual([1, 0]);
    expect(consoleProblems).toEqual([]);
  });

  it('draws the household regie intervals with names, Dutch causes and Amsterdam times, and lists the handoffs', async () => {
    await asAuditor();
    await show(householdId);

    const [w1, w2, w3] = team.workers as [Person, Person, Person];
    const bars = await page.$$eval('#timeline .interval', (els) =>
      els.map((el) => {
        const box = el.getBoundingClientRect();
        return {
          holder: el.getAttribute('data-holder'),
          cause: el.getAttribute('data-cause'),
          open: el.getAttribute('data-to') === '',
          text: el.textContent,
          title: el.getAttribute('title'),
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
    // The name on the bar, the id on hover.
    expect(bars[1]!.text).toBe(`Naam ${w2.id}overdracht`);
    expect(bars[1]!.title).toContain(`Naam ${w2.id} (id: ${w2.id}), overdracht, `);
    expect(bars[3]!.text).toBe(`Naam ${w1.id}overname voor veiligheid`);
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
    expect(handoffs[0]!.text).toContain(`aangevraagd door Naam ${w1.id}, geaccepteerd door Naam ${w2.id}`);
    expect(handoffs[0]!.text).toContain('. Reden: Specialistische hulp nodig');
    expect(handoffs[2]!.text).toContain(`goedgekeurd door Naam ${team.lead.id}`);
    expect(handoffs[2]!.text).toContain(`bevestigd door Naam ${team.lead.id} op `);
    // January: winter time, UTC+1, to the second, with UTC on hover.
    const from = (await t.http().get(`/v1/households/${householdId}/regie/history`).set(auditor(t).as)).body
      .intervals[1].from as string;
    const time = await page.$eval('#handoffs-of-household li time', (el) => ({
      text: el.textContent,
      title: el.getAttribute('title'),
    }));
    expect(time).toEqual({ text: amsterdam(from, 1), title: utcTitle(from) });
    expect(await page.$$eval('#intervals tbody tr', (rows) => rows.length)).toBe(4);
    expect(consoleProblems).toEqual([]);
  });

  it('draws pending periods hatched, marks the close and the reopen, shows Amsterdam time across DST, and is accessible', async () => {
    const [w1, w2, w3] = team.workers as [Person, Person, Person];
    const marks = await marksOf(second);
    await asAuditor();
    await show(second);

    const pending = await page.$$eval('#pending-lane .pending', (els) =>
      els.map((el) => {
        const box = el.getBoundingClientRect();
        return {
          id: el.getAttribute('data-transfer-id'),
          outcome: el.getAttribute('data-outcome'),
          text: el.textContent,
          background: (el as unknown as { computedStyleMap(): Map<string, unknown> })
            .computedStyleMap()
            .get('background-image')
            ?.toString(),
          left: box.left,
          width: box.width,
        };
      }),
    );
    expect(pending.map(({ id, outcome, text }) => ({ id, outcome, text }))).toEqual([
      { id: declinedId, outcome: 'declined', text: 'afgewezen' },
      { id: pendingId, outcome: 'pending', text: 'staat open' },
    ]);
    for (const bar of pending) {
      expect(bar.background).toMatch(/^repeating-linear-gradient/);
      expect(bar.width).toBeGreaterThan(4);
    }
    expect(pending[1]!.left).toBeGreaterThan(pending[0]!.left);

    const markers = await page.$$eval('#markers .marker', (els) =>
      els.map((el) => ({
        kind: el.className,
        at: el.getAttribute('data-at'),
        label: el.textContent,
        title: el.getAttribute('title'),
        left: el.getBoundingClientRect().left,
      })),
    );
    const [closed] = marks.closures;
    const [reopened] = marks.reopenings;
    expect(markers.map(({ kind, at }) => ({ kind, at }))).toEqual([
      { kind: 'marker closure', at: closed!.at },
      { kind: 'marker reopening', at: reopened!.at },
    ]);
    // April: summer time, UTC+2.
    expect(markers[1]!.label).toBe(`heropend ${amsterdam(reopened!.at, 2)}`);
    expect(markers[1]!.title).toBe(
      `heropend door Naam ${w2.id} op ${amsterdam(reopened!.at, 2)} (${utcTitle(reopened!.at)})`,
    );
    // On the axis in time order: the declined request, the close, the reopen, the pending request.
    expect(markers[0]!.left).toBeGreaterThan(pending[0]!.left);
    expect(markers[1]!.left).toBeGreaterThan(markers[0]!.left);
    expect(pending[1]!.left).toBeGreaterThan(markers[1]!.left);

    // The requests' table: March in summer time (UTC+2), November in winter time (UTC+1), to the second.
    const [declined, open] = marks.pendingTransfers;
    expect(declined!.from.slice(0, 10)).toBe('2026-03-30');
    expect(open!.from.slice(0, 10)).toBe('2026-11-10');
    const rows = await page.$$eval('#transfers tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    expect(rows).toEqual([
      [
        amsterdam(declined!.from, 2),
        amsterdam(declined!.to!, 2),
        `Naam ${w1.id}`,
        `Naam ${w2.id}`,
        `Naam ${w1.id}`,
        'afgewezen (overdracht)',
        `Naam ${w2.id}`,
        '=SOM(1;2) en "aanhalingstekens"',
      ],
      [
        amsterdam(open!.from, 1),
        'staat nog open',
        'het huishouden',
        `Naam ${w3.id}`,
        `Naam ${w2.id}`,
        'staat open (namens het huishouden)',
        '',
        'Meer tijd nodig',
      ],
    ]);
    expect(amsterdam(declined!.from, 2)).toMatch(/^30-3-2026 14:03:\d\d$/);
    expect(amsterdam(open!.from, 1)).toMatch(/^10-11-2026 09:00:\d\d$/);
    const titles = await page.$$eval('#transfers tbody tr td:first-child time', (els) =>
      els.map((el) => el.getAttribute('title')),
    );
    expect(titles).toEqual([utcTitle(declined!.from), utcTitle(open!.from)]);
    // Names beside ids: the name shown, the id on hover.
    expect(
      await page.$eval('#transfers tbody tr td:nth-child(4) .worker-name', (el) => [
        el.textContent,
        el.title,
      ]),
    ).toEqual([`Naam ${w2.id}`, `id: ${w2.id}`]);

    // One language: Dutch labels, none of the English ones the page had.
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    const text = await page.innerText('body');
    for (const dutch of [
      'Regietijdlijn',
      'Legenda',
      'Overdrachtsverzoeken',
      'Download CSV',
      'Token vergeten',
    ])
      expect(text).toContain(dutch);
    for (const english of [
      'Signed in',
      'Household',
      'Handoffs',
      'Intervals',
      'requested by',
      'Forget token',
      'Show ',
    ])
      expect(text).not.toContain(english);
    const legend = await page.$$eval('#legend li', (lis) => lis.map((li) => li.textContent));
    expect(legend).toEqual(
      expect.arrayContaining([
        'Gearceerd: een overdrachtsverzoek staat open (oranje: nog steeds)',
        'Rode lijn: het plan werd afgesloten',
        'Groene lijn: het plan werd heropend',
      ]),
    );

    const axe = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    const summary = axe.violations.map((v) => `${v.impact}: ${v.id} (${v.nodes.length})`);
    console.log(
      `axe on the timeline page: ${axe.passes.length} rules passed, ${axe.violations.length} violated` +
        `${summary.length ? `: ${summary.join(', ')}` : ''}, ${axe.incomplete.length} to review by hand ` +
        `(${axe.incomplete.map((v) => v.id).join(', ')})`,
    );
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

    await screenshot('timeline-household-1280x800.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot('timeline-household-390x844.png');
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(consoleProblems).toEqual([]);
  });

  it("downloads the household's timeline as CSV: BOM, RFC 4180, UTC and Amsterdam times, no formulas", async () => {
    const [w1, w2] = team.workers as [Person, Person, Person];
    const marks = await marksOf(second);
    await asAuditor();
    await show(second);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#household-csv')]);
    expect(download.suggestedFilename()).toBe(`regietijdlijn-${second}.csv`);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.split('\r\n').slice(0, -1);
    expect(lines[0]).toBe(
      '"soort","van_utc","van_amsterdam","tot_utc","tot_amsterdam","houder_soort","houder_id","oorzaak_of_uitkomst",' +
        '"transfer_id","aangevraagd_door","geaccepteerd_door","goedgekeurd_door","akkoord_van","afgehandeld_door","reden"',
    );
    const [declined, open] = marks.pendingTransfers;
    const local = (iso: string, h: number) =>
      `${new Date(Date.parse(iso) + h * 3600_000).toISOString().slice(0, 19)}+0${h}:00`;
    expect(lines).toContain(
      `"overdrachtsverzoek","${declined!.from}","${local(declined!.from, 2)}","${declined!.to}",` +
        `"${local(declined!.to!, 2)}","worker","${w1.id}","declined","${declinedId}","${w1.id}","","","",` +
        `"${w2.id}","'=SOM(1;2) en ""aanhalingstekens"""`,
    );
    expect(lines).toContain(
      `"overdrachtsverzoek","${open!.from}","${local(open!.from, 1)}","","","household","${second}","pending",` +
        `"${pendingId}","${w2.id}","","","","","Meer tijd nodig"`,
    );
    expect(lines).toContain(
      `"heropening","${marks.reopenings[0]!.at}","${local(marks.reopenings[0]!.at, 2)}","","","","","","","${w2.id}","","","","",""`,
    );
    expect(lines.filter((l) => l.startsWith('"regie",'))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('"afsluiting",'))).toHaveLength(1);
    expect(consoleProblems).toEqual([]);
  });

  it('refuses an id the API would refuse, in Dutch, without asking the server', async () => {
    await asAuditor();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.fill('#household', '-geen-id');
    await page.click('#show');
    const message =
      'Een huishouden-id heeft 1 tot 100 tekens: letters, cijfers en . _ : - (niet als eerste teken).';
    await page.waitForSelector('#household-invalid:not(:empty)');
    expect(await page.textContent('#household-invalid')).toBe(message);
    expect(await page.$eval('#household', (el) => (el as unknown as FormInput).validationMessage)).toBe(
      message,
    );
    expect(await page.getAttribute('#household', 'aria-invalid')).toBe('true');
    await page.fill('#household', '');
    await page.click('#show');
    expect(await page.$eval('#household', (el) => (el as unknown as FormInput).validationMessage)).toBe(
      'Vul een huishouden-id in.',
    );
    // A valid one passes the pattern (which compiles in Chromium's `v` mode: no console error).
    await page.fill('#household', 'hh-1.a_b:c');
    expect(await page.$eval('#household', (el) => (el as unknown as FormInput).validity.valid)).toBe(true);
    expect(requests.filter((u) => u.includes('/v1/'))).toEqual([]);
    page.removeAllListeners('request');
    expect(consoleProblems).toEqual([]);
  });

  it('shows the handoffs of a period with names, downloads them as CSV, and opens a household from it', async () => {
    const [w1, w2] = team.workers as [Person, Person, Person];
    await asAuditor();
    // The test clock starts on 2026-01-05; the first household's handoffs fall within January.
    await page.fill('#from', '2026-01-01');
    await page.fill('#to', '2026-02-01');
    await page.click('#load-handoffs');
    await page.waitForSelector('#handoffs tbody tr');
    const rows = await page.$$eval('#handoffs tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    const ours = rows.filter((r) => r[0] === householdId);
    expect(ours.map((r) => r[2])).toEqual(['overdracht', 'overdracht', 'overname voor veiligheid']);
    expect(ours.map((r) => [r[3], r[4]])).toEqual([
      [`Naam ${w1.id}`, `Naam ${w2.id}`],
      [`Naam ${w2.id}`, `Naam ${team.workers[2]!.id}`],
      [`Naam ${team.workers[2]!.id}`, `Naam ${w1.id}`],
    ]);
    expect(ours.map((r) => r[7])).toEqual(['', '', `Naam ${team.lead.id}`]);
    expect(ours[2]![9]).toContain(`bevestigd door Naam ${team.lead.id}`);
    expect(await page.textContent('#handoffs-count')).toBe(`${rows.length} overdrachten`);
    await screenshot('timeline-handoffs-1280x800.png');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#handoffs-csv')]);
    expect(download.suggestedFilename()).toBe('overdrachten-2026-01-01_2026-02-01.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]!.startsWith('"huishouden","moment_utc","moment_amsterdam","oorzaak",')).toBe(true);
    const mine = lines.filter((l) => l.startsWith(`"${householdId}",`));
    expect(mine).toHaveLength(3);
    // January: UTC+1 beside the UTC instant; ids (not names) in the file.
    expect(mine[0]).toMatch(
      new RegExp(
        `^"${householdId}","2026-01-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z","2026-01-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+01:00","transfer","worker","${w1.id}","worker","${w2.id}",`,
      ),
    );
    expect(csv).not.toContain('Naam ');

    // A period before anything happened has none.
    await page.fill('#from', '2025-01-01');
    await page.fill('#to', '2025-02-01');
    await page.click('#load-handoffs');
    await page.waitForSelector('#handoffs-count:text-is("0 overdrachten")');

    await page.fill('#from', '2026-01-01');
    await page.fill('#to', '2026-02-01');
    await page.click('#load-handoffs');
    await page.click(`#handoffs tbody a:text-is("${householdId}")`);
    await page.waitForSelector(`#household-title:text-is("Huishouden ${householdId}: 4 periodes")`);
    expect(consoleProblems).toEqual([]);
  });

  it('refuses the data to a token without the auditor role, and says why in Dutch', async () => {
    const worker = team.workers[0]!;
    await signIn(worker.as.Authorization.replace('Bearer ', ''));
    expect(await page.textContent('#error')).toBe(
      'Dit token heeft geen auditorrol: de server zal de gegevens weigeren.',
    );
    await page.click('#load-handoffs');
    await page.waitForSelector('#error:text-matches("^Dit token mag deze gegevens niet zien \\\\(403\\\\)")');
    expect(await page.textContent('#error')).toMatch(
      /^Dit token mag deze gegevens niet zien \(403\)\. Melding van de server: .*auditor/,
    );
    expect(await page.$$eval('#handoffs tbody tr', (rows) => rows.length)).toBe(0);
    // The browser itself logs the refused request; nothing else.
    expect(consoleProblems.filter((m) => !/Failed to load resource: .* 403/.test(m))).toEqual([]);
  });

  it('serves the page with a Content-Security-Policy that allows only its own script', async () => {
    const res = await t.http().get('/timeline').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).toContain('pattern="[A-Za-z0-9][A-Za-z0-9._:\\-]{0,99}"');
    await t
      .http()
      .get('/timeline/timeline.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    await t
      .http()
      .get('/timeline/favicon.svg')
      .expect(200)
      .expect('Content-Type', /image\/svg\+xml/);
  });
});
