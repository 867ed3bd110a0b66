import { chmod, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

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
 */
export async function restrictToOwner(
  roots: readonly string[],
): Promise<{ changed: string[]; failed: string[] }> {
  const changed: string[] = [];
  const failed: string[] = [];
  const visit = async (path: string): Promise<void> => {
    let stat;
    try {
      stat = await lstat(path);
    } catch {
      return; // gone meanwhile, or never there
    }
    if (stat.isSymbolicLink()) return;
    const wanted = stat.isDirectory() ? 0o700 : 0o600;
    if ((stat.mode & 0o777) !== wanted && (stat.mode & 0o077) !== 0) {
      try {
        await chmod(path, (stat.mode & 0o700) | (stat.isDirectory() ? 0o700 : 0o600));
        changed.push(path);
      } catch {
        failed.push(path);
      }
    }
    if (stat.isDirectory())
      for (const name of await readdir(path).catch(() => [])) await visit(join(path, name));
  };
  for (const root of new Set(roots)) await visit(root);
  return { changed, failed };
}
