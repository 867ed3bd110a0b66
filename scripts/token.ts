/**
 * Prints a token for the embedded default:
 *   npm run -s token -- --sub w-1 --roles worker --teams t-1
 *   npm run -s token -- --sub login-1 --roles resident --household h-1 --member m-1
 * --roles and --teams take comma-separated lists. Signs with JWT_SECRET, or the secret the API
 * generated in DATA_DIR (./data) at its first start; it never makes one itself, as the API would not
 * know it. Settings are read as the API reads them (TOKEN_MAX_LIFETIME, JWT_SECRET's length).
 * Exit code 0 with the token on stdout; 2 on a wrong argument or setting, or no secret yet.
 */
// The modules by path, not the libraries' indexes: signing needs none of the key stores or drivers.
import { ROLES, Role } from '@eenplan/security/principal';
import { existingLocalSecret, localSecretFile, signToken } from '@eenplan/security/tokens';
import { ConfigError, loadConfig } from '@eenplan/runtime/config/app-config';
import { commandLine, usageError, USAGE_EXIT } from './cli';

const usage = `usage: npm run -s token -- --sub <id> [--roles <${ROLES.join('|')}>[,...]] [--teams t-1,t-2] [--household h-1 --member m-1] [--hours 8]
  --roles   default worker; --teams default none; --hours default 8, at most TOKEN_MAX_LIFETIME (default 12 h)
  --household, --member   a resident's household and member id (docs/RESIDENTS.md)
  signs with JWT_SECRET, or the secret the API made in DATA_DIR (default ./data) at its first start`;

const { values } = commandLine('token', usage, {
  options: {
    sub: { type: 'string' },
    roles: { type: 'string', default: 'worker' },
    teams: { type: 'string', default: '' },
    household: { type: 'string' },
    member: { type: 'string' },
    hours: { type: 'string', default: '8' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
if (!values.sub) usageError('token', usage, '--sub is required');
const roles = list(values.roles);
const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
if (unknown.length > 0) usageError('token', usage, `unknown role(s): ${unknown.join(', ')}`);

const refuse = (message: string): never => {
  process.stderr.write(`token: ${message}\n`);
  process.exit(USAGE_EXIT);
};
const config = (() => {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) return refuse(`configuration error: ${e.message}`);
    throw e;
  }
})();
// The API refuses a token that lives longer than TOKEN_MAX_LIFETIME: say so now, not with a 401 later.
const max = config.tokenMaxLifetimeSeconds;
const seconds = Number(values.hours) * 3600;
if (!(seconds > 0 && seconds <= max))
  usageError(
    'token',
    usage,
    `--hours must be more than 0 and at most ${max / 3600} (TOKEN_MAX_LIFETIME), got ${values.hours}`,
  );
const secret =
  existingLocalSecret(config.dataDir, config.jwtSecret) ??
  refuse(
    `no secret to sign with: JWT_SECRET is not set and ${localSecretFile(config.dataDir)} does not exist. ` +
      'Start the API once first (npm start makes it), or pass the DATA_DIR or JWT_SECRET the API uses.',
  );
process.stdout.write(
  signToken(
    secret,
    {
      sub: values.sub!,
      roles: roles as Role[],
      teams: list(values.teams),
      ...(values.household ? { household: values.household } : {}),
      ...(values.member ? { member: values.member } : {}),
    },
    seconds,
  ) + '\n',
);
