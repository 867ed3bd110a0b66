/**
 * Prints a token for the embedded default:
 *   npm run token -- --sub w-1 --roles worker --teams t-1
 * --roles and --teams take comma-separated lists. Uses JWT_SECRET or the secret in DATA_DIR (./data).
 */
import { parseArgs } from 'node:util';
// The two modules by path, not the library's index: ts-node (which runs this script) does not
// resolve the @eenplan aliases that the rest of libs/security imports.
import { ROLES, Role } from '../libs/security/src/principal';
import { DEFAULT_MAX_LIFETIME_SECONDS, resolveLocalSecret, signToken } from '../libs/security/src/tokens';
import { PRIVATE_UMASK } from '../libs/event-store/src/sql/private-files';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    roles: { type: 'string', default: 'worker' },
    teams: { type: 'string', default: '' },
    hours: { type: 'string', default: '8' },
  },
});
const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const roles = list(values.roles!);
const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
if (!values.sub || unknown.length > 0) {
  console.error(
    `usage: npm run token -- --sub <id> --roles <${ROLES.join('|')}>[,...] [--teams t-1,t-2] [--hours 8]` +
      (unknown.length ? `\nunknown role(s): ${unknown.join(', ')}` : ''),
  );
  process.exit(2);
}
// The API refuses a token that lives longer than TOKEN_MAX_LIFETIME: say so now, not with a 401 later.
const seconds = Number(values.hours) * 3600;
const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const maxMatch = /^(\d+)([smhd]?)$/.exec(process.env.TOKEN_MAX_LIFETIME?.trim() ?? '');
const max = maxMatch ? Number(maxMatch[1]) * unit[maxMatch[2] || 's']! : DEFAULT_MAX_LIFETIME_SECONDS;
if (!(seconds > 0 && seconds <= max)) {
  console.error(
    `--hours must be more than 0 and at most ${max / 3600} (TOKEN_MAX_LIFETIME), got ${values.hours}`,
  );
  process.exit(2);
}
// The data directory and the secret it may create are this user's only.
process.umask(PRIVATE_UMASK);
const secret = resolveLocalSecret(process.env.DATA_DIR ?? './data');
process.stdout.write(
  signToken(secret, { sub: values.sub, roles: roles as Role[], teams: list(values.teams!) }, seconds) + '\n',
);
