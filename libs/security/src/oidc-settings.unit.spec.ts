import { isAllowedProviderUrl } from './oidc-settings';
import { claimAt } from './tokens';

describe('where an OpenID provider may be reached', () => {
  test.each([
    ['https://login.utrecht.nl/realms/eenplan', true],
    ['http://127.0.0.1:8080/realms/dev', true],
    ['http://localhost:8080', true],
    ['http://[::1]:8080', true],
    // Plain HTTP beyond this machine: the keys could be swapped on the way.
    ['http://login.utrecht.nl', false],
    ['http://127.0.0.1.nip.io', false],
    ['https://user:pw@login.utrecht.nl', false],
    ['ftp://login.utrecht.nl', false],
    ['login.utrecht.nl', false],
  ])('%s: %s', (url, allowed) => {
    expect(isAllowedProviderUrl(url)).toBe(allowed);
  });
});

describe('a claim by name or dotted path', () => {
  const payload = {
    roles: ['worker'],
    realm_access: { roles: ['team-lead'] },
    resource_access: { 'eenplan-api': { roles: ['auditor'] } },
    'dotted.name': 'top level',
  };
  test.each([
    ['roles', ['worker']],
    ['realm_access.roles', ['team-lead']],
    ['resource_access.eenplan-api.roles', ['auditor']],
    ['dotted.name', 'top level'],
    ['realm_access.missing', undefined],
    ['roles.length', undefined],
    ['nowhere.at.all', undefined],
  ])('%s', (name, value) => {
    expect(claimAt(payload, name)).toEqual(value);
  });
});
