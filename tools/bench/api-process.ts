import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { rssMb } from './cpu';
import { sleep } from './stats';

/** The built API (`npm run build`) as a child process, the way `npm start` runs it. */
export interface ApiProcess {
  readonly pid: number;
  readonly port: number;
  readonly baseUrl: string;
  /** stdout and stderr so far (for a failure message). */
  output(): string;
  /** Set once the child has exited: its exit code or the signal that ended it. */
  exited(): string | undefined;
  /** Sends a signal to the child (used to start and stop the optional CPU profile). */
  signal(name: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/**
 * The checkout: two levels up from tools/bench in the sources (tests), three from dist/tools/bench.
 * Found by a file only the checkout has: dist/ holds a package.json too (the API's version is read
 * from it, so tsc emits it there).
 */
export const repoRoot = [join(__dirname, '..', '..'), join(__dirname, '..', '..', '..')].find((dir) =>
  existsSync(join(dir, 'scripts', 'build-if-stale.mjs')),
)!;
export const apiEntry = join(repoRoot, 'dist', 'apps', 'api', 'src', 'main.js');
export const workerEntry = join(repoRoot, 'dist', 'apps', 'worker', 'src', 'main.js');

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

export interface StartApiOptions {
  /** Only these variables (plus PATH/HOME) reach the child, so a DATABASE_URL in the shell cannot leak in. */
  readonly env: Record<string, string>;
  /** Extra node flags, e.g. `-r <profile-preload>`. */
  readonly nodeArgs?: readonly string[];
  readonly readyTimeoutMs?: number;
  /** The worker (projections as their own process) instead of the API: ready when it says so on stdout. */
  readonly worker?: boolean;
}

export async function startApi(options: StartApiOptions): Promise<ApiProcess> {
  const entry = options.worker ? workerEntry : apiEntry;
  if (!existsSync(entry))
    throw new Error(`${entry} is missing: run npm run build first (npm run bench does)`);
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...options.env,
    PORT: String(port),
  };
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), entry], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  let exitedHow: string | undefined;
  let stopping = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      exitedHow =
        (signal ? `signal ${signal}` : `exit code ${code}`) +
        (stopping ? ' (stopped by the bench)' : ' (not by the bench)');
      resolve();
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const api: ApiProcess = {
    pid: child.pid!,
    port,
    baseUrl,
    output: () => output,
    exited: () => exitedHow,
    signal: (name) => {
      if (!exited) child.kill(name);
    },
    stop: async () => {
      if (exited) return;
      stopping = true;
      child.kill('SIGTERM');
      // A timer that is cleared: a pending 10 s sleep would keep a test runner from exiting.
      let timer: NodeJS.Timeout | undefined;
      const stopped = await Promise.race([
        exit.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 10_000))),
      ]);
      clearTimeout(timer);
      if (!stopped) {
        child.kill('SIGKILL');
        await exit;
      }
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited)
      throw new Error(`the ${options.worker ? 'worker' : 'API'} exited during start-up:\n${output}`);
    if (options.worker) {
      if (/eenplan worker: .*running/.test(output)) return api;
    } else {
      try {
        const res = await fetch(`${baseUrl}/health/ready`);
        if (res.ok) return api;
      } catch {
        // not listening yet
      }
    }
    if (Date.now() > deadline) {
      await api.stop();
      throw new Error(`the API was not ready within ${options.readyTimeoutMs ?? 60_000} ms:\n${output}`);
    }
    await sleep(100);
  }
}

export interface RssSampler {
  /** Peak and last VmRSS (MB) of the samples taken between `mark` calls. */
  window(): { peakMb: number; lastMb: number; samples: number };
  mark(): void;
  stop(): void;
}

/** Samples the child's VmRSS every `everyMs`. */
export function sampleRss(pid: number, everyMs = 200): RssSampler {
  let samples: number[] = [];
  const take = () => {
    const mb = rssMb(pid);
    if (mb !== undefined) samples.push(mb);
  };
  take();
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    window: () => {
      take();
      return {
        peakMb: Math.max(...samples),
        lastMb: samples[samples.length - 1] ?? Number.NaN,
        samples: samples.length,
      };
    },
    mark: () => {
      samples = [];
      take();
    },
    stop: () => clearInterval(timer),
  };
}
