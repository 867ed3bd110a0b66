import {
  type AddMember,
  type HouseholdEvent,
  householdDecider,
  type LeaveMember,
  type MemberJoined,
  type MemberLeft,
  minorsOn,
  type SetAuthority,
} from '@eenplan/domain';
import {
  actor,
  agree,
  agreed,
  agreementRecorded,
  authoritySet,
  CHILD,
  closed,
  goalAdded,
  HH,
  household,
  householdState,
  PARENT,
  register,
  registered,
  returnRegie,
  returned,
  setAuthority,
  T,
} from './fixtures';

// T(0) is 2025-03-03 (Amsterdam); the fixture's parent p1 is born in 1988, the child c1 in 2015.
const AT = T(30);

const addMember = (o: Partial<AddMember> = {}): AddMember => ({
  type: 'AddMember',
  householdId: HH,
  actor: actor('anna'),
  at: AT,
  memberId: 'b1',
  role: 'child',
  birthYear: 2025,
  birthMonth: 2,
  name: 'Noor',
  reason: 'birth',
  on: '2025-02-20',
  ...o,
});

const joined = (o: Partial<MemberJoined['data']> = {}, name = 'Noor'): MemberJoined => ({
  type: 'MemberJoined',
  data: {
    memberId: 'b1',
    role: 'child',
    birthYear: 2025,
    birthMonth: 2,
    reason: 'birth',
    on: '2025-02-20',
    recordedBy: 'anna',
    ...o,
  },
  personal: { persons: { [o.memberId ?? 'b1']: { name } } },
});

const leave = (o: Partial<LeaveMember> = {}): LeaveMember => ({
  type: 'LeaveMember',
  householdId: HH,
  actor: actor('anna'),
  at: AT,
  memberId: PARENT,
  reason: 'moved-out',
  on: '2025-03-01',
  ...o,
});

const left = (o: Partial<MemberLeft['data']> = {}): MemberLeft => ({
  type: 'MemberLeft',
  data: { memberId: PARENT, reason: 'moved-out', on: '2025-03-01', recordedBy: 'anna', ...o },
});

/** A household of one adult p1 (1988), a teenager t1 (January 2011: 14 in March 2025) and the child c1 (2015). */
const withTeen: HouseholdEvent[] = [
  registered(),
  joined({ memberId: 't1', birthYear: 2011, birthMonth: 1, reason: 'moved-in', on: '2025-03-01' }),
];

describe('issue 18: a birth date with its month, checked on the day of the act', () => {
  it('registers members with a birth month, kept in the event (the name only in personal)', () => {
    const [event] = householdDecider.decide(
      register({
        members: [
          { memberId: PARENT, role: 'parent', birthYear: 1988, birthMonth: 7, name: 'Fatima' },
          { memberId: CHILD, role: 'child', birthYear: 2015, name: 'Youssef' },
        ],
      }),
      householdDecider.initialState(),
    );
    expect(event).toMatchObject({
      type: 'HouseholdRegistered',
      data: {
        members: [
          { memberId: PARENT, role: 'parent', birthYear: 1988, birthMonth: 7 },
          { memberId: CHILD, role: 'child', birthYear: 2015 },
        ],
      },
    });
    expect(JSON.stringify(event.data)).not.toContain('Fatima');
  });

  it.each([
    ['a birth year after the year of the day', { birthYear: 2026 }, 'members[1].birthYear'],
    ['a birth month after the month of the day', { birthYear: 2025, birthMonth: 4 }, 'members[1].birthYear'],
    ['a birth year before 1900', { birthYear: 1899 }, 'members[1].birthYear'],
    ['a month outside 1..12', { birthYear: 2020, birthMonth: 13 }, 'members[1].birthYear'],
  ])('refuses %s (400 naming the member)', (_why, birth, field) => {
    household
      .given([])
      .when(
        register({
          members: [
            { memberId: PARENT, role: 'parent', birthYear: 1988, name: 'Fatima' },
            { memberId: CHILD, role: 'child', name: 'Youssef', ...birth },
          ],
        }),
      )
      .thenRefuses({ code: 'InvalidBirthDate', kind: 'invalid', details: { field } });
  });

  it('takes a newborn of the new year on 1 January (Amsterdam), whatever year the process started in', () => {
    const members = [
      { memberId: PARENT, role: 'parent' as const, birthYear: 2026, birthMonth: 1, name: 'Fatima' },
    ];
    // 2025-12-31T23:30Z is already 1 January 2026 in Amsterdam.
    expect(() =>
      householdDecider.decide(
        register({ members, at: '2025-12-31T23:30:00.000Z' }),
        householdDecider.initialState(),
      ),
    ).not.toThrow();
    household
      .given([])
      .when(register({ members, at: '2025-12-31T22:30:00.000Z' }))
      .thenRefuses({ code: 'InvalidBirthDate', kind: 'invalid', details: { field: 'members[0].birthYear' } });
  });
});

describe('issue 18: a member joins the household (AddMember -> MemberJoined)', () => {
  it('records a birth, the name in personal only; the state has the new member', () => {
    household.given([registered()]).when(addMember()).then([joined()]);
    const state = householdState([registered(), joined()]);
    expect(state.members.b1).toEqual({ memberId: 'b1', role: 'child', birthYear: 2025, birthMonth: 2 });
  });

  it('records someone moving in, without a birth month', () => {
    household
      .given([registered()])
      .when(
        addMember({
          memberId: 'o1',
          role: 'adult',
          birthYear: 1960,
          birthMonth: undefined,
          reason: 'moved-in',
          name: 'Opa',
        }),
      )
      .then([
        {
          type: 'MemberJoined',
          data: {
            memberId: 'o1',
            role: 'adult',
            birthYear: 1960,
            reason: 'moved-in',
            on: '2025-02-20',
            recordedBy: 'anna',
          },
          personal: { persons: { o1: { name: 'Opa' } } },
        },
      ]);
  });

  it("records a member also while the plan is closed: members are the household's, not the plan's", () => {
    household.given([registered(), closed()]).when(addMember()).then([joined()]);
  });

  it('refuses a member id used before, also by a member who left (409)', () => {
    household
      .given([registered()])
      .when(addMember({ memberId: CHILD }))
      .thenRefuses({ code: 'MemberAlreadyExists', kind: 'conflict' });
    household
      .given([registered(), joined({ memberId: 'x1', reason: 'moved-in' }), left({ memberId: 'x1' })])
      .when(addMember({ memberId: 'x1' }))
      .thenRefuses({ code: 'MemberAlreadyExists', kind: 'conflict' });
  });

  it("refuses a 31st current member and a 61st over the household's life (409, naming the caps)", () => {
    const details = { maxCurrentMembers: 30, maxMembers: 60 };
    const more = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => joined({ memberId: `x${from + i}`, reason: 'moved-in' }));
    // Registered with 2, 28 more: 30 at a time.
    household
      .given([registered(), ...more(0, 28)])
      .when(addMember())
      .thenRefuses({ code: 'MemberLimitReached', kind: 'conflict', details });
    household
      .given([registered(), ...more(0, 27)])
      .when(addMember())
      .then([joined()]);
    // 60 over its life, 22 of them here now.
    const gone = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => left({ memberId: `x${from + i}` }));
    household
      .given([
        registered(),
        ...more(0, 28),
        ...gone(0, 28),
        ...more(28, 56),
        ...gone(28, 38),
        ...more(56, 58),
      ])
      .when(addMember())
      .thenRefuses({
        code: 'MemberLimitReached',
        kind: 'conflict',
        details,
        message: 'this one has 22 and had 60',
      });
  });

  it('refuses a day after today (400 on)', () => {
    household
      .given([registered()])
      .when(addMember({ on: '2025-03-04', birthMonth: 3 }))
      .thenRefuses({ code: 'InvalidMemberDate', kind: 'invalid', details: { field: 'on' } });
  });

  it('refuses a birth date after the day they joined (400 birthYear)', () => {
    household
      .given([registered()])
      .when(addMember({ reason: 'moved-in', birthYear: 2025, birthMonth: 3, on: '2025-02-20' }))
      .thenRefuses({ code: 'InvalidBirthDate', kind: 'invalid', details: { field: 'birthYear' } });
  });

  it.each([
    ['another month', { birthMonth: 1 }],
    ['another year (month unknown)', { birthYear: 2024, birthMonth: undefined }],
  ])('refuses a birth whose day is not in the birth month (%s)', (_why, o) => {
    household
      .given([registered()])
      .when(addMember(o))
      .thenRefuses({ code: 'BirthNotOnJoinDate', kind: 'invalid', details: { field: 'on' } });
  });

  it('refuses a worker outside the team (403) and an unregistered household (404)', () => {
    household
      .given([registered()])
      .when(addMember({ actor: actor('karim') }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
    household.given([]).when(addMember()).thenRefuses({ code: 'HouseholdNotFound', kind: 'not-found' });
  });
});

describe('issue 18: a member leaves (LeaveMember -> MemberLeft)', () => {
  it('records a move out; the member stays in the state with left, no longer current', () => {
    household.given([registered()]).when(leave()).then([left()]);
    const state = householdState([registered(), left()]);
    expect(state.members[PARENT]).toMatchObject({ left: { on: '2025-03-01', reason: 'moved-out' } });
  });

  it('keeps the authority a member holds when they move out (gezag does not end by moving out)', () => {
    const state = householdState([registered(), authoritySet(), left()]);
    expect(state.members[CHILD]!.authority).toEqual([{ kind: 'member', memberId: PARENT }]);
  });

  it('refuses a member who already left (409), an unknown member (404), the last member (409)', () => {
    household
      .given([registered(), left()])
      .when(leave())
      .thenRefuses({ code: 'MemberAlreadyLeft', kind: 'conflict' });
    household
      .given([registered()])
      .when(leave({ memberId: 'zz' }))
      .thenRefuses({ code: 'MemberNotFound', kind: 'not-found' });
    household
      .given([registered(), left()])
      .when(leave({ memberId: CHILD, reason: 'other' }))
      .thenRefuses({ code: 'LastMemberCannotLeave', kind: 'conflict' });
  });

  it('refuses a day after today (400) and a worker outside the team (403)', () => {
    household
      .given([registered()])
      .when(leave({ on: '2025-03-04' }))
      .thenRefuses({ code: 'InvalidMemberDate', kind: 'invalid', details: { field: 'on' } });
    household
      .given([registered()])
      .when(leave({ actor: actor('karim') }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });

  it('a member who left no longer acts for the household (agreedBy 409)', () => {
    household
      .given([registered({ regie: 'anna' }), left()])
      .when(returnRegie())
      .thenRefuses({ code: 'MemberHasLeft', kind: 'conflict', details: { field: 'agreedBy' } });
  });
});

describe('issue 18: parental authority over a minor (SetAuthority -> AuthoritySet)', () => {
  it('records one member holder', () => {
    household.given([registered()]).when(setAuthority()).then([authoritySet()]);
  });

  it('records a member and an outside holder, the outside name in personal only', () => {
    household
      .given([registered()])
      .when(
        setAuthority({
          holders: [
            { kind: 'member', memberId: PARENT },
            { kind: 'external', holderId: 'gh1', name: 'Karim' },
          ],
        }),
      )
      .then([
        authoritySet({
          holders: [
            { kind: 'member', memberId: PARENT },
            { kind: 'external', holderId: 'gh1' },
          ],
          names: { gh1: 'Karim' },
        }),
      ]);
  });

  it('replaces earlier holders', () => {
    const state = householdState([
      registered(),
      authoritySet(),
      authoritySet({ holders: [{ kind: 'external', holderId: 'gh1' }] }),
    ]);
    expect(state.members[CHILD]!.authority).toEqual([{ kind: 'external', holderId: 'gh1' }]);
  });

  it('refuses an adult (409 NotAMinor): authority ends at 18', () => {
    household
      .given([registered()])
      .when(setAuthority({ memberId: PARENT, holders: [{ kind: 'external', holderId: 'gh1', name: 'X' }] }))
      .thenRefuses({ code: 'NotAMinor', kind: 'conflict' });
  });

  it.each([
    ['no holders', []],
    [
      'three holders',
      [
        { kind: 'external', holderId: 'a', name: 'A' },
        { kind: 'external', holderId: 'b', name: 'B' },
        { kind: 'external', holderId: 'c', name: 'C' },
      ],
    ],
    [
      'one holder twice',
      [
        { kind: 'member', memberId: PARENT },
        { kind: 'member', memberId: PARENT },
      ],
    ],
  ] as [string, SetAuthority['holders']][])('refuses %s (400)', (_why, holders) => {
    household
      .given([registered()])
      .when(setAuthority({ holders }))
      .thenRefuses({ code: 'InvalidAuthorityHolders', kind: 'invalid', details: { field: 'holders' } });
  });

  it('refuses the child as their own holder (400) and an unknown member holder (400)', () => {
    household
      .given([registered()])
      .when(setAuthority({ holders: [{ kind: 'member', memberId: CHILD }] }))
      .thenRefuses({
        code: 'InvalidAuthorityHolders',
        kind: 'invalid',
        details: { field: 'holders[0].memberId' },
      });
    household
      .given([registered()])
      .when(setAuthority({ holders: [{ kind: 'member', memberId: 'zz' }] }))
      .thenRefuses({ code: 'UnknownMember', kind: 'invalid', details: { field: 'holders[0].memberId' } });
  });

  it('refuses a minor as holder (art. 1:246 BW) and a member who left (409)', () => {
    household
      .given(withTeen)
      .when(setAuthority({ holders: [{ kind: 'member', memberId: 't1' }] }))
      .thenRefuses({ code: 'AuthorityHolderNotEligible', kind: 'conflict', message: 'a minor cannot hold' });
    household
      .given([...withTeen, left()])
      .when(setAuthority({ memberId: 't1', holders: [{ kind: 'member', memberId: PARENT }] }))
      .thenRefuses({ code: 'AuthorityHolderNotEligible', kind: 'conflict', message: 'left the household' });
  });

  it('refuses a child who left (409), an unknown child (404), a worker outside the team (403)', () => {
    household
      .given([...withTeen, left({ memberId: 't1' })])
      .when(setAuthority({ memberId: 't1' }))
      .thenRefuses({ code: 'MemberAlreadyLeft', kind: 'conflict' });
    household
      .given([registered()])
      .when(setAuthority({ memberId: 'zz' }))
      .thenRefuses({ code: 'MemberNotFound', kind: 'not-found' });
    household
      .given([registered()])
      .when(setAuthority({ by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });
});

describe('issue 18: the plan is agreed when every member has agreement from someone with capacity for them', () => {
  const plan = [registered(), authoritySet(), goalAdded()];

  it('records a partial agreement without PlanAgreed while a member still needs it', () => {
    // The child's only holder is outside the household: the parent's agreement covers the parent.
    const given = [
      registered(),
      authoritySet({ holders: [{ kind: 'external', holderId: 'gh1' }] }),
      goalAdded(),
    ];
    household.given(given).when(agree()).then([agreementRecorded()]);
    household
      .given([...given, agreementRecorded()])
      .when(agree({ holderId: 'gh1' }))
      .then([
        agreementRecorded({ party: { kind: 'external', holderId: 'gh1' } }),
        agreed({ agreedBy: 'gh1' }),
      ]);
  });

  it('needs a holder of authority for a child under 12, and none recorded: not agreed yet', () => {
    household.given([registered(), goalAdded()]).when(agree()).then([agreementRecorded()]);
  });

  it('refuses a party who decides for nobody: a child of 9 alone (409 NoCapacity naming what is missing)', () => {
    household
      .given(plan)
      .when(agree({ memberId: CHILD }))
      .thenRefuses({
        code: 'NoCapacity',
        kind: 'conflict',
        message: `member ${CHILD} is 9 (under 12)`,
        details: {
          missing: [
            `member ${PARENT} is 36 (16 or over): only they decide for themselves`,
            expect.stringContaining(`member ${CHILD} is 9 (under 12)`),
          ],
        },
      });
  });

  it('refuses an outside holder who holds no authority here (409 NoCapacity)', () => {
    household
      .given(plan)
      .when(agree({ holderId: 'stranger' }))
      .thenRefuses({ code: 'NoCapacity', kind: 'conflict', details: { missing: expect.any(Array) } });
  });

  it('asks a child of 12 to 15 and a holder both', () => {
    const given = [...withTeen, authoritySet(), authoritySet({ memberId: 't1' }), goalAdded()];
    household.given(given).when(agree()).then([agreementRecorded()]);
    household
      .given([...given, agreementRecorded()])
      .when(agree({ memberId: 't1' }))
      .then([agreementRecorded({ party: { kind: 'member', memberId: 't1' } }), agreed({ agreedBy: 't1' })]);
  });

  it('refuses the same party twice while agreement is missing (409, invariant 11)', () => {
    const given = [
      ...withTeen,
      authoritySet(),
      authoritySet({ memberId: 't1' }),
      goalAdded(),
      agreementRecorded(),
    ];
    household
      .given(given)
      .when(agree())
      .thenRefuses({
        code: 'PlanAgreementAlreadyRecorded',
        kind: 'conflict',
        invariant: 11,
        details: { missing: [expect.stringContaining('member t1 is 14')] },
      });
  });

  it('a change after a partial agreement starts a new revision and clears the agreements gathered', () => {
    const given = [
      ...withTeen,
      authoritySet(),
      authoritySet({ memberId: 't1' }),
      goalAdded(),
      agreementRecorded(),
    ];
    household
      .given(given)
      .when({
        type: 'AddGoal',
        householdId: HH,
        actor: actor('anna'),
        at: AT,
        goalId: 'g2',
        lifeDomain: 'housing',
        description: 'Schulden op een rij',
        limits: { maxGoals: 10, maxActions: 10 },
      })
      .then([goalAdded({ goalId: 'g2', lifeDomain: 'housing', revision: 2 })]);
    const after = [...given, goalAdded({ goalId: 'g2', lifeDomain: 'housing', revision: 2 })];
    household
      .given(after)
      .when(agree({ memberId: 't1' }))
      .then([agreementRecorded({ revision: 2, party: { kind: 'member', memberId: 't1' } })]);
  });

  it('a member who left is no longer asked: the gathered agreements complete with the next one', () => {
    // p1 agreed; t1 (14) had not; once t1 left, p1 agreeing again completes what is gathered.
    const given = [
      ...withTeen,
      authoritySet(),
      authoritySet({ memberId: 't1' }),
      goalAdded(),
      agreementRecorded(),
      left({ memberId: 't1' }),
    ];
    household.given(given).when(agree()).then([agreed()]);
  });

  it('a holder who moved out still agrees for the child, in effect from outside', () => {
    const given = [
      ...withTeen,
      joined({ memberId: 'p2', role: 'parent', birthYear: 1990, birthMonth: 5, reason: 'moved-in' }),
      authoritySet({ holders: [{ kind: 'member', memberId: PARENT }] }),
      goalAdded(),
      left({ memberId: 't1' }),
      left(),
    ];
    household
      .given(given)
      .when(agree({ memberId: PARENT }))
      .then([agreementRecorded()]);
  });
});

describe('issue 18: regie returns to the household with a member who decides for themselves (16+)', () => {
  it('takes the agreement of an adult member', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(returnRegie())
      .then([returned()]);
  });

  it.each([
    ['a child of 9', CHILD, [] as HouseholdEvent[]],
    [
      'a member of 15 (born March 2009, 15 until April)',
      'y1',
      [joined({ memberId: 'y1', birthYear: 2009, birthMonth: 3, reason: 'moved-in' })],
    ],
  ])('refuses %s (409 NoCapacity)', (_why, agreedBy, extra) => {
    household
      .given([registered({ regie: 'anna' }), ...extra])
      .when(returnRegie({ agreedBy }))
      .thenRefuses({
        code: 'NoCapacity',
        kind: 'conflict',
        details: { missing: [expect.stringContaining('16 or over')] },
      });
  });

  it('takes a member of 16 from the month after their birth month', () => {
    household
      .given([
        registered({ regie: 'anna' }),
        joined({ memberId: 'y1', birthYear: 2009, birthMonth: 2, reason: 'moved-in' }),
      ])
      .when(returnRegie({ agreedBy: 'y1' }))
      .then([returned({ agreedBy: 'y1' })]);
  });
});

describe('issue 18: minors for the VOG rule, by birth date and current membership', () => {
  it('counts a child by role and by birth date, and leaves out a member who left', () => {
    const state = householdState([...withTeen, left({ memberId: CHILD })]);
    expect(minorsOn(state, AT)).toEqual(['t1']);
  });

  it('counts someone turning 18 this month as a minor until the month after', () => {
    const state = householdState([
      registered(),
      joined({ memberId: 'e1', role: 'adult', birthYear: 2007, birthMonth: 3, reason: 'moved-in' }),
    ]);
    expect(minorsOn(state, AT)).toContain('e1');
    expect(minorsOn(state, '2025-04-01T10:00:00.000Z')).not.toContain('e1');
  });
});
