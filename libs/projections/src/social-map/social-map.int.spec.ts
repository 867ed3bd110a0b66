/**
 * The social map, given organisation events: searchable by expertise and location, the shortest
 * waiting time first. On PGlite and the PostgreSQL server (projection-spec.suite.ts).
 */
import { describeProjection, recorded } from '../projection-spec.suite';
import { socialMapProjection } from './social-map.projection';
import { SocialMapQueries } from './social-map.queries';

const registered = (organisationId: string, name: string, location: string, waitingDays: number) =>
  recorded(`organisation-${organisationId}`, 'OrganisationRegistered', {
    organisationId,
    name,
    expertise: { lifeDomains: ['finances'], tags: ['schulden'] },
    location,
    waitingDays,
    registeredAt: '2026-01-05T09:00:00.000Z',
  });
const waitingTimeUpdated = (organisationId: string, waitingDays: number, updatedAt: string) =>
  recorded(`organisation-${organisationId}`, 'OrganisationWaitingTimeUpdated', {
    organisationId,
    waitingDays,
    updatedAt,
  });

describeProjection(socialMapProjection, (spec) => {
  it('a registered organisation is found by expertise, tag and location', () =>
    spec.given(registered('o-1', 'Schuldhulp', 'Zwolle', 14)).then(
      async (db) => {
        const q = new SocialMapQueries(db);
        return [
          await q.search({ expertise: 'finances' }),
          (await q.search({ expertise: 'schulden', location: 'zwolle' })).length,
          (await q.search({ expertise: 'housing' })).length,
          (await q.search({ location: 'Kampen' })).length,
        ];
      },
      [
        [
          {
            organisationId: 'o-1',
            name: 'Schuldhulp',
            expertise: { lifeDomains: ['finances'], tags: ['schulden'] },
            location: 'Zwolle',
            waitingDays: 14,
            updatedAt: '2026-01-05T09:00:00.000Z',
          },
        ],
        1,
        0,
        0,
      ],
    ));

  it('a waiting time update reorders the list, shortest first', () =>
    spec
      .given(registered('o-1', 'A', 'Zwolle', 5), registered('o-2', 'B', 'Zwolle', 10))
      .when(waitingTimeUpdated('o-1', 20, '2026-02-01T09:00:00.000Z'))
      .then(
        async (db) =>
          (await new SocialMapQueries(db).search({})).map((o) => [
            o.organisationId,
            o.waitingDays,
            o.updatedAt,
          ]),
        [
          ['o-2', 10, '2026-01-05T09:00:00.000Z'],
          ['o-1', 20, '2026-02-01T09:00:00.000Z'],
        ],
      ));

  it('a registration seen twice keeps the first; an update of an unknown organisation changes nothing', () =>
    spec
      .given(registered('o-1', 'A', 'Zwolle', 5), waitingTimeUpdated('o-9', 1, '2026-02-01T09:00:00.000Z'))
      .when(registered('o-1', 'A again', 'Kampen', 1))
      .then(
        async (db) => (await new SocialMapQueries(db).search({})).map((o) => [o.organisationId, o.name]),
        [['o-1', 'A']],
      ));

  it('events on other streams are ignored', () =>
    spec
      .given(
        recorded('household-h-1', 'OrganisationRegistered', {
          organisationId: 'o-1',
          name: 'X',
          expertise: { lifeDomains: [], tags: [] },
          location: 'Zwolle',
          waitingDays: 1,
          registeredAt: '2026-01-05T09:00:00.000Z',
        }),
      )
      .then(async (db) => new SocialMapQueries(db).search({}), []));
});
