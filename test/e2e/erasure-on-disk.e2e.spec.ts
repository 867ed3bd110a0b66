import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { householdStream } from '@eenplan/domain';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { SQL } from '../../apps/api/src/common/tokens';
import type { AppConfig } from '@eenplan/runtime';
import { startTestApp, TestClock, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { admin, auditor, householdBody, type Person, seedTeam, type SeededTeam } from './fixtures';

/**
 * Erasure as an attacker with the disk would test it (issue 16): not through SQL, which cannot see
 * dead rows, the WAL or a backup, but in the bytes.
 * - After an erasure no erased string is in any file under the data directory (PGlite's files, WAL
 *   included) nor in a pg_dump taken after it (PostgreSQL), and the destroyed key's bytes (raw, hex,
 *   base64) are in none of them.
 * - A copy of the database taken before the erasure (PGlite: the data directory without the key
 *   store, copied with the app stopped; PostgreSQL: pg_dump, restored into a fresh database), opened
 *   after it with the live key store, shows the erased household's personal parts as erased, while
 *   the other household reads normally.
 * This file runs on PGlite (project e2e) and on PostgreSQL (e2e-postgres); in the PGlite project also
 * on the embedded default, the PostgreSQL cluster the API runs in DATA_DIR/postgres (its files, WAL
 * included, and a cold copy of that directory as the backup OPERATIONS.md describes).
 */
const onPostgres = process.env.EENPLAN_E2E_STORE === 'postgres';
const onKurrentDb = process.env.EENPLAN_E2E_STORE === 'kurrentdb';

// Strings that occur nowhere else, one per kind of personal text.
const ERASED = {
  'member name (parent)': 'Xanthe Vrolijkmaand',
  'member name (child)': 'Ybo Vrolijkmaand',
  'network member name': 'Zeger Vrolijkmaand-Buur',
  'goal text': 'schulden bij Kwakzalverbank afbouwen',
  'action text': 'aflossingsplan Kwakzalverbank maken',
  'check-in notes': 'vader Vrolijkmaand dronken aangetroffen',
  'transfer reason': 'Vrolijkmaand vraagt specialisthulp',
  'handover notes': 'overdracht Vrolijkmaand met zorg',
  'safety reason': 'kind Vrolijkmaand in acuut gevaar',
  'closure outcome': 'Vrolijkmaand redt het zelf',
} as const;

const BYSTANDER_NAME = 'Wessel Bystandervelt';

interface Finding {
  readonly what: string;
  readonly file: string;
  readonly where?: string;
}

/** Every file under `dir`, read as bytes, searched for every needle; which file holds which. */
function scanFiles(dir: string, needles: Record<string, Buffer>, label: (file: string) => string): Finding[] {
  const found: Finding[] = [];
  const walk = (path: string) => {
    const info = statSync(path);
    if (info.isDirectory()) {
      for (const entry of readdirSync(path)) walk(join(path, entry));
      return;
    }
    // A running cluster's socket holds no bytes.
    if (!info.isFile()) return;
    const bytes = readFileSync(path);
    for (const [what, needle] of Object.entries(needles))
      if (bytes.includes(needle)) found.push({ what, file: label(path) });
  };
  walk(dir);
  return found;
}

/** In a plain-SQL dump, which table's COPY section holds each needle. */
function scanDump(dump: string, needles: Record<string, Buffer>): Finding[] {
  const bytes = readFileSync(dump);
  const text = bytes.toString('utf8');
  const found: Finding[] = [];
  for (const [what, needle] of Object.entries(needles)) {
    let at = bytes.indexOf(needle);
    while (at >= 0) {
      const before = text.slice(0, Buffer.from(bytes.subarray(0, at)).toString('utf8').length);
      const table = [...before.matchAll(/^COPY (\S+)/gm)].pop()?.[1] ?? '(outside any table)';
      found.push({ what, file: 'pg_dump', where: table });
      at = bytes.indexOf(needle, at + 1);
    }
  }
  return found;
}

/** The needles: each erased string, and the destroyed key as raw bytes, hex and base64. */
function needlesFor(key: Buffer): Record<string, Buffer> {
  return {
    ...Object.fromEntries(Object.entries(ERASED).map(([kind, text]) => [kind, Buffer.from(text, 'utf8')])),
    'destroyed key (raw)': key,
    'destroyed key (hex)': Buffer.from(key.toString('hex')),
    'destroyed key (HEX)': Buffer.from(key.toString('hex').toUpperCase()),
    'destroyed key (base64)': Buffer.from(key.toString('base64')),
    'destroyed key (base64url)': Buffer.from(key.toString('base64url')),
  };
}

const keyFile = (config: AppConfig, householdId: string) =>
  join(
    (config.keyStore as { dir: string }).dir,
    `s-${createHash('sha256').update(householdStream(householdId)).digest('hex')}.key`,
  );

const pgDump = (url: string, file: string) => {
  const result = spawnSync('pg_dump', ['--no-owner', '--no-privileges', '-f', file, url], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`pg_dump failed: ${result.stderr || result.error?.message}`);
};
const psqlRestore = (url: string, file: string) => {
  const result = spawnSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-f', file, url], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`psql restore failed: ${result.stderr || result.error?.message}`);
};

type OnDisk = 'PGlite' | 'PostgreSQL' | 'embedded PostgreSQL';

const describeOnDisk = (where: OnDisk) =>
  (onKurrentDb ? describe.skip : describe)(
    // KurrentDB keeps the events in its own files: its backups are the server's, not this test's.
    `erasure on disk and against a backup (${where})${onKurrentDb ? ': skipped on KurrentDB, whose event files this test cannot read' : ''}`,
    () => {
      const onServer = where === 'PostgreSQL';
      const embedded = where === 'embedded PostgreSQL';
      // DATA_DIR (the database's files and the key store), and beside it the backups the test takes.
      const workDir = mkdtempSync(join(tmpdir(), 'eenplan-on-disk-'));
      const dataDir = join(workDir, 'data');
      const keysDir = join(dataDir, 'keys');
      // The files of the database: PGlite's directory or the embedded cluster's.
      const databaseDir = join(dataDir, embedded ? 'postgres' : 'pglite');
      const backupFiles = join(workDir, embedded ? 'backup-postgres' : 'backup-pglite');
      const dumpBefore = join(workDir, 'before.sql');
      const databases: TestDatabase[] = [];
      // One clock across restarts, so the events' instants keep their order.
      const clock = new TestClock();
      let t: TestApp | undefined;
      let live: TestDatabase | undefined;

      const stop = async () => {
        await t?.close();
        t = undefined;
      };

      /** The app on the database in `filesDir` (PGlite's or the embedded cluster's), or on `database`. */
      const start = async (filesDir: string, database?: TestDatabase) => {
        await stop();
        t = await startTestApp(
          {
            dataDir,
            keyStore: { kind: 'directory', dir: keysDir },
            ...(embedded
              ? { embeddedDb: 'postgres' as const, embeddedPostgresDir: filesDir }
              : { pgliteDir: filesDir }),
            ...(database ? { databaseUrl: database.url } : {}),
          },
          { clock },
        );
        return t;
      };
      afterAll(async () => {
        await stop();
        for (const database of databases) await database.drop();
        rmSync(workDir, { recursive: true, force: true });
      });

      let erasedId: string;
      let bystanderId: string;
      let team: SeededTeam;
      let key: Buffer;
      let relations: Map<string, string> | undefined;

      let requests = 0;
      // With Idempotency-Key, so the stored answers (idempotency_keys) are scanned too.
      const post = async (app: TestApp, who: Person, path: string, body: object, status = 201) => {
        const res = await app
          .http()
          .post(path)
          .set(who.as)
          .set('Idempotency-Key', `on-disk-${++requests}`)
          .send(body);
        if (res.status !== status)
          throw new Error(`POST ${path}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
        return res;
      };

      /** A household with every kind of personal text, closed; and a bystander household. */
      async function seed(app: TestApp): Promise<void> {
        team = await seedTeam(app, { workers: 3 });
        const [anna, bas, cees] = team.workers as [Person, Person, Person];
        const body = householdBody(team, {
          members: [
            { memberId: 'm-1', role: 'parent', birthYear: 1980, name: ERASED['member name (parent)'] },
            { memberId: 'm-2', role: 'child', birthYear: 2014, name: ERASED['member name (child)'] },
          ],
          regie: { workerId: anna.id },
        });
        erasedId = body.householdId;
        const hh = `/v1/households/${erasedId}`;
        await post(app, anna, '/v1/households', body);
        await post(app, anna, `${hh}/network`, { role: 'neighbour', name: ERASED['network member name'] });
        await post(app, anna, `${hh}/goals`, {
          goalId: 'g-1',
          lifeDomain: 'finances',
          description: ERASED['goal text'],
        });
        await post(app, anna, `${hh}/actions`, {
          goalId: 'g-1',
          description: ERASED['action text'],
          owner: { kind: 'household' },
        });
        await post(app, anna, `${hh}/check-ins/cadence`, { everyWeeks: 2 });
        await post(app, anna, `${hh}/check-ins/contacts`, { notes: ERASED['check-in notes'] });
        const transfer = await post(app, anna, `${hh}/regie/transfers`, {
          to: { kind: 'worker', id: bas.id },
          reason: ERASED['transfer reason'],
          handoverNotes: ERASED['handover notes'],
        });
        await post(app, bas, `${hh}/regie/transfers/${transfer.body.transferId}/accept`, {}, 200);
        await post(app, cees, `${hh}/regie/safety-takeover`, { reason: ERASED['safety reason'] }, 200);
        await post(app, cees, `${hh}/close`, { outcome: ERASED['closure outcome'] }, 200);

        const bystander = householdBody(team, {
          members: [{ memberId: 'm-1', role: 'parent', birthYear: 1975, name: BYSTANDER_NAME }],
        });
        bystanderId = bystander.householdId;
        await post(app, anna, '/v1/households', bystander);
        await post(app, anna, `/v1/households/${bystanderId}/goals`, {
          lifeDomain: 'housing',
          description: 'woning zoeken in Bystandervelt',
        });
      }

      const read = async (app: TestApp, id: string) =>
        JSON.stringify((await app.http().get(`/v1/households/${id}`).set(team.lead.as).expect(200)).body);

      async function erase(app: TestApp): Promise<void> {
        const res = await app
          .http()
          .post(`/v1/households/${erasedId}/erasure`)
          .set(admin(app).as)
          .send({ reason: 'AVG art. 17, verzoek 2026-118' })
          .expect(200);
        expect(res.body.status).toBe('complete');
        // Read-your-writes: the read models have applied the erasure before the files are read.
        await app.http().get(`/v1/households/${erasedId}/regie/history`).set(auditor(app).as).expect(200);
      }

      /** A file path (relative to the database's directory) → the table it belongs to, for the report. */
      async function relationFiles(app: TestApp): Promise<Map<string, string>> {
        const { rows } = await app.app.get<Sql>(SQL).query<{ path: string; owner: string }>(
          `SELECT pg_relation_filepath(c.oid) AS path, coalesce(t.relname, i.relname, c.relname) AS owner
           FROM pg_class c
           LEFT JOIN pg_class t ON t.reltoastrelid = c.oid
           LEFT JOIN pg_index x ON x.indexrelid = c.oid
           LEFT JOIN pg_class i ON i.oid = x.indrelid
          WHERE pg_relation_filepath(c.oid) IS NOT NULL`,
        );
        return new Map(rows.map((r) => [r.path, r.owner]));
      }

      const findingsOf = (found: readonly Finding[]) =>
        found.map((f) => `${f.what} in ${f.file}${f.where ? ` (${f.where})` : ''}`);

      /** Nothing erased may be found anywhere: the report names each finding and where it was. */
      function expectNothing(found: readonly Finding[]): void {
        expect(findingsOf(found)).toEqual([]);
      }

      test('seed, take a backup of the database alone, erase', async () => {
        if (onServer) {
          live = await createTestDatabase();
          databases.push(live);
        }
        const app = await start(databaseDir, live);
        await seed(app);
        expect(await read(app, erasedId)).toContain(ERASED['member name (parent)']);
        key = readFileSync(keyFile(app.config, erasedId));
        expect(key).toHaveLength(32);
        // The scan sees a key where there is one (before the erasure: its own file, and only there).
        const keyNeedles = Object.fromEntries(
          Object.entries(needlesFor(key)).filter(([what]) => what.startsWith('destroyed key')),
        );
        expect(findingsOf(scanFiles(dataDir, keyNeedles, (file) => relative(dataDir, file)))).toEqual([
          `destroyed key (raw) in ${relative(dataDir, keyFile(app.config, erasedId))}`,
        ]);

        // The backup, before the erasure: the database only, never the key store.
        if (onServer) pgDump(live!.url, dumpBefore);
        else {
          // Cold, with the app (and the embedded cluster with it) stopped; owners kept (as root the
          // cluster's files are the postgres user's, who must read the copy).
          await stop();
          if (embedded) {
            const copy = spawnSync('cp', ['-a', databaseDir, backupFiles], { encoding: 'utf8' });
            if (copy.status !== 0) throw new Error(`cp -a failed: ${copy.stderr}`);
          } else cpSync(databaseDir, backupFiles, { recursive: true });
        }
        const again = onServer ? app : await start(databaseDir, live);
        await erase(again);
        if (!onServer) relations = await relationFiles(again);
        expect(await read(again, erasedId)).not.toContain('Vrolijkmaand');
      }, 120_000);

      test('after the erasure no erased string and no byte of the destroyed key is in any file or dump', async () => {
        expect(erasedId).toBeDefined();
        const needles = needlesFor(key);
        let found: Finding[];
        if (onServer) {
          const dump = join(workDir, 'after.sql');
          pgDump(live!.url, dump);
          // The data directory holds the key store (and nothing of the database) on PostgreSQL.
          found = [
            ...scanDump(dump, needles),
            ...scanFiles(dataDir, needles, (file) => relative(dataDir, file)),
          ];
        } else {
          // With the app stopped: what is on disk, WAL included, as a thief of the disk finds it.
          await stop();
          found = scanFiles(dataDir, needles, (file) => {
            const owner = relations?.get(relative(databaseDir, file));
            return owner ? `${relative(dataDir, file)} (${owner})` : relative(dataDir, file);
          });
        }
        // For whoever reads a failure: the whole list, not only the first mismatch.
        writeFileSync(
          join(tmpdir(), `eenplan-on-disk-findings-${where.replace(/ /g, '-')}.txt`),
          findingsOf(found).join('\n'),
        );
        expectNothing(found);
      }, 120_000);

      test('a backup from before the erasure, opened with the live key store, shows the household erased', async () => {
        expect(erasedId).toBeDefined();
        let restored: TestDatabase | undefined;
        if (onServer) {
          await stop();
          restored = await createTestDatabase();
          databases.push(restored);
          psqlRestore(restored.url, dumpBefore);
        }
        const app = await start(backupFiles, restored);
        const erased = await read(app, erasedId);
        expect(erased).not.toContain('Vrolijkmaand');
        expect(erased).not.toContain('Kwakzalverbank');
        const view = JSON.parse(erased) as { members: { memberId: string; name: unknown }[] };
        expect(view.members.map((m) => [m.memberId, m.name])).toEqual([
          ['m-1', null],
          ['m-2', null],
        ]);
        // The regie history of the restored read model reads its reasons from the events: none left.
        const history = JSON.stringify(
          (await app.http().get(`/v1/households/${erasedId}/regie/history`).set(auditor(app).as).expect(200))
            .body,
        );
        expectNothing(
          Object.entries(ERASED)
            .filter(([, text]) => history.includes(text))
            .map(([what]) => ({ what, file: 'GET /v1/households/:id/regie/history' })),
        );
        // Every other household reads as before.
        expect(await read(app, bystanderId)).toContain(BYSTANDER_NAME);
        expect(await read(app, bystanderId)).toContain('woning zoeken in Bystandervelt');
        // The key store says the erasure is complete, though this database never saw it recorded.
        expect(
          (await app.http().get(`/v1/households/${erasedId}/erasure`).set(auditor(app).as).expect(200)).body,
        ).toMatchObject({ status: 'complete', erasedAt: null });
        // And new personal data for it cannot bring a new key: it is not stored at all.
        // (This database does not know the household was erased, so it takes commands again.)
        const holder = team.workers[2]!;
        await post(app, holder, `/v1/households/${erasedId}/reopen`, { reason: 'Vrolijkmaand terug' }, 200);
        await post(app, holder, `/v1/households/${erasedId}/goals`, {
          lifeDomain: 'housing',
          description: 'nieuw doel Vrolijkmaand',
        });
        const after = await read(app, erasedId);
        expect(after).not.toContain('Vrolijkmaand');
        expect(
          readdirSync(keysDir).filter((f) => f === keyFile(app.config, erasedId).split('/').pop()),
        ).toEqual([]);
      }, 120_000);
    },
  );

describeOnDisk(onPostgres ? 'PostgreSQL' : 'PGlite');
// The default store of `npm start`, once, in the PGlite project (the e2e-postgres project has a server).
if (!onPostgres && !onKurrentDb) describeOnDisk('embedded PostgreSQL');
