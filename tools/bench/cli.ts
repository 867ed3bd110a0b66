/** Command-line parsing shared by `npm run bench` and `npm run reliability`: wrong input exits 2 with the usage. */

const refuse = (message: string, usage: string): never => {
  process.stderr.write(`${usage}\n${message}\n`);
  process.exit(2);
};

/** A number from the environment (`1_000_000` allowed), or the fallback when unset. */
export const envNumber = (
  name: string,
  fallback: number,
  usage: string,
  { min = 0, integer = false }: { min?: number; integer?: boolean } = {},
): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n)))
    return refuse(`${name} must be a ${integer ? 'whole ' : ''}number >= ${min}, got "${raw}"`, usage);
  return n;
};

/** `--only=a,b` as a subset of `all` (all of them when absent); an unknown name is refused. */
export const pickNames = <T extends string>(
  all: readonly T[],
  raw: string | undefined,
  usage: string,
  what: string,
): T[] => {
  const only = raw ? raw.split(',').map((s) => s.trim()) : [...all];
  const unknown = only.filter((p) => !(all as readonly string[]).includes(p));
  if (unknown.length) refuse(`unknown ${what}: ${unknown.join(', ')}`, usage);
  return only as T[];
};
