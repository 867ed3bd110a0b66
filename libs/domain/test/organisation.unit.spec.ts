import { RegisterOrganisation } from '@eenplan/domain';
import { actor, T } from './fixtures';
import { organisation } from './people-around.fixtures';

const register = (o: Partial<RegisterOrganisation> = {}): RegisterOrganisation => ({
  type: 'RegisterOrganisation',
  organisationId: 'org1',
  name: 'Schuldhulp Noord',
  expertise: { lifeDomains: ['finances', 'finances'], tags: ['schuldhulp'] },
  location: 'noord',
  waitingDays: 21,
  actor: actor('anna'),
  at: T(0),
  ...o,
});
const registered = {
  type: 'OrganisationRegistered' as const,
  data: {
    organisationId: 'org1',
    name: 'Schuldhulp Noord',
    expertise: { lifeDomains: ['finances' as const], tags: ['schuldhulp'] },
    location: 'noord',
    waitingDays: 21,
    registeredBy: 'anna',
    registeredAt: T(0),
  },
};

describe('the social map: organisations', () => {
  it('registers an organisation with its expertise (duplicates dropped), location and waiting time', () => {
    organisation.given([]).when(register()).then([registered]);
  });

  it('refuses an organisation id used before', () => {
    organisation
      .given([registered])
      .when(register())
      .thenRefuses({ code: 'OrganisationAlreadyRegistered', kind: 'conflict' });
  });

  it('updates the waiting time', () => {
    organisation
      .given([registered])
      .when({
        type: 'UpdateWaitingTime',
        organisationId: 'org1',
        waitingDays: 45,
        actor: actor('bas'),
        at: T(9),
      })
      .then([
        {
          type: 'OrganisationWaitingTimeUpdated',
          data: { organisationId: 'org1', waitingDays: 45, updatedBy: 'bas', updatedAt: T(9) },
        },
      ]);
  });

  it('refuses to update an organisation that is not registered', () => {
    organisation
      .given([])
      .when({
        type: 'UpdateWaitingTime',
        organisationId: 'org1',
        waitingDays: 3,
        actor: actor('bas'),
        at: T(9),
      })
      .thenRefuses({ code: 'OrganisationNotFound', kind: 'not-found' });
  });
});
