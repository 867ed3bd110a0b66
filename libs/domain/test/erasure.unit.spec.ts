import {
  erasureGroundProblem,
  RETENTION_SWEEP_ACTOR,
  type EraseHouseholdData,
  type HouseholdDataErased,
} from '@eenplan/domain';
import { addGoal, closed, HH, household, registered, reopen, reopened, T } from './fixtures';

const ADMIN = { id: 'admin-1', roles: ['admin'], teams: [] };
const erase = (o: { roles?: string[] } = {}): EraseHouseholdData => ({
  type: 'EraseHouseholdData',
  householdId: HH,
  actor: { ...ADMIN, roles: o.roles ?? ADMIN.roles },
  at: T(60),
  ground: 'AVG art. 17, verzoek 2026-118',
});
const erased = (): HouseholdDataErased => ({
  type: 'HouseholdDataErased',
  data: { erasedBy: 'admin-1', ground: 'AVG art. 17, verzoek 2026-118', erasedAt: T(60) },
});

describe('erasure of a household (AVG art. 17)', () => {
  it('an administrator erases a closed household; the event names no person', () => {
    household.given([registered(), closed()]).when(erase()).then([erased()]);
  });

  it('refuses while the plan is open, so the regie history ends complete (invariant 9)', () => {
    household
      .given([registered()])
      .when(erase())
      .thenRefuses({ code: 'PlanNotClosed', kind: 'conflict', invariant: 9 });
  });

  it('refuses anyone but an administrator', () => {
    household
      .given([registered(), closed()])
      .when(erase({ roles: ['worker', 'team-lead', 'auditor'] }))
      .thenRefuses({ code: 'NotAdmin', kind: 'forbidden' });
  });

  it('admits the retention sweep by its own actor object, which no token can yield', () => {
    household
      .given([registered(), closed()])
      .when({ ...erase(), actor: RETENTION_SWEEP_ACTOR })
      .then([{ ...erased(), data: { ...erased().data, erasedBy: 'retention-sweep' } }]);
    // The same id and fields, as a caller's token would give them, is not the sweep.
    household
      .given([registered(), closed()])
      .when({ ...erase(), actor: { ...RETENTION_SWEEP_ACTOR } })
      .thenRefuses({ code: 'NotAdmin', kind: 'forbidden' });
    expect(Object.isFrozen(RETENTION_SWEEP_ACTOR) && Object.isFrozen(RETENTION_SWEEP_ACTOR.roles)).toBe(true);
  });

  it('the retention sweep too erases only a closed plan', () => {
    household
      .given([registered(), closed(), reopened()])
      .when({ ...erase(), actor: RETENTION_SWEEP_ACTOR })
      .thenRefuses({ code: 'PlanNotClosed', kind: 'conflict', invariant: 9 });
  });

  it('refuses an unknown household', () => {
    household.given([]).when(erase()).thenRefuses({ code: 'HouseholdNotFound', kind: 'not-found' });
  });

  it('an erased household takes no further commands, not even a second erasure', () => {
    household
      .given([registered(), closed(), erased()])
      .when(reopen())
      .thenRefuses({ code: 'HouseholdErased', kind: 'conflict' });
    household
      .given([registered(), closed(), erased()])
      .when(addGoal())
      .thenRefuses({ code: 'HouseholdErased', kind: 'conflict' });
    household
      .given([registered(), closed(), erased()])
      .when(erase())
      .thenRefuses({ code: 'HouseholdErased', kind: 'conflict' });
  });
});

describe('the erasure ground is a reference, never a name (it stays readable for good)', () => {
  it.each([
    'AVG art. 17, verzoek 2026-118',
    'Verzoek AVG art. 17',
    'art. 17 lid 1 sub a AVG',
    'Art. 17 UAVG, zaak 2026/00123',
    'verzoek 2026-119',
    'AVG art. 17 (verzoek 7)',
    'verzoek 12 Art. 17',
    'verzoek 2026-118 zaakNummer',
    'a 1',
    `verzoek ${'1'.repeat(112)}`,
  ])('accepts %j', (ground) => {
    expect(erasureGroundProblem(ground)).toBeNull();
    household
      .given([registered(), closed()])
      .when({ ...erase(), ground })
      .then([{ ...erased(), data: { ...erased().data, ground } }]);
  });

  it.each([
    ['verzoek 2026-118 van Jan Jansen', /name/],
    ['verzoek van mevrouw De Vries 12', /name/],
    ['Fatima El Amrani', /digit/],
    ['zomaar', /digit/],
    ['verzoek 12; drop table', /letters, digits/],
    ['verzoek 12 <b>', /letters, digits/],
    ['mail jan@example.nl 12', /letters, digits/],
    ['12', /3 to 120/],
    [`verzoek ${'1'.repeat(120)}`, /3 to 120/],
  ])('refuses %j', (ground, why) => {
    expect(erasureGroundProblem(ground)).toMatch(why);
    household
      .given([registered(), closed()])
      .when({ ...erase(), ground })
      .thenRefuses({ code: 'ErasureGroundNotAReference', kind: 'invalid' });
  });
});
