import {
  erasureGroundProblem,
  householdDecider,
  RETENTION_SWEEP_ACTOR,
  type EraseHouseholdData,
  type EraseMemberData,
  type HouseholdDataErased,
  type HouseholdEvent,
  type HouseholdState,
  type MemberDataErased,
} from '@eenplan/domain';
import { addGoal, CHILD, closed, HH, household, PARENT, registered, reopen, reopened, T } from './fixtures';
import { expectRefusal, stateAfter } from './given-when-then';

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

  it('refuses while a meldcode track is open: the track ends recorded, not shredded; once closed, erasure goes on', () => {
    const started = {
      type: 'MeldcodeTrackStarted' as const,
      data: {
        trackId: 'mc-1',
        teamId: 'team-noord',
        step: 1 as const,
        startedBy: 'anna',
        startedAt: T(5),
        takeoverId: null,
      },
      personal: { signals: 'Zorgen over de veiligheid' },
    };
    household
      .given([registered(), started, closed()])
      .when(erase())
      .thenRefuses({ code: 'MeldcodeTrackOpen', kind: 'conflict', details: { openTrackId: 'mc-1' } });
    const trackClosed = {
      type: 'MeldcodeTrackClosed' as const,
      data: { trackId: 'mc-1', atStep: 'consultation' as const, closedBy: 'anna', closedAt: T(10) },
      personal: { reason: 'Zorgen weggenomen' },
    };
    household.given([registered(), started, trackClosed, closed()]).when(erase()).then([erased()]);
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

describe("erasure of one member's data (AVG art. 17), the household going on", () => {
  // MemberLeft comes with the members slice; until then a member who left is set by hand on the
  // state a registration leaves (MemberState.left is what that event sets).
  const leftState = (history: HouseholdEvent[] = [registered()]): HouseholdState => {
    const state = stateAfter(householdDecider, history);
    return {
      ...state,
      members: {
        ...state.members,
        [CHILD]: { ...state.members[CHILD]!, left: { on: '2025-03-01', reason: 'moved-out' } },
      },
    };
  };
  const eraseMember = (
    o: { roles?: string[]; memberId?: string; ground?: string } = {},
  ): EraseMemberData => ({
    type: 'EraseMemberData',
    householdId: HH,
    actor: { ...ADMIN, roles: o.roles ?? ADMIN.roles },
    at: T(60),
    memberId: o.memberId ?? CHILD,
    ground: o.ground ?? 'AVG art. 17, verzoek 2026-119',
  });
  const memberErased = (): MemberDataErased => ({
    type: 'MemberDataErased',
    data: { memberId: CHILD, erasedBy: 'admin-1', ground: 'AVG art. 17, verzoek 2026-119', erasedAt: T(60) },
  });
  const decide = (command: EraseMemberData, state: HouseholdState) => () =>
    householdDecider.decide(command, state);

  it('an administrator erases a member who left; the event names no person; the plan may be open', () => {
    expect(householdDecider.decide(eraseMember(), leftState())).toEqual([memberErased()]);
    expect(householdDecider.decide(eraseMember(), leftState([registered(), closed()]))).toEqual([
      memberErased(),
    ]);
    expect(JSON.stringify(memberErased())).not.toMatch(/Fatima|Youssef/);
  });

  it('the state remembers it, and the household goes on taking commands', () => {
    const after = householdDecider.evolve(leftState(), memberErased());
    expect(after.members[CHILD]).toMatchObject({ dataErasedAt: T(60), left: { reason: 'moved-out' } });
    expect(after.members[PARENT]!.dataErasedAt).toBeUndefined();
    expect(after.erased).toBeUndefined();
    expect(householdDecider.decide(addGoal(), after)).toMatchObject([{ type: 'GoalAdded' }]);
  });

  it('refuses a second erasure of the same member (409)', () => {
    const after = householdDecider.evolve(leftState(), memberErased());
    expectRefusal(decide(eraseMember(), after), { code: 'MemberDataAlreadyErased', kind: 'conflict' });
  });

  it('refuses a member who still belongs to the household (409): they leave first', () => {
    expectRefusal(decide(eraseMember({ memberId: PARENT }), leftState()), {
      code: 'MemberStillInHousehold',
      kind: 'conflict',
      message: PARENT,
    });
  });

  it('refuses an unknown member (400, naming the field)', () => {
    expectRefusal(decide(eraseMember({ memberId: 'nobody' }), leftState()), {
      code: 'UnknownMember',
      kind: 'invalid',
      details: { field: 'memberId' },
    });
  });

  it('refuses anyone but an administrator (403), and an unknown household (404)', () => {
    expectRefusal(decide(eraseMember({ roles: ['worker', 'team-lead', 'auditor'] }), leftState()), {
      code: 'NotAdmin',
      kind: 'forbidden',
    });
    expectRefusal(decide(eraseMember(), householdDecider.initialState()), {
      code: 'HouseholdNotFound',
      kind: 'not-found',
    });
  });

  it('refuses a ground that is no reference (400), before anything else', () => {
    expectRefusal(
      decide(eraseMember({ ground: 'verzoek 2026-118 van Jan Jansen', roles: [] }), leftState()),
      {
        code: 'ErasureGroundNotAReference',
        kind: 'invalid',
      },
    );
  });

  it('an erased household erases no member any more (409 HouseholdErased)', () => {
    const state = householdDecider.evolve(leftState([registered(), closed()]), erased());
    expectRefusal(decide(eraseMember(), state), { code: 'HouseholdErased', kind: 'conflict' });
  });
});
