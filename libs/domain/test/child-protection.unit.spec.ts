import {
  CommandActor,
  EndChildProtectionMeasure,
  householdDecider,
  HouseholdEvent,
  ProfessionalFacts,
  RecordChildProtectionMeasure,
  RequestRegieTransfer,
} from '@eenplan/domain';
import {
  accept,
  accepted,
  actor,
  CHILD,
  close,
  closed,
  facts,
  HH,
  household,
  householdState,
  PARENT,
  registered,
  requested,
  T,
} from './fixtures';

/**
 * Issue 19, compulsory frameworks: an OTS recorded on the household, its institution's
 * jeugdbeschermer holding regie while it runs, the measure as the legal ground instead of consent.
 */

const GI = 'gi-1';
const record = (o: Partial<RecordChildProtectionMeasure> = {}): RecordChildProtectionMeasure => ({
  type: 'RecordChildProtectionMeasure',
  householdId: HH,
  actor: actor('anna'),
  at: T(5),
  measureId: 'ots-1',
  kind: 'OTS',
  courtOrderReference: 'C/16/123456 / JE RK 25-100',
  from: '2025-03-01',
  until: '2026-02-28',
  organisationId: GI,
  minors: [CHILD],
  organisation: { organisationId: GI, waitingDays: 0 },
  jeugdbeschermerId: 'jb-1',
  transferId: 'tm-1',
  jeugdbeschermer: jb(),
  ...o,
});
const recorded: HouseholdEvent = {
  type: 'ChildProtectionMeasureRecorded',
  data: {
    measureId: 'ots-1',
    kind: 'OTS',
    organisationId: GI,
    minors: [CHILD],
    from: '2025-03-01',
    until: '2026-02-28',
    recordedBy: 'anna',
    recordedAt: T(5),
  },
  personal: { courtOrderReference: 'C/16/123456 / JE RK 25-100' },
};
/** As recorded since the jeugdbeschermer is named (the `recorded` above is an older event, without one). */
const recordedWithJb: HouseholdEvent = {
  ...recorded,
  data: { ...(recorded.data as object), jeugdbeschermerId: 'jb-1' },
} as HouseholdEvent;
const anna = { kind: 'worker' as const, id: 'anna', teamId: 'noord' };
const jbHolder = { kind: 'professional' as const, id: 'jb-1', organisationId: GI };
/** The transfer to the jeugdbeschermer that recording the measure requests in the same append. */
const measureTransfer = (from: object = anna): HouseholdEvent =>
  ({
    type: 'RegieTransferRequested',
    data: {
      transferId: 'tm-1',
      from,
      to: jbHolder,
      requestedBy: 'anna',
      variant: 'handover',
      agreedBy: null,
      requestedAt: T(5),
    },
    personal: {
      reason: 'child protection measure ots-1 (OTS, 2025-03-01 .. 2026-02-28)',
      handoverNotes: null,
    },
  }) as HouseholdEvent;
/** The transfer pending to someone else (t0), cancelled when the measure is recorded. */
const cancelledForMeasure: HouseholdEvent = {
  type: 'RegieTransferCancelled',
  data: { transferId: 't0', cancelledBy: 'anna', cause: 'cancelled' },
  personal: { reason: 'child protection measure ots-1 recorded: regie goes to its jeugdbeschermer' },
};
const jbActor: CommandActor = { id: 'jb-1', roles: ['professional'], teams: [], organisation: GI };

const end = (o: Partial<EndChildProtectionMeasure> = {}): EndChildProtectionMeasure => ({
  type: 'EndChildProtectionMeasure',
  householdId: HH,
  actor: actor('anna'),
  at: T(50),
  measureId: 'ots-1',
  reason: 'Ondertoezichtstelling opgeheven',
  ...o,
});
const ended: HouseholdEvent = {
  type: 'ChildProtectionMeasureEnded',
  data: { measureId: 'ots-1', endedBy: 'anna', endedAt: T(50) },
  personal: { reason: 'Ondertoezichtstelling opgeheven' },
};

const jb = (o: Partial<ProfessionalFacts> = {}): ProfessionalFacts => ({
  professionalId: 'jb-1',
  organisationId: GI,
  kind: 'jeugdbeschermer',
  active: true,
  ...o,
});
const toJb = (o: Partial<RequestRegieTransfer> = {}): RequestRegieTransfer => ({
  type: 'RequestRegieTransfer',
  householdId: HH,
  actor: actor('anna'),
  at: T(10),
  transferId: 't1',
  toProfessional: { id: 'jb-1', organisationId: GI },
  professional: jb(),
  reason: 'OTS uitgesproken',
  ...o,
});

describe('compulsory frameworks: recording and ending a child protection measure (OTS)', () => {
  it('a worker of the team records an OTS: institution, minors, period, jeugdbeschermer; the court order reference is personal; regie is asked for the jeugdbeschermer in the same append, without consent', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(record())
      .then([recordedWithJb, measureTransfer()]);
  });

  it('ends it, with a reason; a second end is a conflict, an unknown measure 404', () => {
    household
      .given([registered({ regie: 'anna' }), recorded])
      .when(end())
      .then([ended]);
    household
      .given([registered({ regie: 'anna' }), recorded, ended])
      .when(end())
      .thenRefuses({ code: 'MeasureAlreadyEnded', kind: 'conflict' });
    household
      .given([registered({ regie: 'anna' })])
      .when(end())
      .thenRefuses({ code: 'MeasureNotFound', kind: 'not-found' });
  });

  it('refuses an adult as the minor, an unknown member, a used id, a period backwards, an unknown institution', () => {
    const given = [registered({ regie: 'anna' })];
    household
      .given(given)
      .when(record({ minors: [PARENT] }))
      .thenRefuses({ code: 'NotAMinor', kind: 'conflict' });
    household
      .given(given)
      .when(record({ minors: ['x9'] }))
      .thenRefuses({ code: 'UnknownMember', kind: 'invalid', details: { field: 'minors' } });
    household
      .given([...given, recorded])
      .when(record())
      .thenRefuses({ code: 'MeasureIdAlreadyUsed', kind: 'conflict' });
    // The transfer id the measure asks regie with, used by an earlier (cancelled) transfer.
    household
      .given([
        ...given,
        {
          type: 'RegieTransferRequested',
          data: {
            transferId: 'tm-1',
            from: anna,
            to: { kind: 'worker', id: 'bas', teamId: 'noord' },
            requestedBy: 'anna',
            variant: 'handover',
            agreedBy: null,
            requestedAt: T(1),
          },
          personal: { reason: 'vakantie', handoverNotes: null },
        } as HouseholdEvent,
        {
          type: 'RegieTransferCancelled',
          data: { transferId: 'tm-1', cancelledBy: 'anna', cause: 'cancelled' },
          personal: { reason: 'toch niet' },
        } as HouseholdEvent,
      ])
      .when(record())
      .thenRefuses({ code: 'TransferIdAlreadyUsed', kind: 'conflict' });
    household
      .given(given)
      .when(record({ until: '2025-01-01' }))
      .thenRefuses({ code: 'MeasurePeriodInvalid', kind: 'invalid', details: { field: 'until' } });
    household
      .given(given)
      .when(record({ organisation: undefined }))
      .thenRefuses({ code: 'UnknownOrganisation', kind: 'invalid', details: { field: 'organisationId' } });
  });

  it('refuses a day that is no calendar day (30 February) as a period', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(record({ until: '2026-02-30' }))
      .thenRefuses({ code: 'MeasurePeriodInvalid', kind: 'invalid', details: { field: 'until' } });
  });

  it('a transfer asked before the measure is not accepted while it runs, unless it goes to the jeugdbeschermer', () => {
    household
      .given([registered({ regie: 'anna' }), requested(), recorded])
      .when(accept())
      .thenRefuses({
        code: 'ChildProtectionMeasureRuns',
        kind: 'conflict',
        details: { measureId: 'ots-1', organisationId: GI },
      });
    household
      .given([registered({ regie: 'anna' }), requested(), recorded, ended])
      .when(accept())
      .then([accepted()]);
  });

  it('the plan does not close while a measure runs (a closure gives regie to the household); once ended it does', () => {
    household
      .given([registered({ regie: 'anna' }), recorded])
      .when(close())
      .thenRefuses({
        code: 'ChildProtectionMeasureRuns',
        kind: 'conflict',
        details: { measureId: 'ots-1', organisationId: GI },
      });
    household
      .given([registered({ regie: 'anna' }), recorded, ended])
      .when(close())
      .then([closed({ regieEndedFor: 'anna' })]);
  });

  it('refuses a second measure for the same minor in an overlapping period', () => {
    household
      .given([registered({ regie: 'anna' }), recorded])
      .when(record({ measureId: 'ots-2', from: '2026-01-01', until: '2026-12-31' }))
      .thenRefuses({ code: 'MeasureAlreadyRunning', kind: 'conflict', details: { measureId: 'ots-1' } });
  });

  it('only the household’s workers or its regie holder record one', () => {
    const outsider: CommandActor = { id: 'karim', roles: ['worker'], teams: ['zuid'] };
    household
      .given([registered({ regie: 'anna' })])
      .when(record({ actor: outsider }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });
});

describe('recording a measure hands regie to its jeugdbeschermer', () => {
  it('while the household holds regie, the transfer comes from the household, still without consent or agreedBy', () => {
    household
      .given([registered()])
      .when(record())
      .then([recordedWithJb, measureTransfer({ kind: 'household' })]);
  });

  it('the jeugdbeschermer accepts it as any professional receiver does; regie then lies with them', () => {
    household
      .given([registered({ regie: 'anna' }), recordedWithJb, measureTransfer()])
      .when({
        type: 'AcceptRegieTransfer',
        householdId: HH,
        actor: jbActor,
        at: T(30),
        transferId: 'tm-1',
        professional: jb(),
      })
      .then([
        {
          type: 'RegieTransferAccepted',
          data: {
            transferId: 'tm-1',
            from: anna,
            to: jbHolder,
            variant: 'handover',
            requestedBy: 'anna',
            acceptedBy: 'jb-1',
            requestedAt: T(5),
            acceptedAt: T(30),
            handoverSeconds: 25 * 60,
          },
        },
      ]);
    household
      .given([registered({ regie: 'anna' }), recordedWithJb, measureTransfer()])
      .when({
        type: 'AcceptRegieTransfer',
        householdId: HH,
        actor: actor('anna'),
        at: T(30),
        transferId: 'tm-1',
        professional: jb(),
      })
      .thenRefuses({ code: 'NotTransferDecider', kind: 'forbidden', invariant: 4 });
  });

  it('no transfer when the jeugdbeschermer already holds regie, or one to them is pending', () => {
    const toThem: HouseholdEvent = {
      type: 'RegieTransferRequested',
      data: {
        transferId: 't0',
        from: anna,
        to: jbHolder,
        requestedBy: 'anna',
        variant: 'handover',
        agreedBy: null,
        requestedAt: T(1),
      },
      personal: { reason: 'voorbereiding', handoverNotes: null },
    };
    const accepted: HouseholdEvent = {
      type: 'RegieTransferAccepted',
      data: {
        transferId: 't0',
        from: anna,
        to: jbHolder,
        variant: 'handover',
        requestedBy: 'anna',
        acceptedBy: 'jb-1',
        requestedAt: T(1),
        acceptedAt: T(2),
        handoverSeconds: 60,
      },
    };
    household
      .given([registered({ regie: 'anna' }), toThem])
      .when(record())
      .then([recordedWithJb]);
    household
      .given([registered({ regie: 'anna' }), toThem, accepted])
      .when(record({ actor: jbActor }))
      .then([
        {
          ...recordedWithJb,
          data: { ...(recordedWithJb.data as object), recordedBy: 'jb-1' },
        } as HouseholdEvent,
      ]);
  });

  it('a transfer pending to anyone else is cancelled in the same append, as a safety takeover cancels one', () => {
    const toBas: HouseholdEvent = {
      type: 'RegieTransferRequested',
      data: {
        transferId: 't0',
        from: anna,
        to: { kind: 'worker', id: 'bas', teamId: 'noord' },
        requestedBy: 'anna',
        variant: 'handover',
        agreedBy: null,
        requestedAt: T(1),
      },
      personal: { reason: 'vakantie', handoverNotes: null },
    };
    household
      .given([registered({ regie: 'anna' }), toBas])
      .when(record())
      .then([recordedWithJb, cancelledForMeasure, measureTransfer()]);
  });

  it('another professional of the institution, the same id at another organisation, or a reverse request is not "them": regie is still asked for', () => {
    const handedTo = (to: object, variant = 'handover'): HouseholdEvent[] => [
      {
        type: 'RegieTransferRequested',
        data: {
          transferId: 't0',
          from: anna,
          to,
          requestedBy: 'anna',
          variant,
          agreedBy: null,
          requestedAt: T(1),
        },
        personal: { reason: 'voorbereiding', handoverNotes: null },
      } as HouseholdEvent,
      {
        type: 'RegieTransferAccepted',
        data: {
          transferId: 't0',
          from: anna,
          to,
          variant,
          requestedBy: 'anna',
          acceptedBy: (to as { id: string }).id,
          requestedAt: T(1),
          acceptedAt: T(2),
          handoverSeconds: 60,
        },
      } as HouseholdEvent,
    ];
    for (const holder of [
      { kind: 'professional', id: 'jb-2', organisationId: GI },
      { kind: 'professional', id: 'jb-1', organisationId: 'gi-2' },
    ])
      household
        .given([registered({ regie: 'anna' }), ...handedTo(holder)])
        .when(record())
        .then([recordedWithJb, measureTransfer(holder)]);
    // A reverse request is the holder's to decide, not the receiver's: it is cancelled like any other.
    household
      .given([registered({ regie: 'anna' }), handedTo(jbHolder, 'reverse')[0]!])
      .when(record())
      .then([recordedWithJb, cancelledForMeasure, measureTransfer()]);
  });

  it('no transfer for a measure that does not run on the day it is recorded (it starts later)', () => {
    household
      .given([registered({ regie: 'anna' })])
      .when(record({ from: '2025-06-01', until: '2025-12-31' }))
      .then([
        {
          ...recordedWithJb,
          data: { ...(recordedWithJb.data as object), from: '2025-06-01', until: '2025-12-31' },
        } as HouseholdEvent,
      ]);
  });

  it('refuses a jeugdbeschermer the institution has not registered, an inactive one, and another kind of professional', () => {
    const given = [registered({ regie: 'anna' })];
    household
      .given(given)
      .when(record({ jeugdbeschermer: undefined }))
      .thenRefuses({ code: 'UnknownProfessional', kind: 'invalid', details: { field: 'jeugdbeschermerId' } });
    household
      .given(given)
      .when(record({ jeugdbeschermer: jb({ organisationId: 'gi-2' }) }))
      .thenRefuses({ code: 'UnknownProfessional', kind: 'invalid', details: { field: 'jeugdbeschermerId' } });
    household
      .given(given)
      .when(record({ jeugdbeschermer: jb({ active: false }) }))
      .thenRefuses({ code: 'ProfessionalNotActive', kind: 'conflict', invariant: 1 });
    household
      .given(given)
      .when(record({ jeugdbeschermer: jb({ kind: 'specialist' }) }))
      .thenRefuses({
        code: 'NotAJeugdbeschermer',
        kind: 'conflict',
        details: { professionalId: 'jb-1', kind: 'specialist' },
      });
  });
});

describe('while the measure runs, regie lies with the institution’s jeugdbeschermer', () => {
  const running = [registered({ regie: 'anna' }), recorded];

  it('a transfer to the jeugdbeschermer needs no consent: the measure is the legal ground', () => {
    household
      .given(running)
      .when(toJb())
      .then([
        {
          type: 'RegieTransferRequested',
          data: {
            transferId: 't1',
            from: { kind: 'worker', id: 'anna', teamId: 'noord' },
            to: { kind: 'professional', id: 'jb-1', organisationId: GI },
            requestedBy: 'anna',
            variant: 'handover',
            agreedBy: null,
            requestedAt: T(10),
          },
          personal: { reason: 'OTS uitgesproken', handoverNotes: null },
        },
      ]);
  });

  it('refuses a transfer to a worker, to a specialist of the institution, or to another institution’s jeugdbeschermer', () => {
    const refusal = {
      code: 'ChildProtectionMeasureRuns' as const,
      kind: 'conflict' as const,
      details: { measureId: 'ots-1', organisationId: GI },
    };
    household
      .given(running)
      .when({
        ...toJb(),
        toProfessional: undefined,
        professional: undefined,
        toWorkerId: 'bas',
        receiver: facts('bas'),
      })
      .thenRefuses(refusal);
    household
      .given(running)
      .when(toJb({ professional: jb({ kind: 'specialist' }) }))
      .thenRefuses(refusal);
    household
      .given(running)
      .when(
        toJb({
          toProfessional: { id: 'jb-9', organisationId: 'gi-2' },
          professional: jb({ professionalId: 'jb-9', organisationId: 'gi-2' }),
        }),
      )
      .thenRefuses(refusal);
  });

  it('refuses a return to the household while it runs', () => {
    household
      .given(running)
      .when({
        type: 'ReturnRegieToHousehold',
        householdId: HH,
        actor: actor('anna'),
        at: T(10),
        agreedBy: PARENT,
      })
      .thenRefuses({
        code: 'ChildProtectionMeasureRuns',
        kind: 'conflict',
        details: { measureId: 'ots-1', organisationId: GI },
      });
  });

  it('once ended, or before its period, regie moves as always (consent again)', () => {
    household
      .given([...running, ended])
      .when({
        ...toJb(),
        at: T(60),
        toProfessional: undefined,
        professional: undefined,
        toWorkerId: 'bas',
        receiver: facts('bas'),
      })
      .then([expect.objectContaining({ type: 'RegieTransferRequested' }) as unknown as HouseholdEvent]);
    const later: HouseholdEvent = {
      ...recorded,
      data: { ...(recorded.data as object), from: '2025-06-01', until: '2025-12-31' },
    } as HouseholdEvent;
    household
      .given([registered({ regie: 'anna' }), later])
      .when(toJb())
      .thenRefuses({
        code: 'ConsentRequired',
        kind: 'conflict',
        details: { purpose: 'regie-outside-organisation', recipient: GI, members: [PARENT, CHILD] },
      });
  });
});

describe('the measure as the legal ground for referrals of the minors it concerns', () => {
  const referral = (consentFrom: string[]): HouseholdEvent[] =>
    consentFrom.map((memberId) => ({
      type: 'ConsentGiven',
      data: {
        consentId: `c-${memberId}`,
        memberId,
        purpose: 'referral',
        recipient: 'org-9',
        givenBy: [{ kind: 'member', memberId: PARENT }],
        from: '2025-03-01',
        until: null,
        recordedBy: 'anna',
        givenAt: T(1),
      },
    })) as HouseholdEvent[];
  const request = {
    type: 'RequestReferral' as const,
    householdId: HH,
    actor: actor('anna'),
    at: T(20),
    referralId: 'r1',
    organisationId: 'org-9',
    organisation: { organisationId: 'org-9', waitingDays: 7 },
  };

  it('the minor needs no consent while it runs; the other members still do', () => {
    household
      .given([registered({ regie: 'anna' }), recorded, ...referral([PARENT])])
      .when(request)
      .then([
        {
          type: 'ReferralRequested',
          data: {
            referralId: 'r1',
            organisationId: 'org-9',
            lifeDomain: null,
            waitingDays: 7,
            requestedBy: 'anna',
            requestedAt: T(20),
            legalGround: 'child-protection-measure',
            consentIds: [`c-${PARENT}`],
          },
          personal: { note: null },
        },
      ]);
    household
      .given([registered({ regie: 'anna' }), recorded])
      .when(request)
      .thenRefuses({
        code: 'ConsentRequired',
        kind: 'conflict',
        details: { purpose: 'referral', recipient: 'org-9', members: [PARENT] },
      });
  });

  it('after it ended, the minor’s consent is needed again', () => {
    household
      .given([registered({ regie: 'anna' }), recorded, ended, ...referral([PARENT])])
      .when({ ...request, at: T(60) })
      .thenRefuses({
        code: 'ConsentRequired',
        kind: 'conflict',
        details: { purpose: 'referral', recipient: 'org-9', members: [CHILD] },
      });
  });
});

/**
 * The bounds of a measure, each counted in Dutch calendar days and inclusive at both ends (a court
 * order runs from its first to its last day). Found by mutation testing: no test told `<=` from `<`.
 */
describe('the bounds of a measure', () => {
  const recordedOn = T(5); // 2025-03-03 in the Netherlands
  const types = (events: HouseholdEvent[]) => events.map((e) => e.type);
  const decideRecord = (o: Partial<RecordChildProtectionMeasure>) =>
    householdDecider.decide(
      record({ at: recordedOn, ...o }),
      householdState([registered({ regie: 'anna' })]),
    );

  it('recorded on its first or its last day, regie is asked for; the day before it starts or after it ended, not', () => {
    const asksRegie = ['ChildProtectionMeasureRecorded', 'RegieTransferRequested'];
    expect(types(decideRecord({ from: '2025-03-03', until: '2025-12-31' }))).toEqual(asksRegie);
    expect(types(decideRecord({ from: '2025-01-01', until: '2025-03-03' }))).toEqual(asksRegie);
    expect(types(decideRecord({ from: '2025-03-04', until: '2025-12-31' }))).toEqual([
      'ChildProtectionMeasureRecorded',
    ]);
    expect(types(decideRecord({ from: '2025-01-01', until: '2025-03-02' }))).toEqual([
      'ChildProtectionMeasureRecorded',
    ]);
  });

  it('a one-day measure is a period; a period ending before it starts is not', () => {
    expect(types(decideRecord({ from: '2025-03-03', until: '2025-03-03' }))).toContain(
      'ChildProtectionMeasureRecorded',
    );
    household
      .given([registered({ regie: 'anna' })])
      .when(record({ from: '2025-03-03', until: '2025-03-02' }))
      .thenRefuses({ code: 'MeasurePeriodInvalid', kind: 'invalid', details: { field: 'until' } });
  });

  it('runs from its first through its last day: a transfer elsewhere is refused on both and taken the day before and after', () => {
    const lastDayToday = {
      ...recorded,
      data: { ...(recorded.data as object), until: '2025-03-03' },
    } as HouseholdEvent;
    const toBas = (at: string) => ({
      ...toJb({ at }),
      toProfessional: undefined,
      professional: undefined,
      toWorkerId: 'bas',
      receiver: facts('bas'),
    });
    household
      .given([registered({ regie: 'anna' }), lastDayToday])
      .when(toBas(T(10)))
      .thenRefuses({
        code: 'ChildProtectionMeasureRuns',
        kind: 'conflict',
        details: { measureId: 'ots-1', organisationId: GI },
      });
    expect(
      types(
        householdDecider.decide(
          toBas(T(24 * 60)),
          householdState([registered({ regie: 'anna' }), lastDayToday]),
        ),
      ),
    ).toEqual(['RegieTransferRequested']);
    // And from its first day: recorded ahead, it binds from that day on.
    const firstDayToday = {
      ...recorded,
      data: { ...(recorded.data as object), from: '2025-03-03' },
    } as HouseholdEvent;
    household
      .given([registered({ regie: 'anna' }), firstDayToday])
      .when(toBas(T(10)))
      .thenRefuses({
        code: 'ChildProtectionMeasureRuns',
        kind: 'conflict',
        details: { measureId: 'ots-1', organisationId: GI },
      });
    expect(
      types(
        householdDecider.decide(
          toBas(T(-24 * 60)),
          householdState([registered({ regie: 'anna' }), firstDayToday]),
        ),
      ),
    ).toEqual(['RegieTransferRequested']);
  });

  it('a second measure on a minor may start the day after the first ends, not on its last day; an ended one blocks nothing', () => {
    const first = [registered({ regie: 'anna' }), recordedWithJb]; // 2025-03-01 .. 2026-02-28
    const second = (from: string, until: string) =>
      record({ measureId: 'ots-2', transferId: 'tm-2', from, until });
    household
      .given(first)
      .when(second('2026-02-28', '2027-02-28'))
      .thenRefuses({ code: 'MeasureAlreadyRunning', kind: 'conflict', details: { measureId: 'ots-1' } });
    household
      .given(first)
      .when(second('2024-03-01', '2025-03-01'))
      .thenRefuses({ code: 'MeasureAlreadyRunning', kind: 'conflict', details: { measureId: 'ots-1' } });
    expect(types(householdDecider.decide(second('2026-03-01', '2027-02-28'), householdState(first)))).toEqual(
      ['ChildProtectionMeasureRecorded'],
    );
    expect(types(householdDecider.decide(second('2024-03-01', '2025-02-28'), householdState(first)))).toEqual(
      ['ChildProtectionMeasureRecorded'],
    );
    const endedFirst = [
      ...first,
      { ...ended, data: { ...(ended.data as object), endedAt: T(6) } } as HouseholdEvent,
    ];
    expect(
      types(householdDecider.decide(second('2025-06-01', '2026-05-31'), householdState(endedFirst))),
    ).toContain('ChildProtectionMeasureRecorded');
  });

  it('concerns minors: a child known by birth year only counts as 17 through the year it may turn 18, 18 from the next', () => {
    // Born 2015, month unknown: taken as young as can be, so 18 only from 2034 on.
    household
      .given([registered({ regie: 'anna' })])
      .when(record({ from: '2034-01-01', until: '2034-12-31' }))
      .thenRefuses({ code: 'NotAMinor', kind: 'conflict' });
    expect(types(decideRecord({ from: '2033-12-31', until: '2034-06-30' }))).toContain(
      'ChildProtectionMeasureRecorded',
    );
  });
});
