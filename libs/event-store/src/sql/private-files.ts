import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/**
 * What the API process creates is for its own user only: set by its main.ts before anything is
 * written, so the local JWT secret and the files PGlite adds as it runs are 0600, directories 0700.
 */
export const PRIVATE_UMASK = 0o077;

/**
 * Directories 0700 and files 0600 under each root that exists: for a data directory an earlier
 * release (or a copy, or an operator's mkdir) left readable to others, and for PGlite, which writes
 * its initial database files 0666 whatever the umask. Symbolic links are left alone. What cannot be changed (another owner) is
 * reported, not fatal: the process may still be able to run.
 *
 * It runs at every start over PGlite's thousand-odd files, so it walks with the synchronous calls
 * (a promise per lstat made it a tenth of a second or more of a warm start) and a root inside
 * another root is walked once.
 */
export async function restrictToOwner(
  roots: readonly string[],
): Promise<{ changed: string[]; failed: string[] }> {
  const changed: string[] = [];
  const failed: string[] = [];
  const visit = (path: string): void => {
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      return; // gone meanwhile, or never there
    }
    if (stat.isSymbolicLink()) return;
    const wanted = stat.isDirectory() ? 0o700 : 0o600;
    if ((stat.mode & 0o777) !== wanted && (stat.mode & 0o077) !== 0) {
      try {
        chmodSync(path, (stat.mode & 0o700) | (stat.isDirectory() ? 0o700 : 0o600));
        changed.push(path);
      } catch {
        failed.push(path);
      }
    }
    if (!stat.isDirectory()) return;
    let names: string[] = [];
    try {
      names = readdirSync(path);
    } catch {
      // unreadable: its mode was reported above if it could not be changed
    }
    for (const name of names) visit(join(path, name));
  };
  const unique = [...new Set(roots.map((root) => resolve(root)))];
  const inside = (root: string, other: string) => root !== other && root.startsWith(other + sep);
  for (const root of unique) if (!unique.some((other) => inside(root, other))) visit(root);
  return { changed, failed };
}
