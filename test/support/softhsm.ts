import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { type Infra, probeWithNode } from './infra';

/** Where Debian's libsofthsm2 puts the PKCS#11 module (the first is a link to the second). */
const MODULE_PATHS = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'];

export const softHsmModule = (): string | undefined => MODULE_PATHS.find((path) => existsSync(path));

/** SoftHSM2, the software token the PKCS#11 key store is tested on. */
export const softHsm: Infra = {
  name: 'SoftHSM2 (Debian package softhsm2)',
  howToStart: 'apt-get install -y softhsm2 (.ci/run does)',
  probe: () => {
    const module = softHsmModule();
    if (!module) return `no PKCS#11 module at ${MODULE_PATHS.join(' or ')}`;
    const util = spawnSync('softhsm2-util', ['--version'], { encoding: 'utf8' });
    if (util.error || util.status !== 0)
      return `softhsm2-util does not run (${util.error?.message ?? util.stderr})`;
    return probeWithNode(`require('pkcs11js')`);
  },
};

export interface SoftHsmToken {
  readonly module: string;
  readonly label: string;
  readonly pin: string;
  /** The SOFTHSM2_CONF of this token; a child process needs it in its environment. */
  readonly conf: string;
  remove(): void;
}

/**
 * A private token in a directory of its own: its own softhsm2.conf and token directory, initialised
 * with `softhsm2-util --init-token --free`. SoftHSM2 reads SOFTHSM2_CONF when the library is
 * initialised, so this sets it in this process's environment before any store opens; one token per
 * test file, and every store of the file closed before the next file's (the library is initialised
 * once per process and reads the variable only then).
 */
export function createSoftHsmToken(label = 'eenplan-test'): SoftHsmToken {
  const module = softHsmModule();
  if (!module) throw new Error('SoftHSM2 is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'eenplan-softhsm-'));
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens, { mode: 0o700 });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
  );
  const pin = String(randomInt(10_000_000, 99_999_999));
  const init = spawnSync(
    'softhsm2-util',
    [
      '--init-token',
      '--free',
      '--label',
      label,
      '--pin',
      pin,
      '--so-pin',
      String(randomInt(10_000_000, 99_999_999)),
    ],
    { encoding: 'utf8', env: { ...process.env, SOFTHSM2_CONF: conf } },
  );
  if (init.status !== 0) throw new Error(`softhsm2-util --init-token failed: ${init.stdout}${init.stderr}`);
  const env = nodeProcess().env;
  const previous = env.SOFTHSM2_CONF;
  env.SOFTHSM2_CONF = conf;
  return {
    module,
    label,
    pin,
    conf,
    remove: () => {
      if (previous === undefined) delete env.SOFTHSM2_CONF;
      else env.SOFTHSM2_CONF = previous;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The process object whose `env` is the real environment. Jest gives each test file a copy of
 * process.env, but SoftHSM2 reads SOFTHSM2_CONF with getenv() in C_Initialize. Buffer comes from
 * the realm Node started in, so its Function constructor evaluates in that realm's global scope.
 */
const nodeProcess = (): NodeJS.Process =>
  (Buffer.constructor as FunctionConstructor)('return process')() as NodeJS.Process;

/** What an operator's tool sees of one object on the token. */
export interface TokenObjectView {
  readonly class: 'secret-key' | 'data' | 'other';
  readonly label: string;
  readonly keyType?: 'aes' | 'generic-secret' | 'other';
  readonly sensitive?: boolean;
  readonly extractable?: boolean;
  readonly alwaysSensitive?: boolean;
  readonly neverExtractable?: boolean;
  /** The result of asking for CKA_VALUE: the bytes (hex) or the token's refusal. */
  readonly value: { hex: string } | { refused: string };
}

/**
 * Every object on the token, as another process logged in with the PIN sees it (a process of its
 * own: this one's library state stays untouched).
 */
export function listTokenObjects(token: SoftHsmToken): TokenObjectView[] {
  const script = `
    const p = require('pkcs11js');
    const [module, label, pin] = process.argv.slice(1);
    const m = new p.PKCS11(); m.load(module); m.C_Initialize();
    const slot = m.C_GetSlotList(true).find((s) => m.C_GetTokenInfo(s).label.trim() === label);
    const s = m.C_OpenSession(slot, p.CKF_SERIAL_SESSION);
    m.C_Login(s, p.CKU_USER, pin);
    m.C_FindObjectsInit(s, []); const all = m.C_FindObjects(s, 100000); m.C_FindObjectsFinal(s);
    const ulong = (b) => (b.length >= 8 ? Number(b.readBigUInt64LE(0)) : b.readUInt32LE(0));
    const get = (h, type) => { try { return m.C_GetAttributeValue(s, h, [{ type }])[0].value; } catch (e) { return e; } };
    const bool = (h, type) => { const v = get(h, type); return v instanceof Error ? undefined : v[0] === 1; };
    const out = all.map((h) => {
      const cls = ulong(get(h, p.CKA_CLASS));
      const o = { class: cls === p.CKO_SECRET_KEY ? 'secret-key' : cls === p.CKO_DATA ? 'data' : 'other',
                  label: get(h, p.CKA_LABEL).toString('utf8') };
      if (cls === p.CKO_SECRET_KEY) {
        const kt = ulong(get(h, p.CKA_KEY_TYPE));
        Object.assign(o, { keyType: kt === p.CKK_AES ? 'aes' : kt === p.CKK_GENERIC_SECRET ? 'generic-secret' : 'other',
          sensitive: bool(h, p.CKA_SENSITIVE), extractable: bool(h, p.CKA_EXTRACTABLE),
          alwaysSensitive: bool(h, p.CKA_ALWAYS_SENSITIVE), neverExtractable: bool(h, p.CKA_NEVER_EXTRACTABLE) });
      }
      const v = get(h, p.CKA_VALUE);
      o.value = v instanceof Error ? { refused: v.message } : { hex: v.toString('hex') };
      return o;
    });
    m.C_CloseSession(s); m.C_Finalize();
    process.stdout.write(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ['-e', script, token.module, token.label, token.pin], {
    encoding: 'utf8',
    env: { ...process.env, SOFTHSM2_CONF: token.conf },
  });
  if (run.status !== 0) throw new Error(`listing the token's objects failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as TokenObjectView[];
}

/**
 * Makes an AES-256 key object on the token as another process would, with the given label and
 * CKA_ID (to set up two keys for one stream, as two processes making its first key at once do).
 */
export function addTokenKey(token: SoftHsmToken, label: string, id: Buffer): void {
  const script = `
    const p = require('pkcs11js');
    const [module, tokenLabel, pin, label, id] = process.argv.slice(1);
    const m = new p.PKCS11(); m.load(module); m.C_Initialize();
    const slot = m.C_GetSlotList(true).find((s) => m.C_GetTokenInfo(s).label.trim() === tokenLabel);
    const s = m.C_OpenSession(slot, p.CKF_SERIAL_SESSION | p.CKF_RW_SESSION);
    m.C_Login(s, p.CKU_USER, pin);
    m.C_GenerateKey(s, { mechanism: p.CKM_AES_KEY_GEN }, [
      { type: p.CKA_CLASS, value: p.CKO_SECRET_KEY }, { type: p.CKA_KEY_TYPE, value: p.CKK_AES },
      { type: p.CKA_TOKEN, value: true }, { type: p.CKA_PRIVATE, value: true },
      { type: p.CKA_SENSITIVE, value: true }, { type: p.CKA_EXTRACTABLE, value: false },
      { type: p.CKA_ENCRYPT, value: true }, { type: p.CKA_DECRYPT, value: true },
      { type: p.CKA_VALUE_LEN, value: 32 }, { type: p.CKA_LABEL, value: label },
      { type: p.CKA_ID, value: Buffer.from(id, 'hex') },
    ]);
    m.C_CloseSession(s); m.C_Finalize();`;
  const run = spawnSync(
    process.execPath,
    ['-e', script, token.module, token.label, token.pin, label, id.toString('hex')],
    { encoding: 'utf8', env: { ...process.env, SOFTHSM2_CONF: token.conf } },
  );
  if (run.status !== 0) throw new Error(`making a key on the token failed: ${run.stderr}`);
}
