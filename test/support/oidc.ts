import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** What a person signing in at the provider carries: the claims the provider puts in the access token. */
export interface Account {
  readonly claims: Record<string, unknown>;
  /** Access token lifetime in seconds (default 600). */
  readonly ttl?: number;
  /** RS256 (default) or ES256. */
  readonly alg?: 'RS256' | 'ES256';
}

/**
 * A real OpenID provider (oidc-provider) in a child process (test/support/oidc-provider.mjs), on
 * 127.0.0.1 at a free port: `accessToken` signs a person in by the client credentials grant with
 * a resource indicator, as a service account or a login would get a token for the API.
 */
export class TestOidcProvider {
  private readonly registered = new Map<string, string>();

  private constructor(
    private readonly child: ChildProcess,
    readonly issuer: string,
  ) {}

  static async start(keys?: unknown[]): Promise<TestOidcProvider> {
    const child = spawn(process.execPath, [join(__dirname, 'oidc-provider.mjs'), JSON.stringify({ keys })], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout! });
    const first = await Promise.race([
      once(lines, 'line').then(([line]) => line as string),
      once(child, 'exit').then(() => {
        throw new Error(`the OpenID provider did not start: ${stderr}`);
      }),
    ]);
    return new TestOidcProvider(child, (JSON.parse(first) as { issuer: string }).issuer);
  }

  private async admin(path: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.issuer}/admin/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`admin/${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  }

  /** An access token for `sub` with the account's claims, for the resource (audience) asked for. */
  async accessToken(sub: string, account: Account, resource: string): Promise<string> {
    const key = JSON.stringify(account);
    const secret = `secret-of-${sub}-0123456789abcdef0123456789`;
    if (this.registered.get(sub) !== key) {
      await this.admin('clients', { client_id: sub, client_secret: secret, ...account });
      this.registered.set(sub, key);
    }
    const res = await fetch(`${this.issuer}/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${sub}:${secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'api' }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!res.ok || !body.access_token)
      throw new Error(`token for ${sub}: ${res.status} ${JSON.stringify(body)}`);
    return body.access_token;
  }

  /** A new signing key, published beside the old ones and used from now on; its kid. */
  async rotate(alg: 'RS256' | 'ES256' = 'RS256'): Promise<string> {
    return (await this.admin('rotate', { alg })).kid as string;
  }

  /** The older keys leave the JWKS: tokens they signed no longer verify anywhere that refetches. */
  async retireOldKeys(): Promise<void> {
    await this.admin('retire', {});
  }

  /** The private keys (to start another issuer that signs with the very same keys). */
  async privateKeys(): Promise<unknown[]> {
    return (await this.admin('keys')).keys as unknown[];
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill();
    await exited;
  }
}
