import type * as Pkcs11 from 'pkcs11js';

/** pkcs11js, loaded on first use: the embedded default (the directory store) never loads native code. */
export type Pkcs11Lib = typeof Pkcs11;
export type Handle = Buffer;

/**
 * A setup the token refused at start, with the setting to blame ('module': the PKCS#11 library,
 * 'token': the token label or slot, 'pin': the PIN). The message never holds the PIN.
 */
export class Pkcs11SetupError extends Error {
  constructor(
    readonly setting: 'module' | 'token' | 'pin',
    message: string,
  ) {
    super(message);
  }
}

/** Which token: by its label (what an operator sets at initialisation) or by slot id. */
export type TokenSelector = { readonly label: string } | { readonly slot: number };

/** The CKR_ name of a PKCS#11 error (pkcs11js puts it in the message), or undefined. */
export function ckr(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  return /^CKR_[A-Z0-9_]+/.exec(message)?.[0];
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * A key object that is gone: destroyed by another process (an erasure), or its handle no longer
 * valid after the token dropped this process's sessions.
 */
export const handleGone = (error: unknown): boolean =>
  ['CKR_OBJECT_HANDLE_INVALID', 'CKR_KEY_HANDLE_INVALID'].includes(ckr(error) ?? '');

/**
 * The session cannot be used any more (the token was removed, a network HSM dropped the
 * connection, the login ended): it is closed and the operation tried once more on a new one.
 */
const sessionLost = (error: unknown): boolean =>
  [
    'CKR_SESSION_HANDLE_INVALID',
    'CKR_SESSION_CLOSED',
    'CKR_USER_NOT_LOGGED_IN',
    'CKR_DEVICE_REMOVED',
    'CKR_DEVICE_ERROR',
    'CKR_TOKEN_NOT_PRESENT',
    'CKR_OPERATION_ACTIVE',
  ].includes(ckr(error) ?? '');

interface LoadedModule {
  readonly lib: Pkcs11Lib;
  readonly p11: Pkcs11.PKCS11;
  /** False when something else in this process had initialised the library: it finalizes it. */
  readonly finalize: boolean;
}

/**
 * A PKCS#11 library is initialised once per process (a second C_Initialize is refused, and
 * C_Finalize ends every session of the process): stores in one process on one library share it,
 * and the last one to close finalizes it. A store counts as a user from the moment it asks, so a
 * store closing meanwhile cannot finalize the library under one that is opening.
 */
const modules = new Map<string, { users: number; loading: Promise<LoadedModule> }>();

async function acquireModule(path: string): Promise<LoadedModule> {
  let entry = modules.get(path);
  if (!entry) {
    entry = { users: 0, loading: loadModule(path) };
    modules.set(path, entry);
  }
  entry.users++;
  try {
    return await entry.loading;
  } catch (error) {
    if (--entry.users === 0 && modules.get(path) === entry) modules.delete(path);
    throw error;
  }
}

async function loadModule(path: string): Promise<LoadedModule> {
  let lib: Pkcs11Lib;
  try {
    lib = await import('pkcs11js');
  } catch (error) {
    throw new Pkcs11SetupError('module', `the pkcs11js binding cannot be loaded (${message(error)})`);
  }
  const p11 = new lib.PKCS11();
  try {
    p11.load(path);
  } catch (error) {
    throw new Pkcs11SetupError('module', `${path} cannot be loaded as a PKCS#11 library (${message(error)})`);
  }
  let finalize = true;
  try {
    // OS locking: pkcs11js runs encrypt, decrypt and sign on libuv's threads, while searches run
    // on the main thread, so the library must expect calls from several threads.
    p11.C_Initialize({ flags: lib.CKF_OS_LOCKING_OK });
  } catch (error) {
    if (ckr(error) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      p11.close();
      throw new Pkcs11SetupError('module', `${path} refused C_Initialize (${message(error)})`);
    }
    finalize = false;
  }
  return { lib, p11, finalize };
}

function releaseModule(path: string, loaded: LoadedModule): void {
  const entry = modules.get(path);
  if (!entry || --entry.users > 0) return;
  modules.delete(path);
  try {
    if (loaded.finalize) loaded.p11.C_Finalize();
  } finally {
    loaded.p11.close();
  }
}

export interface TokenOptions {
  readonly module: string;
  readonly token: TokenSelector;
  readonly pin: string;
  /** Sessions kept open at most; operations beyond wait for one. Default 4 (libuv's threads). */
  readonly maxSessions?: number;
}

/**
 * One token, logged in as its user, through a small pool of read/write sessions: a session runs one
 * operation at a time (PKCS#11 keeps one active operation per session), and a session is kept open
 * between operations because a login (the PIN's key derivation, on a network HSM a round trip)
 * costs more than the operation. Login state is per process and token, shared by all sessions.
 */
export class Pkcs11Token {
  /** Bumped whenever a session is lost: object handles looked up before may no longer be valid. */
  epoch = 0;
  private readonly idle: Handle[] = [];
  private readonly waiting: (() => void)[] = [];
  private open = 0;
  private closing?: Promise<void>;
  private drained?: () => void;
  private readonly maxSessions: number;

  private constructor(
    private readonly loaded: LoadedModule,
    private readonly path: string,
    private readonly slot: Handle,
    private readonly pin: string,
    maxSessions: number,
  ) {
    this.maxSessions = maxSessions;
  }

  get lib(): Pkcs11Lib {
    return this.loaded.lib;
  }

  get p11(): Pkcs11.PKCS11 {
    return this.loaded.p11;
  }

  /** Loads the library, finds the token and logs in once, so a wrong setting fails at start. */
  static async open(options: TokenOptions): Promise<Pkcs11Token> {
    const loaded = await acquireModule(options.module);
    try {
      const slot = findSlot(loaded, options.token);
      const token = new Pkcs11Token(loaded, options.module, slot, options.pin, options.maxSessions ?? 4);
      await token.use(() => undefined);
      return token;
    } catch (error) {
      releaseModule(options.module, loaded);
      throw error;
    }
  }

  /** The token's mechanisms, to say at start which one it lacks. */
  mechanisms(): Set<number> {
    return new Set(this.p11.C_GetMechanismList(this.slot));
  }

  /** Runs `work` on a session of its own; once more on a new session if the session was lost. */
  async use<T>(work: (session: Handle) => T | Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const session = await this.acquire();
      let lost = false;
      try {
        return await work(session);
      } catch (error) {
        lost = sessionLost(error);
        if (!lost || attempt > 0) throw error;
      } finally {
        this.release(session, lost);
      }
    }
  }

  /** Closes every session once its operation is done, then the library if no other store uses it. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const wake of this.waiting.splice(0)) wake();
      for (const session of this.idle.splice(0)) {
        this.closeSession(session);
        this.open--;
      }
      if (this.open > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      releaseModule(this.path, this.loaded);
    })();
    return this.closing;
  }

  private async acquire(): Promise<Handle> {
    for (;;) {
      if (this.closing) throw new Error('the PKCS#11 key store is closed');
      const session = this.idle.pop();
      if (session) return session;
      if (this.open < this.maxSessions) {
        this.open++;
        try {
          return this.openSession();
        } catch (error) {
          this.open--;
          this.wakeOne();
          throw error;
        }
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(session: Handle, lost: boolean): void {
    if (lost || this.closing) {
      if (lost) this.epoch++;
      this.closeSession(session);
      this.open--;
      if (this.open === 0) this.drained?.();
    } else {
      this.idle.push(session);
    }
    this.wakeOne();
  }

  private wakeOne(): void {
    this.waiting.shift()?.();
  }

  private openSession(): Handle {
    const { lib, p11 } = this.loaded;
    let session: Handle;
    try {
      session = p11.C_OpenSession(this.slot, lib.CKF_RW_SESSION | lib.CKF_SERIAL_SESSION);
    } catch (error) {
      throw new Pkcs11SetupError('token', `the token refused a read/write session (${message(error)})`);
    }
    try {
      p11.C_Login(session, lib.CKU_USER, this.pin);
    } catch (error) {
      const code = ckr(error);
      if (code !== 'CKR_USER_ALREADY_LOGGED_IN') {
        this.closeSession(session);
        // Only the code: a library's message could echo what it was given.
        if (code?.startsWith('CKR_PIN_'))
          throw new Pkcs11SetupError('pin', `the token refused the PIN (${code})`);
        throw new Pkcs11SetupError('token', `login to the token failed (${code ?? 'no PKCS#11 code'})`);
      }
    }
    return session;
  }

  private closeSession(session: Handle): void {
    try {
      this.loaded.p11.C_CloseSession(session);
    } catch {
      // Already closed by the token (removed, connection lost): nothing left to release.
    }
  }
}

function findSlot(loaded: LoadedModule, token: TokenSelector): Handle {
  const { p11 } = loaded;
  const slots = p11.C_GetSlotList(true);
  const described = slots.map((slot) => ({
    slot,
    id: slotId(slot),
    label: p11.C_GetTokenInfo(slot).label.trim(),
  }));
  const found =
    'label' in token
      ? described.filter((d) => d.label === token.label)
      : described.filter((d) => d.id === BigInt(token.slot));
  const wanted = 'label' in token ? `a token labelled "${token.label}"` : `a token in slot ${token.slot}`;
  const present = described.map((d) => `slot ${d.id} "${d.label}"`).join(', ') || 'none';
  if (found.length === 0)
    throw new Pkcs11SetupError('token', `no ${wanted.slice(2)} (tokens present: ${present})`);
  if (found.length > 1)
    throw new Pkcs11SetupError(
      'token',
      `more than one token labelled "${(token as { label: string }).label}" (${present}): name the slot`,
    );
  return found[0]!.slot;
}

/** A slot handle is the CK_SLOT_ID as a native unsigned long. */
const slotId = (slot: Handle): bigint =>
  slot.length >= 8 ? slot.readBigUInt64LE(0) : BigInt(slot.readUInt32LE(0));

/** A CK_ULONG attribute (a class, a key type) as a number. */
export const ulong = (value: Buffer): number =>
  value.length >= 8 ? Number(value.readBigUInt64LE(0)) : value.readUInt32LE(0);
