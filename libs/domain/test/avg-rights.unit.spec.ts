import {
  GOES_ON_WHILE_RESTRICTED,
  householdDecider,
  personsProcessedBy,
  type CorrectPersonalData,
  type EraseHouseholdData,
  type GiveUwvConsent,
  type HouseholdEvent,
  type LiftRestriction,
  type PersonalDataCorrected,
  type ProcessingRestricted,
  type RestrictionLifted,
  type RestrictProcessing,
  type WithdrawUwvConsent,
} from '@eenplan/domain';
import {
  actionAdded,
  actor,
  addGoal,
  agree,
  CHILD,
  closed,
  goalAdded,
  HH,
  household,
  householdState,
  PARENT,
  registered,
  returnRegie,
  T,
} from './fixtures';

const ADMIN = { id: 'admin-1', roles: ['admin'], teams: [] };
const GROUND = 'AVG art. 18, verzoek 2026-7';

const restrict = (o: Partial<RestrictProcessing> = {}): RestrictProcessing => ({
  type: 'RestrictProcessing',
  householdId: HH,
  actor: ADMIN,
  at: T(60),
  restrictionId: 'r1',
  ground: GROUND,
  ...o,
});
const restricted = (o: { memberId?: string; until?: string; id?: string } = {}): ProcessingRestricted => ({
  type: 'ProcessingRestricted',
  data: {
    restrictionId: o.id ?? 'r1',
    ...(o.memberId === undefined ? {} : { memberId: o.memberId }),
    ground: GROUND,
    ...(o.until === undefined ? {} : { until: o.until }),
    restrictedBy: 'admin-1',
    at: T(60),
  },
});
const lift = (o: Partial<LiftRestriction> = {}): LiftRestriction => ({
  type: 'LiftRestriction',
  householdId: HH,
  actor: ADMIN,
  at: T(90),
  restrictionId: 'r1',
  ...o,
});
const lifted = (): RestrictionLifted => ({
  type: 'RestrictionLifted',
  data: { restrictionId: 'r1', liftedBy: 'admin-1', at: T(90) },
});
const consent = (type: 'GiveUwvConsent' | 'WithdrawUwvConsent', memberId = PARENT) =>
  ({ type, householdId: HH, actor: actor('anna'), at: T(120), memberId }) as
    GiveUwvConsent | WithdrawUwvConsent;
const goalAt = (at: string) => ({ ...addGoal({ goalId: 'g2' }), at });

describe('restriction of processing (AVG art. 18)', () => {
  it('an administrator restricts the whole household; the event holds no name', () => {
    household.given([registered()]).when(restrict()).then([restricted()]);
  });

  it('an administrator restricts one person, until a date', () => {
    household
      .given([registered()])
      .when(restrict({ memberId: CHILD, until: T(600) }))
      .then([restricted({ memberId: CHILD, until: T(600) })]);
  });

  it('refuses anyone but an administrator', () => {
    household
      .given([registered()])
      .when(restrict({ actor: actor('anna') }))
      .thenRefuses({ code: 'NotAdmin', kind: 'forbidden' });
    household
      .given([registered(), restricted()])
      .when(lift({ actor: actor('lies') }))
      .thenRefuses({ code: 'NotAdmin', kind: 'forbidden' });
  });

  it('refuses an unknown household, an unknown member, a used id, a ground that names someone', () => {
    household.given([]).when(restrict()).thenRefuses({ code: 'HouseholdNotFound', kind: 'not-found' });
    household
      .given([registered()])
      .when(restrict({ memberId: 'nobody' }))
      .thenRefuses({ code: 'UnknownMember', kind: 'invalid', details: { field: 'memberId' } });
    household
      .given([registered(), restricted(), lifted()])
      .when(restrict({ at: T(100) }))
      .thenRefuses({ code: 'RestrictionAlreadyExists', kind: 'conflict' });
    household
      .given([registered()])
      .when(restrict({ ground: 'verzoek 12 van Jan Jansen' }))
      .thenRefuses({ code: 'GroundNotAReference', kind: 'invalid', details: { field: 'ground' } });
    household
      .given([registered()])
      .when(restrict({ until: T(10) }))
      .thenRefuses({ code: 'RestrictionUntilNotLater', kind: 'invalid', details: { field: 'until' } });
  });

  it('refuses a second restriction of the same scope while one is in force, naming it', () => {
    household
      .given([registered(), restricted()])
      .when(restrict({ restrictionId: 'r2' }))
      .thenRefuses({ code: 'AlreadyRestricted', kind: 'conflict', details: { restrictionId: 'r1' } });
    // Another scope is another restriction.
    household
      .given([registered(), restricted({ memberId: CHILD })])
      .when(restrict({ restrictionId: 'r2', memberId: PARENT }))
      .then([{ ...restricted({ memberId: PARENT, id: 'r2' }) }]);
  });

  it('while the household is restricted every other command is refused, naming the restriction', () => {
    for (const command of [goalAt(T(70)), agree({ at: T(70) }), consent('GiveUwvConsent')]) {
      household
        .given([registered(), goalAdded(), restricted()])
        .when(command)
        .thenRefuses({
          code: 'ProcessingRestricted',
          kind: 'conflict',
          details: { restrictionId: 'r1' },
          message: 'restriction r1',
        });
    }
  });

  it('storage, audit and erasure go on: erasure, a consent withdrawal, and lifting are not stopped', () => {
    const erase: EraseHouseholdData = {
      type: 'EraseHouseholdData',
      householdId: HH,
      actor: ADMIN,
      at: T(70),
      ground: 'AVG art. 17, verzoek 2026-118',
    };
    expect(householdDecider.decide(erase, householdState([registered(), closed(), restricted()]))).toEqual([
      { type: 'HouseholdDataErased', data: { erasedBy: 'admin-1', ground: erase.ground, erasedAt: T(70) } },
    ]);
    const consentGiven: HouseholdEvent = {
      type: 'UwvConsentGiven',
      data: { agreedBy: PARENT, recordedBy: 'anna', givenAt: T(50) },
    };
    expect(
      householdDecider
        .decide(consent('WithdrawUwvConsent'), householdState([registered(), consentGiven, restricted()]))
        .map((e) => e.type),
    ).toEqual(['ConsentWithdrawn']);
    household.given([registered(), restricted()]).when(lift()).then([lifted()]);
    expect(GOES_ON_WHILE_RESTRICTED).toEqual([
      'RestrictProcessing',
      'LiftRestriction',
      'EraseHouseholdData',
      'EraseMemberData',
      'WithdrawUwvConsent',
      'WithdrawConsent',
      'LeaveMember',
    ]);
  });

  it('lifting restores processing', () => {
    household
      .given([registered(), restricted(), lifted()])
      .when(goalAt(T(100)))
      .then([
        {
          type: 'GoalAdded',
          data: { goalId: 'g2', lifeDomain: 'finances', planRevision: 1 },
          personal: { description: 'Schulden op een rij' },
        },
      ]);
  });

  it('a restriction past its until is no longer in force', () => {
    household
      .given([registered(), restricted({ until: T(80) })])
      .when(goalAt(T(79)))
      .thenRefuses({
        code: 'ProcessingRestricted',
        kind: 'conflict',
        details: { restrictionId: 'r1' },
      });
    expect(
      householdDecider.decide(goalAt(T(80)), householdState([registered(), restricted({ until: T(80) })])),
    ).toHaveLength(1);
    household
      .given([registered(), restricted({ until: T(80) })])
      .when(lift())
      .thenRefuses({ code: 'RestrictionNotInForce', kind: 'conflict' });
  });

  it('lifting refuses an unknown or already lifted restriction', () => {
    household
      .given([registered()])
      .when(lift())
      .thenRefuses({ code: 'RestrictionNotFound', kind: 'not-found' });
    household
      .given([registered(), restricted(), lifted()])
      .when(lift())
      .thenRefuses({ code: 'RestrictionNotInForce', kind: 'conflict', message: 'lifted at' });
  });

  it("a person's restriction stops what processes that person, and nothing else", () => {
    const given = [registered(), goalAdded(), restricted({ memberId: PARENT })];
    household
      .given(given)
      .when(agree({ at: T(70), memberId: PARENT }))
      .thenRefuses({
        code: 'ProcessingRestricted',
        kind: 'conflict',
        details: { restrictionId: 'r1', memberId: PARENT },
        message: `member ${PARENT}`,
      });
    household
      .given(given)
      .when(consent('GiveUwvConsent', PARENT))
      .thenRefuses({
        code: 'ProcessingRestricted',
        kind: 'conflict',
        details: { restrictionId: 'r1', memberId: PARENT },
      });
    // The household goes on: a goal, and what concerns the other member.
    expect(householdDecider.decide(goalAt(T(70)), householdState(given))).toHaveLength(1);
    // What concerns the other member is not stopped by this restriction: the child (10, no holder of
    // authority recorded) is refused for capacity instead.
    let refusal: unknown;
    try {
      householdDecider.decide(consent('GiveUwvConsent', CHILD), householdState(given));
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'NoCapacity' });
  });

  it('the persons a command processes: the members it names', () => {
    expect(personsProcessedBy(agree({ memberId: CHILD }))).toEqual([CHILD]);
    expect(personsProcessedBy(returnRegie({ agreedBy: PARENT }))).toEqual([PARENT]);
    expect(personsProcessedBy(addGoal())).toEqual([]);
  });

  it("a person's restriction stops regie returning to the household with their agreement", () => {
    household
      .given([registered({ regie: 'anna' }), restricted({ memberId: PARENT })])
      .when(returnRegie({ agreedBy: PARENT, at: T(70) }))
      .thenRefuses({
        code: 'ProcessingRestricted',
        kind: 'conflict',
        details: { restrictionId: 'r1', memberId: PARENT },
      });
  });

  it('the state keeps lifted restrictions, for the list', () => {
    expect(householdState([registered(), restricted(), lifted()]).restrictions).toEqual({
      r1: {
        restrictionId: 'r1',
        ground: GROUND,
        restrictedBy: 'admin-1',
        at: T(60),
        lifted: { by: 'admin-1', at: T(90) },
      },
    });
  });
});

const correct = (o: Partial<CorrectPersonalData> = {}): CorrectPersonalData => ({
  type: 'CorrectPersonalData',
  householdId: HH,
  actor: actor('anna'),
  at: T(60),
  correctionId: 'k1',
  field: 'memberName',
  memberId: PARENT,
  value: 'Fatima El Amrani',
  current: 'Fatima',
  ...o,
});
const corrected = (
  data: Partial<PersonalDataCorrected['data']> = {},
  personal?: Record<string, unknown>,
): PersonalDataCorrected => ({
  type: 'PersonalDataCorrected',
  data: {
    correctionId: 'k1',
    field: 'memberName',
    memberId: PARENT,
    correctedBy: 'anna',
    at: T(60),
    ...data,
  },
  ...(personal === undefined ? {} : { personal }),
});

describe('corrections (AVG art. 16)', () => {
  it("a member's name: the new name in personal.persons[memberId], never in data", () => {
    household
      .given([registered()])
      .when(correct())
      .then([corrected({}, { persons: { [PARENT]: { name: 'Fatima El Amrani' } } })]);
  });

  it("a member's birth year and month go in data, and the state shows them", () => {
    const event = corrected({ field: 'memberBirth', birth: { year: 1987, month: 4 } });
    household
      .given([registered()])
      .when(correct({ field: 'memberBirth', value: '1987-04', current: undefined }))
      .then([event]);
    expect(householdState([registered(), event]).members[PARENT]).toEqual({
      memberId: PARENT,
      role: 'parent',
      birthYear: 1987,
      birthMonth: 4,
    });
  });

  it("a goal's and an action's description, with a ground", () => {
    household
      .given([registered(), goalAdded()])
      .when(
        correct({
          field: 'goalDescription',
          memberId: undefined,
          goalId: 'g1',
          value: 'Schulden',
          ground: 'verzoek 2026-9',
        }),
      )
      .then([
        {
          type: 'PersonalDataCorrected',
          data: {
            correctionId: 'k1',
            field: 'goalDescription',
            goalId: 'g1',
            ground: 'verzoek 2026-9',
            correctedBy: 'anna',
            at: T(60),
          },
          personal: { description: 'Schulden' },
        },
      ]);
    household
      .given([registered(), goalAdded(), actionAdded()])
      .when(correct({ field: 'actionDescription', memberId: undefined, actionId: 'a1', value: 'Coach' }))
      .then([
        {
          type: 'PersonalDataCorrected',
          data: {
            correctionId: 'k1',
            field: 'actionDescription',
            actionId: 'a1',
            correctedBy: 'anna',
            at: T(60),
          },
          personal: { description: 'Coach' },
        },
      ]);
  });

  it('goes on after the plan closed: the right to correct does not end with the plan', () => {
    household
      .given([registered(), closed()])
      .when(correct())
      .then([corrected({}, { persons: { [PARENT]: { name: 'Fatima El Amrani' } } })]);
  });

  it('refuses nothing to correct (the same value), 409', () => {
    household
      .given([registered()])
      .when(correct({ value: 'Fatima' }))
      .thenRefuses({ code: 'NothingToCorrect', kind: 'conflict' });
    household
      .given([registered()])
      .when(correct({ field: 'memberBirth', value: '1988' }))
      .thenRefuses({ code: 'NothingToCorrect', kind: 'conflict' });
  });

  it('refuses an unknown member, goal or action (404) and a missing one (400)', () => {
    household
      .given([registered()])
      .when(correct({ memberId: 'nobody' }))
      .thenRefuses({ code: 'CorrectionTargetNotFound', kind: 'not-found' });
    household
      .given([registered()])
      .when(correct({ field: 'goalDescription', memberId: undefined, goalId: 'g9' }))
      .thenRefuses({ code: 'CorrectionTargetNotFound', kind: 'not-found' });
    household
      .given([registered()])
      .when(correct({ field: 'actionDescription', memberId: undefined }))
      .thenRefuses({ code: 'CorrectionTargetRequired', kind: 'invalid', details: { field: 'actionId' } });
  });

  it('refuses a value that cannot be: a birth in the future, a badly written one, an empty name', () => {
    for (const value of ['2026-01', '1987-13', '87', '1899']) {
      household
        .given([registered()])
        .when(correct({ field: 'memberBirth', value }))
        .thenRefuses({ code: 'InvalidCorrectionValue', kind: 'invalid', details: { field: 'value' } });
    }
    household
      .given([registered()])
      .when(correct({ value: ' ' }))
      .thenRefuses({ code: 'InvalidCorrectionValue', kind: 'invalid', details: { field: 'value' } });
    household
      .given([registered()])
      .when(correct({ value: 'x'.repeat(201) }))
      .thenRefuses({ code: 'InvalidCorrectionValue', kind: 'invalid', details: { field: 'value' } });
  });

  it('refuses a used correction id, a ground that names someone, and anyone not working on the household', () => {
    const first = corrected({}, { persons: { [PARENT]: { name: 'Fatima El Amrani' } } });
    household
      .given([registered(), first])
      .when(correct({ value: 'F. El Amrani' }))
      .thenRefuses({ code: 'CorrectionAlreadyExists', kind: 'conflict' });
    household
      .given([registered()])
      .when(correct({ ground: 'verzoek 3 van Jan Jansen' }))
      .thenRefuses({ code: 'GroundNotAReference', kind: 'invalid', details: { field: 'ground' } });
    household
      .given([registered()])
      .when(correct({ actor: actor('karim') }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
    household.given([]).when(correct()).thenRefuses({ code: 'HouseholdNotFound', kind: 'not-found' });
  });

  it("refuses while the household or that person is restricted; another person's goes on", () => {
    household
      .given([registered(), restricted()])
      .when(correct({ at: T(70) }))
      .thenRefuses({ code: 'ProcessingRestricted', kind: 'conflict', details: { restrictionId: 'r1' } });
    household
      .given([registered(), restricted({ memberId: PARENT })])
      .when(correct({ at: T(70) }))
      .thenRefuses({
        code: 'ProcessingRestricted',
        kind: 'conflict',
        details: { restrictionId: 'r1', memberId: PARENT },
      });
    expect(
      householdDecider.decide(
        correct({ at: T(70), memberId: CHILD, current: 'Youssef', value: 'Yusuf' }),
        householdState([registered(), restricted({ memberId: PARENT })]),
      ),
    ).toHaveLength(1);
  });
});
