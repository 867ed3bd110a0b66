/**
 * Sign-in with the municipality's identity provider (issue 20): the API configured with OIDC_ISSUER
 * accepts the access tokens of a real OpenID provider (oidc-provider, started here on 127.0.0.1),
 * checked against its published keys, and nothing else: not a wrong audience, not an expired token,
 * not HS256, not another issuer's, not an unknown key's. Its keys rotate without a restart of the
 * API. The registry still decides who counts: a worker no team registered is refused.
 */
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { loadConfig } from '@eenplan/runtime';
import { bearer, startTestApp, type TestApp } from '../support/app';
import { eventually, sleep } from '../support/eventually';
import { TestOidcProvider, type Account } from '../support/oidc';
import { expectProblem, uniq } from './fixtures';

const AUDIENCE = 'urn:eenplan:api';
/** The keys are fetched again once this old: a withdrawn key stops verifying after it. */
const CACHE_MAX_AGE_S = 4;

let idp: TestOidcProvider;
let t: TestApp;
/** How far the API's token clock runs ahead of the wall clock (to see a token expire without waiting). */
let ahead = 0;
let teamId: string;
let workerId: string;
let householdId: string;

// Keycloak-style: the roles in realm_access.roles, the teams in a claim of eenplan's own name.
const worker = (extra: Partial<Account> = {}): Account => ({
  claims: { realm_access: { roles: ['worker'] }, eenplan_teams: [teamId] },
  ...extra,
});
const adminAccount: Account = { claims: { realm_access: { roles: ['admin'] } } };
const as = async (sub: string, account: Account, resource = AUDIENCE) =>
  bearer(await idp.accessToken(sub, account, resource));

beforeAll(async () => {
  idp = await TestOidcProvider.start();
  // Through loadConfig, as the API reads its environment.
  const { oidc } = loadConfig({
    OIDC_ISSUER: idp.issuer,
    OIDC_AUDIENCE: AUDIENCE,
    OIDC_ROLES_CLAIM: 'realm_access.roles',
    OIDC_TEAMS_CLAIM: 'eenplan_teams',
    OIDC_JWKS_COOLDOWN: '0',
    OIDC_JWKS_CACHE_MAX_AGE: String(CACHE_MAX_AGE_S),
  });
  t = await startTestApp({ jwtSecret: undefined, oidc }, { tokenNow: () => Date.now() + ahead });
  const admin = await as('admin-1', adminAccount);
  teamId = uniq('team');
  await t
    .http()
    .post('/v1/teams')
    .set(admin)
    .send({ teamId, name: `Wijkteam ${teamId}`, districts: ['noord'] })
    .expect(201);
  workerId = uniq('w');
  await t
    .http()
    .post(`/v1/teams/${teamId}/workers`)
    .set(admin)
    .send({ workerId, name: `Naam ${workerId}`, role: 'generalist', hoursPerWeek: 32 })
    .expect(201);
});
afterAll(async () => {
  await t?.close();
  await idp?.stop();
});

test('sign-in: a worker registered by a team registers a household and reads it with the provider’s token', async () => {
  const me = await as(workerId, worker());
  const body = {
    householdId: uniq('hh'),
    teamId,
    district: 'noord',
    members: [{ memberId: 'm-parent', role: 'parent', birthYear: 1984, name: 'Sanne Jansen' }],
  };
  householdId = body.householdId;
  await t.http().post('/v1/households').set(me).send(body).expect(201);
  const res = await t.http().get(`/v1/households/${householdId}`).set(me).expect(200);
  expect(res.body).toMatchObject({ householdId, teamId });
});

test('an ES256 token of the provider is accepted as well', async () => {
  const me = await as(workerId, worker({ alg: 'ES256' }));
  await t.http().get(`/v1/households/${householdId}`).set(me).expect(200);
});

test('the registry still decides: a worker no team registered is 403 WorkerNotRegistered', async () => {
  const stranger = await as('w-nobody-registered', worker());
  expectProblem(
    await t.http().get(`/v1/households/${householdId}`).set(stranger),
    403,
    'WorkerNotRegistered',
  );
});

test('a token for another audience is 401', async () => {
  const elsewhere = await as(workerId, worker(), 'urn:another:api');
  const res = await t.http().get(`/v1/households/${householdId}`).set(elsewhere);
  expectProblem(res, 401, 'InvalidToken');
  expect(res.body.detail).toMatch(/aud/);
});

test('an expired token is 401 (past the 60 s of clock skew), naming its subject in the access log', async () => {
  const short = await as(workerId, worker({ ttl: 60 }));
  await t.http().get(`/v1/households/${householdId}`).set(short).expect(200);
  ahead = 60_000 + 59_000;
  await t.http().get(`/v1/households/${householdId}`).set(short).expect(200);
  ahead = 60_000 + 62_000;
  try {
    const res = await t.http().get(`/v1/households/${householdId}`).set(short);
    expectProblem(res, 401, 'InvalidToken');
    expect(res.body.detail).toMatch(/"exp" claim/);
  } finally {
    ahead = 0;
  }
  const auditor = await as('auditor-1', { claims: { realm_access: { roles: ['auditor'] } } });
  await eventually(async () => {
    const log = await t
      .http()
      .get('/v1/audit/access-log')
      .query({ householdId, limit: '1000' })
      .set(auditor)
      .expect(200);
    expect(log.body.entries).toContainEqual(
      expect.objectContaining({ actorId: workerId, actorVerified: false, outcome: 401 }),
    );
  });
});

test('a token longer-lived than TOKEN_MAX_LIFETIME is 401, as with the local secret', async () => {
  const long = await as(workerId, worker({ ttl: 13 * 3600 }));
  const res = await t.http().get(`/v1/households/${householdId}`).set(long);
  expectProblem(res, 401, 'InvalidToken');
  expect(res.body.detail).toMatch(/longer than the 43200 s/);
});

test('a role the API does not know refuses the whole token: 401', async () => {
  const odd = await as(workerId, {
    claims: { realm_access: { roles: ['worker', 'superuser'] }, eenplan_teams: [teamId] },
  });
  const res = await t.http().get(`/v1/households/${householdId}`).set(odd);
  expectProblem(res, 401, 'InvalidToken');
  expect(res.body.detail).toMatch(/unknown role/);
});

describe('the access log names the actor by the same verifier', () => {
  const entries = async () => {
    const auditor = await as('auditor-1', { claims: { realm_access: { roles: ['auditor'] } } });
    const log = await t
      .http()
      .get('/v1/audit/access-log')
      .query({ householdId, limit: '1000' })
      .set(auditor)
      .expect(200);
    return log.body.entries as { actorId: string; actorVerified: boolean; outcome: number; action: string }[];
  };
  const brokenJson = (headers: Record<string, string>) =>
    t
      .http()
      .post(`/v1/households/${householdId}/goals`)
      .set(headers)
      .set('Content-Type', 'application/json')
      .send('{"lifeDomain": ');

  test('refused by the body parser before the guard ran: the subject of a token the provider signed, as claimed', async () => {
    const sub = uniq('w-claims');
    expect((await brokenJson(await as(sub, worker()))).status).toBe(400);
    await eventually(async () =>
      expect(await entries()).toContainEqual(
        expect.objectContaining({
          actorId: sub,
          actorVerified: false,
          outcome: 400,
          action: 'POST /v1/households',
        }),
      ),
    );
  });

  test('a token signed by a key not the provider’s names no one: anonymous', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setSubject('w-forged-subject')
      .setIssuer(idp.issuer)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await brokenJson(bearer(forged))).status).toBe(400);
    await eventually(async () =>
      expect(await entries()).toContainEqual(
        expect.objectContaining({ actorId: 'anonymous', actorVerified: false, outcome: 400 }),
      ),
    );
    expect((await entries()).map((e) => e.actorId)).not.toContain('w-forged-subject');
  });
});

describe('tokens the provider did not sign', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ realm_access: { roles: ['worker'] }, eenplan_teams: [teamId] });
  const craft = (alg: string, key: Parameters<SignJWT['sign']>[0], kid?: string) =>
    new SignJWT(claims())
      .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
      .setSubject(workerId)
      .setIssuer(idp.issuer)
      .setAudience(AUDIENCE)
      .setIssuedAt(now())
      .setExpirationTime(now() + 300)
      .sign(key);
  const refused = async (token: string, why: RegExp) => {
    const res = await t.http().get(`/v1/households/${householdId}`).set(bearer(token));
    expectProblem(res, 401, 'InvalidToken');
    expect(res.body.detail).toMatch(why);
  };

  test('HS256 with some secret, even with the kid of a real key: 401', async () => {
    const real = (await idp.privateKeys()) as { kid: string }[];
    await refused(
      await craft('HS256', new TextEncoder().encode('some-secret-0123456789-0123456789'), real[0]!.kid),
      /alg/,
    );
  });

  test('a key of our own under an unknown kid, and without a kid: 401', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await refused(await craft('RS256', privateKey, 'not-a-kid-of-the-provider'), /no applicable key/);
    await refused(
      await craft('RS256', privateKey),
      /no applicable key|signature verification failed|multiple/,
    );
  });

  test('another issuer, even one signing with the very same keys: 401', async () => {
    const other = await TestOidcProvider.start(await idp.privateKeys());
    try {
      const token = await other.accessToken(workerId, worker(), AUDIENCE);
      await refused(token, /iss/);
    } finally {
      await other.stop();
    }
  });
});

test('keys rotate without a restart: the new key is taken at once, a withdrawn one stops after the cache age', async () => {
  const before = await as(workerId, worker());
  await t.http().get(`/v1/households/${householdId}`).set(before).expect(200);
  const kid = await idp.rotate();
  const after = await idp.accessToken(workerId, worker(), AUDIENCE);
  expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid).toBe(kid);
  // Within the cache's age: only the unknown kid makes the API fetch the keys again.
  await t.http().get(`/v1/households/${householdId}`).set(bearer(after)).expect(200);
  await t.http().get(`/v1/households/${householdId}`).set(before).expect(200);

  await idp.retireOldKeys();
  await sleep(CACHE_MAX_AGE_S * 1000 + 500);
  const res = await t.http().get(`/v1/households/${householdId}`).set(before);
  expectProblem(res, 401, 'InvalidToken');
  await t.http().get(`/v1/households/${householdId}`).set(bearer(after)).expect(200);
});

test('the provider unreachable: a token never seen is 503 IdentityProviderUnavailable, not 401', async () => {
  const fresh = await as(workerId, worker());
  await idp.stop();
  await sleep(CACHE_MAX_AGE_S * 1000 + 500);
  expectProblem(
    await t.http().get(`/v1/households/${householdId}`).set(fresh),
    503,
    'IdentityProviderUnavailable',
  );
});
