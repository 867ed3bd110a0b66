import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm run lint:deps` (in .ci/run's static checks) runs dependency-cruiser with .dependency-cruiser.js.
 * Here the same config reads test/fixtures/boundaries, a small tree that breaks each rule once: the
 * check bites, and the imports it allows (a pure builtin, the domain's own modules, an app importing a
 * lib) pass.
 */
const root = join(__dirname, '..', '..');
const fixture = join(root, 'test', 'fixtures', 'boundaries');
const depcruise = (outputType: 'json' | 'err') =>
  spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
      'apps',
      'libs',
      '--config',
      join(root, '.dependency-cruiser.js'),
      '--output-type',
      outputType,
    ],
    { cwd: fixture, encoding: 'utf8', timeout: 60_000 },
  );

interface Violation {
  readonly rule: { readonly name: string; readonly severity: string };
  readonly from: string;
  readonly to: string;
}

test('the boundary rules report a cycle, an impure domain, a lib importing an app and the worker importing the API', () => {
  const run = depcruise('json');
  expect(run.stderr).toBe('');
  const violations = (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  const found = violations.map((v) => `${v.rule.severity} ${v.rule.name}: ${v.from} -> ${v.to}`).sort();
  expect(found).toEqual([
    'error domain-imports-only-itself: libs/domain/src/impure.ts -> ../../../node_modules/@nestjs/common/index.js',
    'error domain-imports-only-itself: libs/domain/src/impure.ts -> libs/other/src/other.ts',
    'error domain-no-impure-builtins: libs/domain/src/impure.ts -> fs',
    'error libs-import-no-apps: libs/other/src/other.ts -> apps/api/src/api.ts',
    'error no-circular: libs/domain/src/cycle-a.ts -> libs/domain/src/cycle-b.ts',
    'error worker-imports-no-api: apps/worker/src/main.ts -> apps/api/src/api.ts',
  ]);
  // Allowed: node:util and cycle-b in the domain, a lib from the worker.
  expect(violations.filter((v) => v.from.endsWith('pure.ts') && !v.from.endsWith('impure.ts'))).toEqual([]);
  expect(violations.filter((v) => v.to.startsWith('libs/domain/src/pure'))).toEqual([]);
});

test('the check fails the build: dependency-cruiser exits non-zero on the same tree', () => {
  const run = depcruise('err');
  expect(run.stdout).toMatch(/6 dependency violations \(6 errors, 0 warnings\)/);
  expect(run.status).not.toBe(0);
});
