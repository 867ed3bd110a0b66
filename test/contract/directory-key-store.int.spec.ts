import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryKeyStore } from '@eenplan/security';
import { keyStoreContract } from './key-store.contract';

// The embedded key store: a directory per test; "another process" opens the same directory.
keyStoreContract('directory key store', async (options) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'eenplan-keys-')), 'keys');
  return {
    store: await DirectoryKeyStore.open({ ...options, dir }),
    another: (more) => DirectoryKeyStore.open({ ...more, dir }),
    dispose: async () => rmSync(join(dir, '..'), { recursive: true, force: true }),
  };
});
