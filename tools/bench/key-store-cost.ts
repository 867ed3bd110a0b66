/**
 * What a key store costs per call: seal, open and mac through the directory store (AES-GCM and HMAC
 * in this process) and through the PKCS#11 store (the same, inside the token). `npm run bench:keys`.
 *
 * The PKCS#11 side runs on PKCS11_MODULE / PKCS11_TOKEN_LABEL / PKCS11_PIN when they are set (a
 * real HSM: mind that it makes keys on the token, labelled `s-<sha256>` of random stream ids, and
 * does not remove them), else on a private SoftHSM2 token made in a temporary directory.
 *
 * environment: BENCH_KEY_CALLS (sequential calls per figure, default 3000), BENCH_KEY_NEW (new
 * streams for the first-seal figure, default 300), BENCH_KEY_CONCURRENCY (in flight for the
 * throughput figure, default 16).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryKeyStore, type KeyStore, Pkcs11KeyStore, type SealedBytes } from '@eenplan/security';
import { distribution, now, num } from './stats';
import { commandLine } from '../../scripts/cli';

commandLine(
  'bench:keys',
  `usage: npm run bench:keys
environment: BENCH_KEY_CALLS (3000), BENCH_KEY_NEW (300), BENCH_KEY_CONCURRENCY (16); PKCS11_MODULE,
  PKCS11_TOKEN_LABEL, PKCS11_PIN (a real HSM; default a private SoftHSM2 token)`,
  { options: { help: { type: 'boolean', short: 'h', default: false } } },
);

const CALLS = Number(process.env.BENCH_KEY_CALLS ?? 3000);
const NEW_STREAMS = Number(process.env.BENCH_KEY_NEW ?? 300);
const CONCURRENCY = Number(process.env.BENCH_KEY_CONCURRENCY ?? 16);

/** About the size of a household event's personal part (names, a free-text reason). */
const PERSONAL = Buffer.from(
  JSON.stringify({
    members: [
      { memberId: 'm-1', name: 'Fatima El Amrani' },
      { memberId: 'm-2', name: 'Ybo El Amrani' },
    ],
    reason: 'schulden bij drie schuldeisers, vader dronken, school meldt verzuim van de jongste',
  }),
);
/** About the size of a sealed event's canonical content, which the chain MACs. */
const CANONICAL = randomBytes(400);

interface Figure {
  readonly name: string;
  readonly directoryUs: number;
  readonly pkcs11Us: number;
  readonly note?: string;
}

/** Microseconds per call of `fn`, called `calls` times one after another (after a warm-up). */
async function perCall(
  calls: number,
  fn: (i: number) => Promise<unknown>,
): Promise<{ mean: number; p99: number }> {
  for (let i = 0; i < Math.min(200, calls); i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = now();
    await fn(i);
    times.push((now() - t0) * 1000);
  }
  const d = distribution(times);
  return { mean: d.mean, p99: d.p99 };
}

/** Calls per second with `concurrency` in flight. */
async function throughput(
  calls: number,
  concurrency: number,
  fn: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const t0 = now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) await fn(next++);
    }),
  );
  return calls / ((now() - t0) / 1000);
}

interface Measured {
  seal: { mean: number; p99: number };
  open: { mean: number; p99: number };
  openUncached: { mean: number; p99: number };
  mac: { mean: number; p99: number };
  firstSeal: { mean: number; p99: number };
  sealPerSecond: number;
}

async function measure(open: (cacheMs?: number) => Promise<KeyStore>): Promise<Measured> {
  const store = await open();
  const uncached = await open(0);
  try {
    const stream = `household-bench-${randomUUID()}`;
    const aad = Buffer.from(`${stream}/event`);
    const sealed = (await store.seal(stream, PERSONAL, aad)) as SealedBytes;
    await store.mac('bench', CANONICAL);
    const result: Measured = {
      seal: await perCall(CALLS, () => store.seal(stream, PERSONAL, aad)),
      open: await perCall(CALLS, () => store.open(stream, sealed, aad)),
      openUncached: await perCall(Math.ceil(CALLS / 3), () => uncached.open(stream, sealed, aad)),
      mac: await perCall(CALLS, () => store.mac('bench', CANONICAL)),
      firstSeal: await perCall(NEW_STREAMS, () =>
        store.seal(`household-bench-${randomUUID()}`, PERSONAL, aad),
      ),
      sealPerSecond: await throughput(CALLS, CONCURRENCY, () => store.seal(stream, PERSONAL, aad)),
    };
    return result;
  } finally {
    await store.close();
    await uncached.close();
  }
}

/** A SoftHSM2 token of its own, as test/support/softhsm.ts makes one for the tests. */
function softHsmToken(dir: string): { module: string; label: string; pin: string } {
  const module = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find(
    (path) => existsSync(path),
  );
  if (!module)
    throw new Error('SoftHSM2 is not installed (apt-get install -y softhsm2), and PKCS11_MODULE is not set');
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens, { mode: 0o700 });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  const pin = String(randomInt(10_000_000, 99_999_999));
  const init = spawnSync(
    'softhsm2-util',
    [
      '--init-token',
      '--free',
      '--label',
      'eenplan-bench',
      '--pin',
      pin,
      '--so-pin',
      String(randomInt(10_000_000, 99_999_999)),
    ],
    { encoding: 'utf8' },
  );
  if (init.status !== 0) throw new Error(`softhsm2-util --init-token failed: ${init.stdout}${init.stderr}`);
  return { module, label: 'eenplan-bench', pin };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'eenplan-bench-keys-'));
  try {
    const hsm = process.env.PKCS11_MODULE
      ? {
          module: process.env.PKCS11_MODULE,
          label: process.env.PKCS11_TOKEN_LABEL!,
          pin: process.env.PKCS11_PIN!,
        }
      : softHsmToken(dir);
    const log = (line: string) => process.stderr.write(`${line}\n`);
    log(`directory store in ${join(dir, 'keys')}`);
    const directory = await measure((cacheMs) => DirectoryKeyStore.open({ dir: join(dir, 'keys'), cacheMs }));
    log(`PKCS#11 store on ${hsm.module}, token "${hsm.label}"`);
    const pkcs11 = await measure((cacheMs) =>
      Pkcs11KeyStore.open({ module: hsm.module, token: { label: hsm.label }, pin: hsm.pin, cacheMs }),
    );
    const figures: Figure[] = [
      {
        name: `seal ${PERSONAL.length} B, key cached`,
        directoryUs: directory.seal.mean,
        pkcs11Us: pkcs11.seal.mean,
        note: `p99 ${num(directory.seal.p99)} / ${num(pkcs11.seal.p99)} us`,
      },
      {
        name: `open ${PERSONAL.length} B, key cached`,
        directoryUs: directory.open.mean,
        pkcs11Us: pkcs11.open.mean,
        note: `p99 ${num(directory.open.p99)} / ${num(pkcs11.open.p99)} us`,
      },
      {
        name: 'open, key looked up each time (cacheMs 0)',
        directoryUs: directory.openUncached.mean,
        pkcs11Us: pkcs11.openUncached.mean,
        note: 'a file read / a search by label on the token',
      },
      {
        name: `mac ${CANONICAL.length} B (HMAC-SHA256)`,
        directoryUs: directory.mac.mean,
        pkcs11Us: pkcs11.mac.mean,
        note: `p99 ${num(directory.mac.p99)} / ${num(pkcs11.mac.p99)} us`,
      },
      {
        name: 'first seal of a new stream (makes its key)',
        directoryUs: directory.firstSeal.mean,
        pkcs11Us: pkcs11.firstSeal.mean,
        note: 'directory: file, fsync, link, directory fsync; PKCS#11: C_GenerateKey of a token object',
      },
      {
        name: `seal, ${CONCURRENCY} in flight (calls/s)`,
        directoryUs: directory.sealPerSecond,
        pkcs11Us: pkcs11.sealPerSecond,
        note: 'throughput, not us',
      },
    ];
    const rows = figures.map((f) => [f.name, num(f.directoryUs), num(f.pkcs11Us), f.note ?? '']);
    const header = ['per call (us, mean)', 'directory', 'PKCS#11', 'note'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
    process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n`);
    for (const row of rows) process.stdout.write(`${line(row)}\n`);
    process.stdout.write(
      `(${CALLS} sequential calls per figure, ${NEW_STREAMS} new streams; node ${process.version})\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
