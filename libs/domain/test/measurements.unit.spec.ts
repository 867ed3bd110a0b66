import {
  MAX_REFUSED_INBOUND_SIGNALS,
  assessedMember,
  AssessmentRecorded,
  HouseholdRegistered,
  householdDecider,
  HouseholdState,
  LIFE_DOMAINS,
  publicationOf,
  QuestionRegistered,
  RecordAssessment,
  RecordWorkIncomeSignal,
  SignalPublication,
  UwvConsentGiven,
  UwvConsentWithdrawn,
  uwvConsentStanding,
  ConsentGiven,
  ConsentWithdrawn,
  WorkIncomeSignalRecorded,
  ZrmScores,
  zrmProgress,
} from '@eenplan/domain';
import {
  actor,
  CHILD,
  closed,
  DISTRICT,
  HH,
  household,
  householdState,
  PARENT,
  registered,
  WorkerId,
} from './fixtures';
import { expectRefusal, stateAfter } from './given-when-then';

const at = (date: string) => `${date}T11:00:00.000Z`;
const TODAY = '2025-06-02';
const scoresOf = (value: number, overrides: Partial<Record<string, number>> = {}) =>
  ({ ...Object.fromEntries(LIFE_DOMAINS.map((d) => [d, value])), ...overrides }) as ZrmScores;

// ---- ZRM assessments ----------------------------------------------------------------------------

const assess = (
  o: { id?: string; member?: string; scores?: Record<string, number>; on?: string; by?: WorkerId } = {},
): RecordAssessment => ({
  type: 'RecordAssessment',
  householdId: HH,
  actor: actor(o.by ?? 'anna'),
  at: at(TODAY),
  assessmentId: o.id ?? 'z1',
  memberId: o.member ?? PARENT,
  assessedOn: o.on,
  scores: o.scores ?? scoresOf(3),
});
const assessed = (
  o: { id?: string; member?: string; scores?: ZrmScores; on?: string } = {},
): AssessmentRecorded => ({
  type: 'AssessmentRecorded',
  data: {
    assessmentId: o.id ?? 'z1',
    memberId: o.member ?? PARENT,
    assessedOn: o.on ?? TODAY,
    scores: o.scores ?? scoresOf(3),
    assessedBy: 'anna',
    recordedAt: at(TODAY),
  },
});
/** As the release before issue 18 wrote it (schema v1): the household as a whole, no member. */
const assessedHousehold = (o: { id?: string; on?: string } = {}): AssessmentRecorded => ({
  type: 'AssessmentRecorded',
  data: {
    assessmentId: o.id ?? 'z0',
    assessedOn: o.on ?? TODAY,
    scores: scoresOf(2),
    assessedBy: 'anna',
    recordedAt: at(o.on ?? TODAY),
  },
});

/** The fixture household with two more members: a second adult, and one born in July 2007. */
const OTHER_ADULT = 'm-grandma';
const TEEN = 'm-teen';
const MAY_2007 = 'm-may-2007';
const registeredWithMore = (): HouseholdRegistered => {
  const base = registered();
  return {
    ...base,
    data: {
      ...base.data,
      members: [
        ...base.data.members,
        { memberId: OTHER_ADULT, role: 'adult', birthYear: 1950 },
        { memberId: TEEN, role: 'child', birthYear: 2007, birthMonth: 7 },
        { memberId: MAY_2007, role: 'child', birthYear: 2007, birthMonth: 5 },
      ],
    },
  };
};

describe('ZRM 2017 assessments: 13 life domains, each 1-5, immutable', () => {
  it('records a score for every life domain', () => {
    household.given([registered()]).when(assess()).then([assessed()]);
  });

  it('records after the plan closed: measurements belong to the household', () => {
    household.given([registered(), closed()]).when(assess()).then([assessed()]);
  });

  it.each(LIFE_DOMAINS)('refuses an assessment without %s', (domain) => {
    const scores: Record<string, number> = { ...scoresOf(3) };
    delete scores[domain];
    household
      .given([registered()])
      .when(assess({ scores }))
      .thenRefuses({ code: 'IncompleteAssessment', kind: 'invalid', details: { field: `scores.${domain}` } });
  });

  it.each([0, 6, 2.5, -1])('refuses a score of %s', (score) => {
    household
      .given([registered()])
      .when(assess({ scores: scoresOf(3, { housing: score }) }))
      .thenRefuses({ code: 'IncompleteAssessment', kind: 'invalid', details: { field: 'scores.housing' } });
  });

  it('refuses a domain that is not in the ZRM 2017', () => {
    household
      .given([registered()])
      .when(assess({ scores: scoresOf(3, { happiness: 4 }) }))
      .thenRefuses({ code: 'IncompleteAssessment', kind: 'invalid', details: { field: 'scores.happiness' } });
  });

  it('never changes a recorded measurement: the same id is refused', () => {
    household
      .given([registered(), assessed()])
      .when(assess({ scores: scoresOf(5) }))
      .thenRefuses({ code: 'AssessmentAlreadyRecorded', kind: 'conflict' });
  });

  it('refuses a date in the future and one before the latest assessment', () => {
    household
      .given([registered()])
      .when(assess({ on: '2025-06-03' }))
      .thenRefuses({ code: 'InvalidAssessmentDate', kind: 'invalid', details: { field: 'assessedOn' } });
    household
      .given([registered(), assessed({ on: '2025-05-01' })])
      .when(assess({ id: 'z2', on: '2025-04-30' }))
      .thenRefuses({ code: 'AssessmentOutOfOrder', kind: 'conflict' });
  });

  it('accepts the edges of the scale, 1 and 5', () => {
    household
      .given([registered()])
      .when(assess({ scores: scoresOf(1, { housing: 5 }) }))
      .then([assessed({ scores: scoresOf(1, { housing: 5 }) })]);
  });

  it('says which domain is missing and which score is wrong, each in its own words', () => {
    const scores: Record<string, number> = { ...scoresOf(3), housing: 7, happiness: 4 };
    delete scores.finances;
    household
      .given([registered()])
      .when(assess({ scores }))
      .thenRefuses({
        code: 'IncompleteAssessment',
        kind: 'invalid',
        details: { field: 'scores.finances' },
        message:
          'scores.finances is required: every life domain is scored; scores.housing must be a whole number from 1 to 5; scores.happiness is not a ZRM 2017 life domain',
      });
  });

  it('records a later assessment, and a second one on the same day as the latest', () => {
    household
      .given([registered(), assessed({ on: '2025-05-01' })])
      .when(assess({ id: 'z2', on: '2025-05-02' }))
      .then([assessed({ id: 'z2', on: '2025-05-02' })]);
    household
      .given([registered(), assessed({ on: '2025-05-01' })])
      .when(assess({ id: 'z2', on: '2025-05-01' }))
      .then([assessed({ id: 'z2', on: '2025-05-01' })]);
  });

  it('keeps notes apart as personal data', () => {
    household
      .given([registered()])
      .when({ ...assess(), notes: 'Schulden bij de woningbouw' })
      .then([{ ...assessed(), personal: { notes: 'Schulden bij de woningbouw' } }]);
  });

  it('refuses a worker of another team', () => {
    household
      .given([registered()])
      .when(assess({ by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });

  it('progress is the later score minus the earlier, per life domain', () => {
    const progress = zrmProgress(scoresOf(2, { finances: 1 }), scoresOf(3, { finances: 4, justice: 2 }));
    expect(progress).toEqual({
      ...Object.fromEntries(LIFE_DOMAINS.map((d) => [d, 1])),
      finances: 3,
      justice: 0,
    });
  });
});

describe('the ZRM per adult (issue 18): an assessment measures one current adult member', () => {
  it('names the member it measures', () => {
    household
      .given([registeredWithMore()])
      .when(assess({ member: OTHER_ADULT }))
      .then([assessed({ member: OTHER_ADULT })]);
  });

  it('refuses a member who is 17 on the day of the assessment, and a child', () => {
    household
      .given([registeredWithMore()])
      .when(assess({ member: TEEN }))
      .thenRefuses({
        code: 'NotAnAdultMember',
        kind: 'conflict',
        message: 'under 18 on 2025-06-02 (age 17)',
      });
    household
      .given([registeredWithMore()])
      .when(assess({ member: CHILD }))
      .thenRefuses({ code: 'NotAnAdultMember', kind: 'conflict' });
  });

  it('asks the age on the day assessed, not the day recorded: 18 from the month after the birth month', () => {
    household
      .given([registeredWithMore()])
      .when(assess({ member: MAY_2007, on: '2025-06-01' }))
      .then([assessed({ member: MAY_2007, on: '2025-06-01' })]);
    household
      .given([registeredWithMore()])
      .when(assess({ member: MAY_2007, on: '2025-05-31' }))
      .thenRefuses({ code: 'NotAnAdultMember', kind: 'conflict', message: 'age 17' });
  });

  it('refuses a member who left the household', () => {
    const state = stateAfter(householdDecider, [registeredWithMore()]);
    const left: HouseholdState = {
      ...state,
      members: {
        ...state.members,
        [OTHER_ADULT]: { ...state.members[OTHER_ADULT]!, left: { on: '2025-05-01', reason: 'moved-out' } },
      },
    };
    expectRefusal(() => householdDecider.decide(assess({ member: OTHER_ADULT }), left), {
      code: 'MemberHasLeft',
      kind: 'conflict',
      message: 'left the household on 2025-05-01',
      details: { field: 'memberId' },
    });
    // The others are assessed as before.
    expect(householdDecider.decide(assess(), left)).toEqual([assessed()]);
  });

  it.each(['m-nobody', 'constructor', 'toString', '__proto__'])(
    'refuses a member the household does not have (%s), naming the field',
    (member) => {
      household
        .given([registered()])
        .when(assess({ member }))
        .thenRefuses({ code: 'UnknownMember', kind: 'invalid', details: { field: 'memberId' } });
    },
  );

  it("keeps each member's assessments in order, apart from the others'", () => {
    household
      .given([registeredWithMore(), assessed({ on: '2025-05-01' })])
      .when(assess({ id: 'z2', member: OTHER_ADULT, on: '2025-04-01' }))
      .then([assessed({ id: 'z2', member: OTHER_ADULT, on: '2025-04-01' })]);
    household
      .given([
        registeredWithMore(),
        assessed({ on: '2025-05-01' }),
        assessed({ id: 'z2', member: OTHER_ADULT, on: '2025-04-01' }),
      ])
      .when(assess({ id: 'z3', on: '2025-04-30' }))
      .thenRefuses({
        code: 'AssessmentOutOfOrder',
        kind: 'conflict',
        message: `member ${PARENT}'s latest assessment (2025-05-01)`,
      });
  });

  it('reads a household-wide assessment of before issue 18 as its own series: no order for a person, its id still taken', () => {
    const state = stateAfter(householdDecider, [registered(), assessedHousehold({ on: '2025-05-01' })]);
    expect(state.assessments).toEqual({ assessmentIds: ['z0'], lastAssessedOn: {} });
    expect(assessedMember(assessedHousehold().data)).toBeNull();
    expect(assessedMember(assessed().data)).toBe(PARENT);
    household
      .given([registered(), assessedHousehold({ on: '2025-05-01' })])
      .when(assess({ on: '2025-04-01' }))
      .then([assessed({ on: '2025-04-01' })]);
    household
      .given([registered(), assessedHousehold()])
      .when(assess({ id: 'z0' }))
      .thenRefuses({ code: 'AssessmentAlreadyRecorded', kind: 'conflict' });
  });
});

// ---- consent and signals ------------------------------------------------------------------------

const consentGiven = (agreedBy = PARENT): UwvConsentGiven => ({
  type: 'UwvConsentGiven',
  data: { agreedBy, recordedBy: 'anna', givenAt: at(TODAY) },
});
const consentWithdrawn = (withdrawnBy = PARENT): UwvConsentWithdrawn => ({
  type: 'UwvConsentWithdrawn',
  data: { withdrawnBy, recordedBy: 'anna', withdrawnAt: at(TODAY) },
});
const signal = (
  o: {
    direction?: 'inbound' | 'outbound';
    legalBasis?: string;
    id?: string;
    by?: WorkerId | 'uwv';
    about?: string | null;
  } = {},
): RecordWorkIncomeSignal => ({
  type: 'RecordWorkIncomeSignal',
  householdId: HH,
  actor: o.by === 'uwv' ? { id: 'uwv', roles: ['integrator'], teams: [] } : actor(o.by ?? 'anna'),
  at: at(TODAY),
  signalId: o.id ?? 's1',
  direction: o.direction ?? 'outbound',
  category: 'work-started',
  legalBasis: o.legalBasis,
  memberId: o.about === null ? undefined : (o.about ?? PARENT),
  description: 'Vader is begonnen bij de bakker',
});
const signalled = (
  publication: SignalPublication,
  o: { direction?: 'inbound' | 'outbound'; id?: string; by?: string; about?: string | null } = {},
): WorkIncomeSignalRecorded => ({
  type: 'WorkIncomeSignalRecorded',
  data: {
    signalId: o.id ?? 's1',
    ...(o.about === null ? {} : { memberId: o.about ?? PARENT }),
    direction: o.direction ?? 'outbound',
    category: 'work-started',
    recordedBy: o.by ?? 'anna',
    recordedAt: at(TODAY),
    publication,
  },
  personal: { description: 'Vader is begonnen bij de bakker' },
});
const consent = (
  type: 'GiveUwvConsent' | 'WithdrawUwvConsent',
  memberId = PARENT,
  by: WorkerId = 'anna',
) => ({
  type,
  householdId: HH,
  actor: actor(by),
  at: at(TODAY),
  memberId,
});

/** What the deprecated GiveUwvConsent shim writes now: the member's own consent in the register. */
const registerConsent = (id = 'uwv-consent-1', memberId = PARENT): ConsentGiven => ({
  type: 'ConsentGiven',
  data: {
    consentId: id,
    memberId,
    purpose: 'uwv-signals',
    recipient: 'uwv',
    givenBy: [{ kind: 'member', memberId }],
    from: TODAY,
    until: null,
    recordedBy: 'anna',
    givenAt: at(TODAY),
  },
});
const registerWithdrawal = (id = 'uwv-consent-1', memberId = PARENT): ConsentWithdrawn => ({
  type: 'ConsentWithdrawn',
  data: {
    consentId: id,
    memberId,
    purpose: 'uwv-signals',
    recipient: 'uwv',
    withdrawnBy: [{ kind: 'member', memberId }],
    on: TODAY,
    recordedBy: 'anna',
    withdrawnAt: at(TODAY),
  },
});

describe('invariant 15: consent for sharing with UWV is given and withdrawn by a member (deprecated shims)', () => {
  it('records the member’s own consent in the register', () => {
    household.given([registered()]).when(consent('GiveUwvConsent')).then([registerConsent()]);
  });

  it('a child under 16 cannot consent alone any more: capacity (persons.ts)', () => {
    household
      .given([registered()])
      .when(consent('GiveUwvConsent', CHILD))
      .thenRefuses({
        code: 'NoCapacity',
        kind: 'conflict',
        details: expect.objectContaining({ memberId: CHILD, capacity: 'authority-holders' }) as never,
      });
  });

  it('refuses a member the household does not have', () => {
    household
      .given([registered()])
      .when(consent('GiveUwvConsent', 'nobody'))
      .thenRefuses({ code: 'UnknownMember', kind: 'invalid', details: { field: 'memberId' } });
  });

  it('refuses consent that is already given, and a withdrawal without consent', () => {
    household
      .given([registered(), consentGiven()])
      .when(consent('GiveUwvConsent'))
      .thenRefuses({ code: 'ConsentAlreadyGiven', kind: 'conflict', invariant: 15 });
    household
      .given([registered(), registerConsent()])
      .when(consent('GiveUwvConsent'))
      .thenRefuses({ code: 'ConsentAlreadyGiven', kind: 'conflict', invariant: 15 });
    household
      .given([registered()])
      .when(consent('WithdrawUwvConsent'))
      .thenRefuses({ code: 'NoConsentToWithdraw', kind: 'conflict', invariant: 15 });
  });

  it('withdraws the member’s own consent (an old household-wide one too), and it can be given again', () => {
    household
      .given([registered(), consentGiven()])
      .when(consent('WithdrawUwvConsent'))
      .then([registerWithdrawal()]);
    // Another member no longer withdraws someone else's consent.
    household
      .given([registered(), consentGiven()])
      .when(consent('WithdrawUwvConsent', CHILD))
      .thenRefuses({ code: 'NoConsentToWithdraw', kind: 'conflict', invariant: 15 });
    household
      .given([registered(), consentGiven(), consentWithdrawn()])
      .when(consent('GiveUwvConsent'))
      .then([registerConsent('uwv-consent-2')]);
  });

  it('refuses a worker of another team', () => {
    household
      .given([registered()])
      .when(consent('GiveUwvConsent', PARENT, 'karim'))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });
});

describe('invariant 14: a signal is published only with consent or a legal basis, else it says why not', () => {
  it('publishes an outbound signal with consent', () => {
    household
      .given([registered(), consentGiven()])
      .when(signal())
      .then([signalled({ publish: true, basis: 'consent' })]);
  });

  it('publishes an outbound signal with a legal basis, without consent', () => {
    household
      .given([registered()])
      .when(signal({ legalBasis: 'Participatiewet art. 64' }))
      .then([signalled({ publish: true, basis: 'legal-basis', legalBasis: 'Participatiewet art. 64' })]);
  });

  it('keeps a signal without consent or legal basis internal, and says why', () => {
    household
      .given([registered()])
      .when(signal())
      .then([
        signalled({
          publish: false,
          internalReason: `no consent of member ${PARENT} for sharing with UWV and no legal basis recorded`,
        }),
      ]);
  });

  it('only the consent of the member the signal is about publishes it', () => {
    household
      .given([registered(), registerConsent()])
      .when(signal({ about: CHILD }))
      .then([
        signalled(
          {
            publish: false,
            internalReason: `no consent of member ${CHILD} for sharing with UWV and no legal basis recorded`,
          },
          { about: CHILD },
        ),
      ]);
    household
      .given([registered(), registerConsent()])
      .when(signal({ about: null }))
      .then([
        signalled(
          {
            publish: false,
            internalReason:
              'the signal names no member, so no consent covers it, and no legal basis is recorded',
          },
          { about: null },
        ),
      ]);
    household
      .given([registered()])
      .when(signal({ about: 'nobody' }))
      .thenRefuses({ code: 'UnknownMember', kind: 'invalid', details: { field: 'memberId' } });
  });

  it('invariant 15: a signal after a withdrawal follows the withdrawal', () => {
    household
      .given([registered(), consentGiven(), consentWithdrawn()])
      .when(signal())
      .then([
        signalled({
          publish: false,
          internalReason: `consent of member ${PARENT} for sharing with UWV was withdrawn (${TODAY}) and no legal basis is recorded`,
        }),
      ]);
  });

  it('inbound signals from UWV need consent or a legal basis, and are never sent back', () => {
    // Without grounds the signal is not taken in, its description not kept: only that it came.
    household
      .given([registered()])
      .when(signal({ direction: 'inbound', by: 'uwv' }))
      .then([
        {
          type: 'InboundSignalRefused',
          data: {
            signalId: 's1',
            category: 'work-started',
            receivedBy: 'uwv',
            receivedAt: at(TODAY),
            reason: 'no-grounds',
          },
        },
      ]);
    household
      .given([registered(), consentGiven(), consentWithdrawn()])
      .when(signal({ direction: 'inbound', by: 'uwv' }))
      .then([
        {
          type: 'InboundSignalRefused',
          data: {
            signalId: 's1',
            category: 'work-started',
            receivedBy: 'uwv',
            receivedAt: at(TODAY),
            reason: 'no-grounds',
          },
        },
      ]);
    const refusal = {
      type: 'InboundSignalRefused' as const,
      data: {
        signalId: 's1',
        category: 'work-started' as const,
        receivedBy: 'uwv',
        receivedAt: at(TODAY),
        reason: 'no-grounds' as const,
      },
    };
    // Sent again while there are still no grounds: nothing new is recorded.
    household
      .given([registered(), refusal])
      .when(signal({ direction: 'inbound', by: 'uwv' }))
      .thenRefuses({ code: 'SignalAlreadyRefused', kind: 'conflict', invariant: 14 });
    // Sent again once the household consented: taken in now (the refusal did not use up its id).
    household
      .given([registered(), refusal, consentGiven()])
      .when(signal({ direction: 'inbound', by: 'uwv' }))
      .then([
        signalled(
          { publish: false, basis: 'consent', internalReason: 'inbound: received from UWV, not sent back' },
          { direction: 'inbound', by: 'uwv' },
        ),
      ]);
    // A bounded number of refusals is recorded, then no more.
    const many = Array.from({ length: MAX_REFUSED_INBOUND_SIGNALS }, (_, i) => ({
      ...refusal,
      data: { ...refusal.data, signalId: `r${i}` },
    }));
    household
      .given([registered(), ...many])
      .when(signal({ direction: 'inbound', by: 'uwv', id: 'one-more' }))
      .thenRefuses({ code: 'RefusedSignalsBounded', kind: 'conflict', invariant: 14 });
    household
      .given([registered(), ...many.slice(1)])
      .when(signal({ direction: 'inbound', by: 'uwv', id: 'one-more' }))
      .then([{ ...refusal, data: { ...refusal.data, signalId: 'one-more' } }]);
    household
      .given([registered(), consentGiven()])
      .when(signal({ direction: 'inbound', by: 'uwv' }))
      .then([
        signalled(
          { publish: false, basis: 'consent', internalReason: 'inbound: received from UWV, not sent back' },
          { direction: 'inbound', by: 'uwv' },
        ),
      ]);
  });

  it('only an integrator posts inbound signals; only the team raises outbound ones', () => {
    household
      .given([registered(), consentGiven()])
      .when(signal({ direction: 'inbound' }))
      .thenRefuses({ code: 'NotIntegrator', kind: 'forbidden', invariant: 14 });
    household
      .given([registered()])
      .when(signal({ by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });

  it('refuses a signal id used before and an empty legal basis', () => {
    household
      .given([registered(), signalled({ publish: false, internalReason: 'x' })])
      .when(signal())
      .thenRefuses({ code: 'SignalAlreadyRecorded', kind: 'conflict' });
    household
      .given([registered()])
      .when(signal({ legalBasis: '  ' }))
      .thenRefuses({ code: 'EmptyLegalBasis', kind: 'invalid', details: { field: 'legalBasis' } });
  });

  it('never publishes without grounds, whatever the history of consent (every order of events)', () => {
    const histories = [
      [],
      [consentGiven()],
      [consentGiven(), consentWithdrawn()],
      [consentGiven(), consentWithdrawn(), consentGiven()],
    ];
    for (const history of histories) {
      const state = householdState([registered(), ...history]);
      for (const about of [PARENT, CHILD, undefined]) {
        const standing = uwvConsentStanding(state, about, TODAY);
        const consented = about === PARENT && history.length % 2 === 1;
        expect(standing.kind === 'in-force').toBe(consented);
        for (const legalBasis of [undefined, 'Wet SUWI art. 54']) {
          const p = publicationOf('outbound', standing, legalBasis);
          expect(p.publish).toBe(consented || legalBasis !== undefined);
          if (p.publish) expect(p.basis).toBeDefined();
          else expect(p.internalReason).toEqual(expect.any(String));
          expect(publicationOf('inbound', standing, legalBasis).publish).toBe(false);
        }
      }
    }
  });
});

// ---- questions ----------------------------------------------------------------------------------

describe('questions are registered per life domain, with the household district', () => {
  const ask = (o: { id?: string; on?: string; by?: WorkerId } = {}) => ({
    type: 'RegisterQuestion' as const,
    householdId: HH,
    actor: actor(o.by ?? 'anna'),
    at: at(TODAY),
    questionId: o.id ?? 'q1',
    lifeDomain: 'housing' as const,
    askedOn: o.on,
    description: 'Huur achterstand',
  });
  const asked: QuestionRegistered = {
    type: 'QuestionRegistered',
    data: {
      questionId: 'q1',
      lifeDomain: 'housing',
      district: DISTRICT,
      askedOn: TODAY,
      registeredBy: 'anna',
    },
    personal: { description: 'Huur achterstand' },
  };

  it('registers a question in a life domain, the free text kept apart as personal data', () => {
    household.given([registered()]).when(ask()).then([asked]);
  });

  it('refuses a question id used before, a future date, and another team', () => {
    household
      .given([registered(), asked])
      .when(ask())
      .thenRefuses({ code: 'QuestionAlreadyRegistered', kind: 'conflict' });
    household
      .given([registered()])
      .when(ask({ on: '2025-06-03' }))
      .thenRefuses({ code: 'InvalidQuestionDate', kind: 'invalid', details: { field: 'askedOn' } });
    household
      .given([registered()])
      .when(ask({ by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });

  it('refuses on a household that is not registered', () => {
    household.given([]).when(ask()).thenRefuses({ code: 'HouseholdNotFound', kind: 'not-found' });
  });
});
