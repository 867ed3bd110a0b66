import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
let current = false;

/**
 * The built file of a source entry point (`apps/api/src/main.ts` → dist/apps/api/src/main.js), for
 * a test that starts the process as `npm start` does. dist/ is brought up to date first, as
 * `npm start` does (scripts/build-if-stale.mjs: about 0.2 s when current), so a test never runs an
 * older build than the sources; starting the built file takes a second or two where ts-node took
 * fifteen.
 */
export const builtEntry = (source: string): string => {
  if (!current) {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (build.status !== 0) throw new Error(`the build failed:\n${build.stderr}`);
    current = true;
  }
  return join(ROOT, 'dist', source.replace(/\.ts$/, '.js'));
};
