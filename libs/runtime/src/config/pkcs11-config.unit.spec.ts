import { ConfigError, loadConfig } from './app-config';

const HSM = {
  KEY_STORE: 'pkcs11',
  PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so',
  PKCS11_TOKEN_LABEL: 'eenplan',
  PKCS11_PIN: '58204716',
};

const refusal = (env: NodeJS.ProcessEnv): string => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
};

describe('loadConfig: the PKCS#11 key store', () => {
  test('KEY_STORE=pkcs11 reads the library, the token by label or slot, and the PIN', () => {
    expect(loadConfig(HSM).keyStore).toEqual({
      kind: 'pkcs11',
      module: '/usr/lib/softhsm/libsofthsm2.so',
      token: { label: 'eenplan' },
      pin: '58204716',
    });
    expect(loadConfig({ ...HSM, PKCS11_TOKEN_LABEL: '', PKCS11_SLOT: '1955494546' }).keyStore).toMatchObject({
      token: { slot: 1955494546 },
    });
  });

  test('the directory store ignores the PKCS11_ settings', () => {
    expect(loadConfig({ ...HSM, KEY_STORE: 'directory' }).keyStore.kind).toBe('directory');
    expect(loadConfig({ ...HSM, KEY_STORE: '' }).keyStore.kind).toBe('directory');
  });

  test('each missing or malformed setting is named', () => {
    expect(refusal({ ...HSM, PKCS11_MODULE: '' })).toMatch(/^KEY_STORE=pkcs11 needs PKCS11_MODULE/);
    expect(refusal({ ...HSM, PKCS11_MODULE: 'libsofthsm2.so' })).toBe(
      'PKCS11_MODULE must be an absolute path, got "libsofthsm2.so"',
    );
    expect(refusal({ ...HSM, PKCS11_TOKEN_LABEL: '' })).toMatch(/needs PKCS11_TOKEN_LABEL .* or PKCS11_SLOT/);
    expect(refusal({ ...HSM, PKCS11_SLOT: '3' })).toBe('set PKCS11_TOKEN_LABEL or PKCS11_SLOT, not both');
    expect(refusal({ ...HSM, PKCS11_TOKEN_LABEL: 'x'.repeat(33) })).toMatch(
      /^PKCS11_TOKEN_LABEL must be at most 32 bytes/,
    );
    expect(refusal({ ...HSM, PKCS11_TOKEN_LABEL: '', PKCS11_SLOT: 'first' })).toBe(
      'PKCS11_SLOT must be a slot id (a whole number), got "first"',
    );
    expect(refusal({ ...HSM, PKCS11_PIN: '' })).toMatch(/^KEY_STORE=pkcs11 needs PKCS11_PIN/);
  });

  test('no refusal repeats the PIN', () => {
    for (const wrong of [
      { PKCS11_MODULE: 'relative.so' },
      { PKCS11_SLOT: '1' },
      { PKCS11_TOKEN_LABEL: 'x'.repeat(40) },
      { PKCS11_MODULE: '' },
    ])
      expect(refusal({ ...HSM, ...wrong })).not.toContain(HSM.PKCS11_PIN);
  });
});
