/**
 * The command line of every CLI in scripts/ and tools/ (docs/OPERATIONS.md, "Command-line tools"):
 * `--help` prints the usage on stdout and exits 0; a wrong or unknown argument prints the usage and
 * one line naming it on stderr and exits 2, never a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit code of a wrong argument or setting, in every CLI. */
export const USAGE_EXIT = 2;

/** Prints the usage and `<name>: <message>` on stderr and exits 2. */
export const usageError = (name: string, usage: string, message: string): never => {
  process.stderr.write(`${usage}\n${name}: ${message}\n`);
  process.exit(USAGE_EXIT);
};

/**
 * node's parseArgs (strict: unknown options refused), with `--help` answered. The config names
 * `help` among its options; its messages are cut to their first sentence, since the rest ("place it
 * after --") tells a node user, not one going through npm, what to do.
 */
export function commandLine<T extends ParseArgsConfig>(
  name: string,
  usage: string,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (e) {
    return usageError(name, usage, (e as Error).message.split(/\.\s/)[0]!.replace(/\.$/, ''));
  }
  if ((parsed.values as { help?: unknown }).help === true) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return parsed;
}
