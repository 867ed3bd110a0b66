// A real OpenID provider (oidc-provider, the certified Node.js implementation) for the sign-in
// tests, in a child process of its own: oidc-provider is ESM-only and jest runs CommonJS.
//
//   node test/support/oidc-provider.mjs '{"keys": <optional private JWKS>}'
//
// Listens on 127.0.0.1 at a free port and prints one JSON line on stdout: {"issuer": "http://127.0.0.1:<port>"}.
// Access tokens come from the token endpoint by client_credentials with a resource indicator (RFC
// 8707): `aud` is the resource asked for, the format RFC 9068 JWT, signed with the current key.
// Each person the test signs in as is a client (its `sub` is the client id) with the claims the
// test gave it. A small admin API beside the provider's own routes, for the test only:
//   POST /admin/clients {client_id, client_secret, claims, ttl?, alg?}  a person (rebuilds the provider)
//   POST /admin/rotate {alg?}   a new signing key, published beside the old ones and used from now on
//   POST /admin/retire          every key but the newest of each type leaves the JWKS
//   GET  /admin/keys            the private JWKS (to start a second issuer with the same keys)
// The provider is rebuilt with the new key set on each change, on the same port: its issuer and
// its tokens' signatures change only as a real provider's do when its keys rotate.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const options = JSON.parse(process.argv[2] ?? '{}');

const newKey = (alg) => {
  const { privateKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg, use: 'sig' };
};

const state = {
  keys: options.keys ?? [newKey('RS256'), newKey('ES256')],
  /** client id -> { claims, ttl, alg } */
  people: new Map(),
  clients: [],
};
let provider;
let issuer;

const currentKid = (alg) => state.keys.find((k) => k.alg === alg)?.kid;

const build = () => {
  provider = new Provider(issuer, {
    clients: state.clients,
    scopes: ['api'],
    jwks: { keys: state.keys },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource, client) => {
          const person = state.people.get(client.clientId) ?? {};
          const alg = person.alg ?? 'RS256';
          return {
            scope: 'api',
            audience: resource,
            accessTokenTTL: person.ttl ?? 600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg, kid: currentKid(alg) } },
          };
        },
      },
    },
    extraTokenClaims: (_ctx, token) => state.people.get(token.clientId)?.claims,
  });
};

const body = async (req) => {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
};

const admin = async (req, res) => {
  const answer = (status, value) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value ?? {}));
  };
  if (req.method === 'POST' && req.url === '/admin/clients') {
    const { client_id, client_secret, claims, ttl, alg } = await body(req);
    state.clients = state.clients.filter((c) => c.client_id !== client_id);
    state.clients.push({
      client_id,
      client_secret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: 'api',
    });
    state.people.set(client_id, { claims, ttl, alg });
    build();
    return answer(201);
  }
  if (req.method === 'POST' && req.url === '/admin/rotate') {
    const { alg = 'RS256' } = await body(req);
    const key = newKey(alg);
    state.keys = [key, ...state.keys];
    build();
    return answer(200, { kid: key.kid });
  }
  if (req.method === 'POST' && req.url === '/admin/retire') {
    state.keys = state.keys.filter((k, i) => state.keys.findIndex((o) => o.alg === k.alg) === i);
    build();
    return answer(200, { kids: state.keys.map((k) => k.kid) });
  }
  if (req.method === 'GET' && req.url === '/admin/keys') return answer(200, { keys: state.keys });
  return answer(404);
};

const server = createServer((req, res) => {
  if (req.url?.startsWith('/admin/'))
    return admin(req, res).catch((e) => {
      res.writeHead(500);
      res.end(String(e?.message ?? e));
    });
  return provider.callback()(req, res);
});
server.listen(0, '127.0.0.1', () => {
  issuer = `http://127.0.0.1:${server.address().port}`;
  build();
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
// The test ends the child by closing its stdin (or killing it): never outlive the test run.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
