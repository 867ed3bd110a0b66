/**
 * Builds dist/ only when it is older than the sources, so `npm start` and the CLIs start at once on
 * a current build instead of compiling for ten seconds every time:
 *   node scripts/build-if-stale.mjs            # what `npm start` and each CLI's npm script run first
 *   node scripts/build-if-stale.mjs --always   # `npm run build`: build whatever the stamp says
 * The build is `tsc -p tsconfig.build.json` (incremental: dist/.tsbuildinfo, so a build after a
 * small change compiles only what it touches) and then `tsc-alias` (the @eenplan paths made
 * relative in the emitted files).
 *
 * Plain JavaScript, as it runs before anything is compiled. The stamp is dist/.build-stamp, whose
 * time is set to when the last successful build started: a source saved during a build is newer
 * and builds again next time. The sources are what tsconfig.build.json compiles (the .ts files
 * under apps, libs, scripts and tools, tests left out) with their folders (a file removed or
 * added), the two tsconfig files and package-lock.json. `rm -rf dist` builds from scratch.
 *
 * Two processes finding it stale at once (two `npm run token` in a script) build once: the first
 * holds dist/.build-lock (a folder, with its pid inside), the other waits for it and checks again.
 * Build output goes to stderr, so `TOKEN=$(npm run -s token -- ...)` gets only the token.
 * Exit code: 0 when dist is current or built, 1 when the build failed, 2 on a wrong argument.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const stamp = join(dist, '.build-stamp');
const lock = join(dist, '.build-lock');
const SOURCE_DIRS = ['apps', 'libs', 'scripts', 'tools'];
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
/** What tsconfig.build.json excludes: tests are not part of the build. */
const isTest = (name) => name === 'test' || name.endsWith('.spec.ts') || name.endsWith('.suite.ts');

/** The newest modification time (ms) among the sources. */
const newestSource = () => {
  let newest = 0;
  const seen = (path) => {
    const { mtimeMs } = statSync(path);
    if (mtimeMs > newest) newest = mtimeMs;
  };
  const walk = (dir) => {
    seen(dir);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (isTest(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) seen(path);
    }
  };
  // A folder may be absent where only part of the tree is copied (the Dockerfile leaves tools out).
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) walk(join(root, dir));
  for (const file of SOURCE_FILES) seen(join(root, file));
  return newest;
};

const builtAt = () => {
  try {
    return statSync(stamp).mtimeMs;
  } catch {
    return -1;
  }
};

const usage = 'usage: node scripts/build-if-stale.mjs [--always]';
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const wrong = args.filter((a) => a !== '--always');
if (wrong.length) {
  process.stderr.write(`${usage}\nbuild-if-stale: unknown argument: ${wrong[0]}\n`);
  process.exit(2);
}
const always = args.includes('--always');

/** Output the stamp vouches for: a dist/ partly removed builds again. */
const ENTRIES = ['apps/api/src/main.js', 'apps/worker/src/main.js', 'scripts/token.js'];
const current = () =>
  !always && builtAt() >= newestSource() && ENTRIES.every((entry) => existsSync(join(dist, entry)));

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};

/** A build takes a minute or two; a lock older than this was left by one that died. */
const LOCK_MAX_AGE_MS = 600_000;

/**
 * Removes a dead holder's lock: moved aside under a name of its own first, so that of two waiters
 * who saw the same dead holder, the second never removes the lock the first has taken since (it
 * finds a live holder's pid in what it moved, and puts it back).
 */
const removeStale = (holder) => {
  const aside = `${lock}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(lock, aside);
  } catch {
    return; // gone already
  }
  let moved = NaN;
  try {
    moved = Number(readFileSync(join(aside, 'pid'), 'utf8'));
  } catch {
    // no pid: a holder that died before writing it
  }
  if (moved > 0 && moved !== holder && alive(moved)) {
    try {
      renameSync(aside, lock);
      return;
    } catch {
      // a third process took the lock meanwhile: the one we moved goes
    }
  }
  rmSync(aside, { recursive: true, force: true });
};

/** Takes the lock, or waits for whoever holds it; false when it was released (check again). */
const takeLock = () => {
  mkdirSync(dist, { recursive: true });
  try {
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return true;
  } catch (e) {
    if (e.code !== 'EEXIST') throw e;
  }
  let announced = false;
  const since = Date.now();
  for (;;) {
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      // Not written yet, or already released.
    }
    // A holder that died (killed mid-build) leaves its lock: it goes once its pid is gone, and in
    // any case once it is older than a build could take (a pid may be reused by another process).
    let age = 0;
    try {
      age = Date.now() - statSync(lock).mtimeMs;
    } catch {
      return false;
    }
    if (
      (holder > 0 && !alive(holder)) ||
      age > LOCK_MAX_AGE_MS ||
      (!(holder > 0) && Date.now() - since > LOCK_MAX_AGE_MS)
    ) {
      removeStale(holder);
      return false;
    }
    try {
      statSync(lock);
    } catch {
      return false;
    }
    if (!announced) process.stderr.write('waiting for another build of dist/ to finish\n');
    announced = true;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
};

/** Runs a package's command-line entry with this node, its output on stderr; true when it exits 0. */
const run = (bin, args) => {
  const child = spawnSync(process.execPath, [require.resolve(bin), ...args], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (child.error) process.stderr.write(`could not run ${bin}: ${child.error.message}\n`);
  return child.status === 0;
};

const build = () => {
  const started = new Date();
  if (!always) process.stderr.write('building dist/ (the sources changed since the last build)\n');
  // `npm run build` emits everything: an incremental tsc does not emit again what was deleted from
  // dist/ while its build info still lists it as built (TypeScript issue #30602).
  // The same when part of dist/ is gone.
  if (always || !ENTRIES.every((entry) => existsSync(join(dist, entry))))
    rmSync(join(dist, '.tsbuildinfo'), { force: true });
  if (!run('typescript/bin/tsc', ['-p', 'tsconfig.build.json'])) return 1;
  if (!run('tsc-alias/dist/bin/index.js', ['-p', 'tsconfig.build.json'])) return 1;
  writeFileSync(stamp, '');
  utimesSync(stamp, started, started);
  return 0;
};

const release = () => rmSync(lock, { recursive: true, force: true });

const main = () => {
  for (;;) {
    if (current()) return 0;
    if (!takeLock()) continue;
    // Ctrl-C during the build: the build dies with it, and the lock goes too.
    const interrupted = (signal) => {
      release();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    try {
      // The holder before us may have built it meanwhile.
      return current() ? 0 : build();
    } finally {
      release();
    }
  }
};

process.exitCode = main();
