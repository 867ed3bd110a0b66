import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every CLI behind an npm script (docs/OPERATIONS.md, "Command-line tools"), built as npm runs it:
 * `--help` prints its usage and exits 0; an unknown option prints the usage and one line naming
 * it, exits 2, and shows no stack trace. Needs `npm run build` first.
 */
const ROOT = join(__dirname, '..', '..');
const CLIS: [script: string, entry: string][] = [
  ['token', 'scripts/token.js'],
  ['migrate', 'scripts/migrate.js'],
  ['audit:verify', 'scripts/audit-verify.js'],
  ['consume', 'scripts/consume.js'],
  ['projections:rebuild', 'scripts/rebuild-projections.js'],
  ['docs:errors', 'scripts/docs-errors.js'],
  ['demo', 'scripts/demo.js'],
  ['openapi', 'scripts/openapi.js'],
  ['openapi:types', 'scripts/openapi-types.js'],
  ['bench', 'tools/bench/main.js'],
  ['bench:keys', 'tools/bench/key-store-cost.js'],
  ['bench:startup', 'tools/bench/startup.js'],
  ['reliability', 'tools/reliability/main.js'],
];

const run = (entry: string, arg: string) => {
  const file = join(ROOT, 'dist', entry);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  // In an empty directory with an empty data dir: a CLI that did more than parse would show it.
  const cwd = mkdtempSync(join(tmpdir(), 'eenplan-cli-'));
  const result = spawnSync(process.execPath, [file, arg], {
    cwd,
    env: { ...process.env, DATA_DIR: join(cwd, 'data'), DATABASE_URL: '', KAFKA_BROKERS: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { ...result, left: readdirSync(cwd) };
};

test.each(CLIS)('npm run %s -- --help: the usage, exit 0', (script, entry) => {
  const help = run(entry, '--help');
  expect(help.stdout).toMatch(new RegExp(`^usage: npm run (-s )?${script}\\b`));
  expect(help.stderr).toBe('');
  expect(help.status).toBe(0);
  expect(help.left).toEqual([]);
});

test.each(CLIS)('npm run %s -- --no-such-option: the usage and one line, exit 2', (script, entry) => {
  const wrong = run(entry, '--no-such-option');
  const lines = wrong.stderr.trim().split('\n');
  expect(lines[0]).toMatch(new RegExp(`^usage: npm run (-s )?${script}\\b`));
  expect(lines[lines.length - 1]).toBe(`${script}: Unknown option '--no-such-option'`);
  expect(wrong.stderr).not.toMatch(/^\s+at /m);
  expect(wrong.stdout).toBe('');
  expect(wrong.status).toBe(2);
  expect(wrong.left).toEqual([]);
});
