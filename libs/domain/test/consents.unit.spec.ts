import fc from 'fast-check';
import {
  checkCapacity,
  ConsentGiven,
  consentInForce,
  ConsentWithdrawn,
  decideHousehold,
  GiveConsent,
  HouseholdEvent,
  HouseholdState,
  membersWithoutConsent,
  Party,
  consentStatusOf,
  UwvConsentGiven,
  UwvConsentWithdrawn,
  WithdrawConsent,
} from '@eenplan/domain';
import { actor, CHILD, HH, household, householdState, PARENT, registered, WorkerId } from './fixtures';
import { expectRefusal } from './given-when-then';

/** The consent register (issue 18): per member, purpose and recipient, given by whoever has capacity. */

const TODAY = '2025-06-02';
const at = (date: string) => `${date}T11:00:00.000Z`;
const self = (memberId: string): Party => ({ kind: 'member', memberId });
const EXTERNAL: Party = { kind: 'external', holderId: 'gezag-1' };

const give = (
  o: Partial<Omit<GiveConsent, 'type' | 'actor'>> & { by?: WorkerId; on?: string } = {},
): GiveConsent => ({
  type: 'GiveConsent',
  householdId: HH,
  actor: actor(o.by ?? 'anna'),
  at: at(o.on ?? TODAY),
  consentId: o.consentId ?? 'c-1',
  memberId: o.memberId ?? PARENT,
  purpose: o.purpose ?? 'referral',
  recipient: o.recipient ?? 'org-1',
  givenBy: o.givenBy ?? [self(o.memberId ?? PARENT)],
  from: o.from,
  until: o.until,
});
const given = (o: Partial<ConsentGiven['data']> = {}): ConsentGiven => ({
  type: 'ConsentGiven',
  data: {
    consentId: 'c-1',
    memberId: PARENT,
    purpose: 'referral',
    recipient: 'org-1',
    givenBy: [self(o.memberId ?? PARENT)],
    from: TODAY,
    until: null,
    recordedBy: 'anna',
    givenAt: at(TODAY),
    ...o,
  },
});
const withdraw = (o: { consentId?: string; withdrawnBy?: Party[]; on?: string; by?: WorkerId } = {}) =>
  ({
    type: 'WithdrawConsent',
    householdId: HH,
    actor: actor(o.by ?? 'anna'),
    at: at(o.on ?? TODAY),
    consentId: o.consentId ?? 'c-1',
    withdrawnBy: o.withdrawnBy ?? [self(PARENT)],
  }) satisfies WithdrawConsent;
const withdrawn = (o: Partial<ConsentWithdrawn['data']> = {}): ConsentWithdrawn => ({
  type: 'ConsentWithdrawn',
  data: {
    consentId: 'c-1',
    memberId: PARENT,
    purpose: 'referral',
    recipient: 'org-1',
    withdrawnBy: [self(PARENT)],
    on: TODAY,
    recordedBy: 'anna',
    withdrawnAt: at(TODAY),
    ...o,
  },
});

/**
 * A household whose members are hand-set: the events that record birth months and parental
 * authority belong to the persons work (members.ts), so here the state is built and then given them.
 */
const withMembers = (
  events: HouseholdEvent[],
  members: Record<string, { birthYear: number; birthMonth?: number; authority?: Party[]; left?: string }>,
): HouseholdState => {
  const state = householdState([registered(), ...events]);
  const next = { ...state.members };
  for (const [memberId, m] of Object.entries(members)) {
    next[memberId] = {
      memberId,
      role: m.birthYear < 2007 ? 'parent' : 'child',
      birthYear: m.birthYear,
      ...(m.birthMonth === undefined ? {} : { birthMonth: m.birthMonth }),
      ...(m.authority === undefined ? {} : { authority: m.authority }),
      ...(m.left === undefined ? {} : { left: { on: m.left, reason: 'moved-out' } }),
    };
  }
  return { ...state, members: next };
};

describe('GiveConsent: one member, one purpose, one recipient', () => {
  it('records the consent from today, until withdrawn when no until is given', () => {
    household.given([registered()]).when(give()).then([given()]);
  });

  it('records a from in the future and an until', () => {
    household
      .given([registered()])
      .when(give({ from: '2025-07-01', until: '2025-12-31' }))
      .then([given({ from: '2025-07-01', until: '2025-12-31' })]);
  });

  it('refuses a consent id used before (409)', () => {
    household
      .given([registered(), given()])
      .when(give({ memberId: PARENT }))
      .thenRefuses({ code: 'ConsentIdAlreadyUsed', kind: 'conflict' });
  });

  it('refuses until before from, a backdated from and no calendar date (400)', () => {
    household
      .given([registered()])
      .when(give({ from: '2025-07-01', until: '2025-06-30' }))
      .thenRefuses({ code: 'ConsentDateInvalid', kind: 'invalid', details: { field: 'until' } });
    household
      .given([registered()])
      .when(give({ from: '2025-06-01' }))
      .thenRefuses({ code: 'ConsentDateInvalid', kind: 'invalid', details: { field: 'from' } });
    household
      .given([registered()])
      .when(give({ until: '2025-02-30' }))
      .thenRefuses({ code: 'ConsentDateInvalid', kind: 'invalid', details: { field: 'until' } });
  });

  it('accepts until on the day of from (one day)', () => {
    household
      .given([registered()])
      .when(give({ until: TODAY }))
      .then([given({ until: TODAY })]);
  });

  it('refuses a uwv-signals consent to anyone but uwv', () => {
    household
      .given([registered()])
      .when(give({ purpose: 'uwv-signals', recipient: 'org-1' }))
      .thenRefuses({ code: 'ConsentRecipientInvalid', kind: 'invalid', details: { field: 'recipient' } });
  });

  it('network-sharing goes to a member of the household’s network, not to anyone', () => {
    const added: HouseholdEvent = {
      type: 'NetworkMemberAdded',
      data: { networkMemberId: 'nm-1', role: 'neighbour', addedBy: 'anna', addedAt: at(TODAY) },
      personal: { name: 'Buurvrouw' },
    };
    household
      .given([registered(), added])
      .when(give({ purpose: 'network-sharing', recipient: 'nm-1' }))
      .then([given({ purpose: 'network-sharing', recipient: 'nm-1' })]);
    household
      .given([registered(), added])
      .when(give({ purpose: 'network-sharing', recipient: 'nm-2' }))
      .thenRefuses({ code: 'ConsentRecipientInvalid', kind: 'invalid', details: { field: 'recipient' } });
  });

  it('refuses an unknown member (400), and a member who left (409)', () => {
    household
      .given([registered()])
      .when(give({ memberId: 'nobody' }))
      .thenRefuses({ code: 'UnknownMember', kind: 'invalid', details: { field: 'memberId' } });
    household
      .given([registered()])
      .when(give({ givenBy: [self('nobody')] }))
      .thenRefuses({ code: 'UnknownMember', kind: 'invalid', details: { field: 'givenBy' } });
    const state = withMembers([], { [PARENT]: { birthYear: 1988, left: '2025-05-01' } });
    expectRefusal(() => decideHousehold(give(), state), {
      code: 'MemberHasLeft',
      kind: 'conflict',
      details: { field: 'memberId' },
    });
  });

  it('refuses a worker of another team (403)', () => {
    household
      .given([registered()])
      .when(give({ by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });

  it('refuses on a household that is not registered (404)', () => {
    household.given([]).when(give()).thenRefuses({ code: 'HouseholdNotFound', kind: 'not-found' });
  });
});

describe('capacity: who may consent for whom, on the day it is given (persons.ts)', () => {
  const teen = (birthYear: number, authority: Party[] = [self(PARENT), EXTERNAL]) =>
    withMembers([], { [CHILD]: { birthYear, birthMonth: 1, authority } });

  it('16 and over: the member alone; a parent alone is not enough', () => {
    const state = teen(2009); // 16 in June 2025
    expect(decideHousehold(give({ memberId: CHILD }), state)).toHaveLength(1);
    expectRefusal(() => decideHousehold(give({ memberId: CHILD, givenBy: [self(PARENT)] }), state), {
      code: 'NoCapacity',
      kind: 'conflict',
      details: {
        memberId: CHILD,
        age: 16,
        capacity: 'self',
        missing: `member ${CHILD} is 16 (16 or over): only they decide for themselves`,
      },
    });
  });

  it('12 to 15: the member and a holder both; either alone is refused, naming who is missing', () => {
    const state = teen(2011); // 14
    expect(
      decideHousehold(give({ memberId: CHILD, givenBy: [self(CHILD), EXTERNAL] }), state)[0],
    ).toMatchObject({ data: { givenBy: [self(CHILD), EXTERNAL] } });
    const error = expectRefusal(() => decideHousehold(give({ memberId: CHILD }), state), {
      code: 'NoCapacity',
      kind: 'conflict',
      details: expect.objectContaining({ age: 14, capacity: 'child-and-holder' }) as never,
    });
    expect(error.details?.missing).toContain('a holder of authority');
    const alone = expectRefusal(
      () => decideHousehold(give({ memberId: CHILD, givenBy: [self(PARENT)] }), state),
      {
        code: 'NoCapacity',
        kind: 'conflict',
        details: expect.objectContaining({ age: 14 }) as never,
      },
    );
    expect(alone.details?.missing).toContain('the member themselves');
  });

  it('under 12: a holder decides; the child alone, or a non-holder, is refused', () => {
    const state = teen(2015); // 10
    expect(decideHousehold(give({ memberId: CHILD, givenBy: [self(PARENT)] }), state)).toHaveLength(1);
    expectRefusal(() => decideHousehold(give({ memberId: CHILD, givenBy: [self(CHILD)] }), state), {
      code: 'NoCapacity',
      kind: 'conflict',
      details: expect.objectContaining({ capacity: 'authority-holders' }) as never,
    });
    const noHolders = teen(2015, []);
    const error = expectRefusal(
      () => decideHousehold(give({ memberId: CHILD, givenBy: [self(PARENT)] }), noHolders),
      { code: 'NoCapacity', kind: 'conflict', details: expect.objectContaining({ age: 10 }) as never },
    );
    expect(error.message).toContain('set it first');
  });

  it('the age on the day of the act counts: 15 in May, 16 in June', () => {
    const state = withMembers([], { [CHILD]: { birthYear: 2009, birthMonth: 5, authority: [self(PARENT)] } });
    expectRefusal(() => decideHousehold(give({ memberId: CHILD, on: '2025-05-20' }), state), {
      code: 'NoCapacity',
      kind: 'conflict',
      details: expect.objectContaining({ age: 15 }) as never,
    });
    expect(decideHousehold(give({ memberId: CHILD, on: '2025-06-01' }), state)).toHaveLength(1);
  });
});

describe('WithdrawConsent', () => {
  it('records the withdrawal, from today', () => {
    household.given([registered(), given()]).when(withdraw()).then([withdrawn()]);
  });

  it('refuses an unknown consent (404) and one already withdrawn (409)', () => {
    household
      .given([registered()])
      .when(withdraw())
      .thenRefuses({ code: 'ConsentNotFound', kind: 'not-found' });
    household
      .given([registered(), given(), withdrawn()])
      .when(withdraw())
      .thenRefuses({ code: 'ConsentAlreadyWithdrawn', kind: 'conflict' });
  });

  it('under the same capacity rule: a 16-year-old withdraws alone, a parent for a 10-year-old', () => {
    const sixteen = withMembers([given({ memberId: CHILD, givenBy: [self(CHILD)] })], {
      [CHILD]: { birthYear: 2009, birthMonth: 1, authority: [self(PARENT)] },
    });
    expect(decideHousehold(withdraw({ withdrawnBy: [self(CHILD)] }), sixteen)[0]).toMatchObject({
      type: 'ConsentWithdrawn',
      data: { memberId: CHILD, withdrawnBy: [self(CHILD)] },
    });
    expectRefusal(() => decideHousehold(withdraw({ withdrawnBy: [self(PARENT)] }), sixteen), {
      code: 'NoCapacity',
      kind: 'conflict',
      details: expect.objectContaining({ capacity: 'self' }) as never,
    });
    const ten = withMembers([given({ memberId: CHILD, givenBy: [self(PARENT)] })], {
      [CHILD]: { birthYear: 2015, authority: [self(PARENT)] },
    });
    expect(decideHousehold(withdraw({ withdrawnBy: [self(PARENT)] }), ten)).toHaveLength(1);
  });

  it('refuses a worker of another team (403)', () => {
    household
      .given([registered(), given()])
      .when(withdraw({ by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });
});

describe('in force on a day: from <= day <= until, not withdrawn on or before it', () => {
  const state = (events: HouseholdEvent[]) => householdState([registered(), ...events]);

  it('is in force from its first to its last day', () => {
    const s = state([given({ from: '2025-07-01', until: '2025-07-31' })]);
    const on = (day: string) => consentInForce(s, PARENT, 'referral', 'org-1', day) !== undefined;
    expect([on('2025-06-30'), on('2025-07-01'), on('2025-07-31'), on('2025-08-01')]).toEqual([
      false,
      true,
      true,
      false,
    ]);
    const c = s.consents['c-1']!;
    expect([
      consentStatusOf(c, '2025-06-30'),
      consentStatusOf(c, '2025-07-15'),
      consentStatusOf(c, '2025-08-01'),
    ]).toEqual(['not-yet', 'in-force', 'expired']);
  });

  it('is not in force from the day of its withdrawal', () => {
    const s = state([given(), withdrawn({ on: '2025-06-10' })]);
    expect(consentInForce(s, PARENT, 'referral', 'org-1', '2025-06-09')).toBeDefined();
    expect(consentInForce(s, PARENT, 'referral', 'org-1', '2025-06-10')).toBeUndefined();
    expect(consentStatusOf(s.consents['c-1']!, '2025-06-10')).toBe('withdrawn');
  });

  it('is for one member, purpose and recipient only', () => {
    const s = state([given()]);
    expect(consentInForce(s, CHILD, 'referral', 'org-1', TODAY)).toBeUndefined();
    expect(consentInForce(s, PARENT, 'network-sharing', 'org-1', TODAY)).toBeUndefined();
    expect(consentInForce(s, PARENT, 'referral', 'org-2', TODAY)).toBeUndefined();
    expect(membersWithoutConsent(s, 'referral', 'org-1', TODAY)).toEqual([CHILD]);
  });
});

describe('the upcaster: household-wide UWV consent is read as the consent of the member who gave it', () => {
  const old = (agreedBy: string, day: string): UwvConsentGiven => ({
    type: 'UwvConsentGiven',
    data: { agreedBy, recordedBy: 'anna', givenAt: at(day) },
  });
  const oldWithdrawn = (withdrawnBy: string, day: string): UwvConsentWithdrawn => ({
    type: 'UwvConsentWithdrawn',
    data: { withdrawnBy, recordedBy: 'anna', withdrawnAt: at(day) },
  });

  it('gives the member who agreed a uwv-signals consent to uwv, from the day it was given', () => {
    const s = householdState([registered(), old(PARENT, '2025-03-04')]);
    expect(s.consents).toEqual({
      'uwv-consent-1': {
        consentId: 'uwv-consent-1',
        memberId: PARENT,
        purpose: 'uwv-signals',
        recipient: 'uwv',
        givenBy: [self(PARENT)],
        from: '2025-03-04',
        until: null,
        givenAt: at('2025-03-04'),
        withdrawn: null,
        legacy: true,
      },
    });
    expect(consentInForce(s, CHILD, 'uwv-signals', 'uwv', TODAY)).toBeUndefined();
  });

  it('ends it on the old withdrawal, and numbers a later one anew', () => {
    const s = householdState([
      registered(),
      old(PARENT, '2025-03-04'),
      oldWithdrawn(CHILD, '2025-04-01'),
      old(PARENT, '2025-05-01'),
    ]);
    expect(s.consents['uwv-consent-1']!.withdrawn).toEqual({
      on: '2025-04-01',
      by: [self(CHILD)],
      at: at('2025-04-01'),
    });
    expect(s.consents['uwv-consent-2']).toMatchObject({
      memberId: PARENT,
      from: '2025-05-01',
      withdrawn: null,
    });
    expect(consentInForce(s, PARENT, 'uwv-signals', 'uwv', TODAY)?.consentId).toBe('uwv-consent-2');
  });

  it('an upcast consent is withdrawn through the register like any other', () => {
    household
      .given([registered(), old(PARENT, '2025-03-04')])
      .when(withdraw({ consentId: 'uwv-consent-1' }))
      .then([withdrawn({ consentId: 'uwv-consent-1', purpose: 'uwv-signals', recipient: 'uwv' })]);
  });
});

describe('property: giving and withdrawing consent follow checkCapacity exactly, at every age around 12, 16 and 18', () => {
  const PARTY_POOL: Party[] = [
    self(CHILD),
    self(PARENT),
    EXTERNAL,
    { kind: 'external', holderId: 'stranger' },
  ];

  it('a consent is recorded iff the parties have capacity for the member on the day; a withdrawal likewise', () => {
    fc.assert(
      fc.property(
        // Ages 10 to 19 on 2025-06-02, birth months on both sides of June.
        fc.integer({ min: 2005, max: 2015 }),
        fc.integer({ min: 1, max: 12 }),
        fc.subarray([self(PARENT), EXTERNAL]),
        fc.subarray(PARTY_POOL, { minLength: 1 }),
        (birthYear, birthMonth, authority, parties) => {
          const state = withMembers([], { [CHILD]: { birthYear, birthMonth, authority } });
          const expected = checkCapacity(
            { memberId: CHILD, birth: { year: birthYear, month: birthMonth }, authority },
            parties,
            TODAY,
          );
          const act = () => decideHousehold(give({ memberId: CHILD, givenBy: parties }), state);
          if (expected.missing === null) expect(act()).toHaveLength(1);
          else
            expectRefusal(act, {
              code: 'NoCapacity',
              kind: 'conflict',
              details: expect.anything() as never,
            });

          const withConsent = withMembers([given({ memberId: CHILD, givenBy: [self(CHILD)] })], {
            [CHILD]: { birthYear, birthMonth, authority },
          });
          const undo = () => decideHousehold(withdraw({ withdrawnBy: parties }), withConsent);
          if (expected.missing === null) expect(undo()).toHaveLength(1);
          else
            expectRefusal(undo, {
              code: 'NoCapacity',
              kind: 'conflict',
              details: expect.anything() as never,
            });
        },
      ),
    );
  });
});

describe('a consent stands, day by day: in force from its first day to its last, until withdrawn', () => {
  const consent = {
    consentId: 'c-days',
    memberId: PARENT,
    purpose: 'referral' as const,
    recipient: 'org-1',
    givenBy: [self(PARENT)],
    from: '2025-06-10',
    until: '2025-06-20',
    givenAt: at('2025-06-02'),
    withdrawn: null,
  };
  const withdrawnOn15 = {
    ...consent,
    withdrawn: { on: '2025-06-15', by: [self(PARENT)], at: at('2025-06-15') },
  };

  it.each([
    ['2025-06-09', 'not-yet'],
    ['2025-06-10', 'in-force'],
    ['2025-06-20', 'in-force'],
    ['2025-06-21', 'expired'],
  ] as const)('on %s it is %s', (day, status) => {
    expect(consentStatusOf(consent, day)).toBe(status);
  });

  it.each([
    ['2025-06-14', 'in-force'],
    ['2025-06-15', 'withdrawn'],
    ['2025-06-16', 'withdrawn'],
  ] as const)('withdrawn on the 15th: on %s it is %s', (day, status) => {
    expect(consentStatusOf(withdrawnOn15, day)).toBe(status);
  });

  it('refuses a from or until that is no calendar date', () => {
    for (const dates of [{ from: '2025-02-30' }, { until: '2025-13-01' }, { until: 'morgen' }]) {
      expectRefusal(() => decideHousehold(give(dates), householdState([registered()])), {
        code: 'ConsentDateInvalid',
        kind: 'invalid',
        details: { field: Object.keys(dates)[0] },
      });
    }
  });
});
