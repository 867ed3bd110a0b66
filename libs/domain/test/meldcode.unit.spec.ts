import type {
  CloseMeldcodeTrack,
  CommandActor,
  HouseholdEvent,
  MeldcodeConsultationRecorded,
  MeldcodeConversationRecorded,
  MeldcodeDecisionRecorded,
  MeldcodeTrackClosed,
  MeldcodeTrackStarted,
  MeldcodeWeighingRecorded,
  RecordMeldcodeConsultation,
  RecordMeldcodeConversation,
  RecordMeldcodeDecision,
  RecordMeldcodeWeighing,
  RecordSafetyPlan,
  SafetyPlanRecorded,
  StartMeldcodeTrack,
} from '@eenplan/domain';
import {
  actor,
  closed,
  HH,
  household,
  householdState,
  NOORD,
  registered,
  T,
  takenOver,
  takeOver,
  type WorkerId,
} from './fixtures';

/**
 * The meldcode's five steps and the safety plan (meldcode.ts, docs/MELDCODE.md): given a history,
 * when a worker records a step, then the event, or the refusal with its code.
 */

const TRACK = 'mc1';
interface Opts {
  by?: WorkerId;
  at?: string;
  id?: string;
}
const cmd = (o: Opts) => ({
  householdId: HH,
  actor: actor(o.by ?? 'anna'),
  at: o.at ?? T(60),
  trackId: o.id ?? TRACK,
});

// ---- commands ----
const start = (o: Opts = {}): StartMeldcodeTrack => ({
  type: 'StartMeldcodeTrack',
  ...cmd(o),
  signals: 'Blauwe plekken bij Youssef',
});
const consult = (
  o: Opts & { kind?: 'colleague' | 'veilig-thuis'; role?: 'colleague' | 'aandachtsfunctionaris' | null } = {},
): RecordMeldcodeConsultation => {
  const kind = o.kind ?? 'colleague';
  const role = o.role === undefined ? (kind === 'colleague' ? 'aandachtsfunctionaris' : null) : o.role;
  return {
    type: 'RecordMeldcodeConsultation',
    ...cmd(o),
    consultation: kind,
    ...(role === null ? {} : { consultedRole: role }),
    advice: 'Gesprek aangaan',
  };
};
const converse = (o: Opts & { held?: boolean } = {}): RecordMeldcodeConversation => ({
  type: 'RecordMeldcodeConversation',
  ...cmd(o),
  held: o.held ?? true,
  account: 'Moeder herkent de zorgen',
});
const weigh = (o: Opts & { necessary?: boolean; possible?: boolean } = {}): RecordMeldcodeWeighing => ({
  type: 'RecordMeldcodeWeighing',
  ...cmd(o),
  reportNecessary: o.necessary ?? false,
  helpPossible: o.possible ?? true,
  explanation: 'Geen acute onveiligheid; hulp wordt aanvaard',
});
const decide = (o: Opts & { report?: boolean; help?: boolean } = {}): RecordMeldcodeDecision => ({
  type: 'RecordMeldcodeDecision',
  ...cmd(o),
  reportToVeiligThuis: o.report ?? false,
  organiseHelp: o.help ?? true,
  reasons: 'Hulp via het wijkteam',
});
const close = (o: Opts = {}): CloseMeldcodeTrack => ({
  type: 'CloseMeldcodeTrack',
  ...cmd(o),
  reason: 'Zorgen bleken ongegrond',
});
const safetyPlan = (o: Opts & { replaces?: number; reviewOn?: string } = {}): RecordSafetyPlan => ({
  type: 'RecordSafetyPlan',
  householdId: HH,
  actor: actor(o.by ?? 'anna'),
  at: o.at ?? T(60),
  agreements: [
    { text: 'Vader komt niet in huis', who: 'vader', dueOn: '2025-03-10' },
    { text: 'Oma haalt Youssef op', who: 'oma' },
  ],
  reviewOn: o.reviewOn ?? '2025-04-01',
  ...(o.replaces === undefined ? {} : { replaces: o.replaces }),
});

// ---- events ----
const started = (o: Opts & { takeoverId?: string } = {}): MeldcodeTrackStarted => ({
  type: 'MeldcodeTrackStarted',
  data: {
    trackId: o.id ?? TRACK,
    teamId: NOORD,
    step: 1,
    startedBy: o.by ?? 'anna',
    startedAt: o.at ?? T(60),
    takeoverId: o.takeoverId ?? null,
  },
  personal: { signals: 'Blauwe plekken bij Youssef' },
});
const consulted = (o: Opts & { kind?: 'colleague' | 'veilig-thuis' } = {}): MeldcodeConsultationRecorded => ({
  type: 'MeldcodeConsultationRecorded',
  data: {
    trackId: o.id ?? TRACK,
    step: 2,
    consultation: o.kind ?? 'colleague',
    consultedRole: (o.kind ?? 'colleague') === 'colleague' ? 'aandachtsfunctionaris' : null,
    recordedBy: o.by ?? 'anna',
    recordedAt: o.at ?? T(60),
  },
  personal: { advice: 'Gesprek aangaan' },
});
const conversed = (o: Opts & { held?: boolean } = {}): MeldcodeConversationRecorded => ({
  type: 'MeldcodeConversationRecorded',
  data: {
    trackId: TRACK,
    step: 3,
    held: o.held ?? true,
    recordedBy: o.by ?? 'anna',
    recordedAt: o.at ?? T(60),
  },
  personal: { account: 'Moeder herkent de zorgen' },
});
const weighed = (o: Opts & { necessary?: boolean; possible?: boolean } = {}): MeldcodeWeighingRecorded => ({
  type: 'MeldcodeWeighingRecorded',
  data: {
    trackId: TRACK,
    step: 4,
    reportNecessary: o.necessary ?? false,
    helpPossible: o.possible ?? true,
    recordedBy: o.by ?? 'anna',
    recordedAt: o.at ?? T(60),
  },
  personal: { explanation: 'Geen acute onveiligheid; hulp wordt aanvaard' },
});
const decided = (o: Opts & { report?: boolean; help?: boolean } = {}): MeldcodeDecisionRecorded => ({
  type: 'MeldcodeDecisionRecorded',
  data: {
    trackId: TRACK,
    step: 5,
    reportToVeiligThuis: o.report ?? false,
    organiseHelp: o.help ?? true,
    recordedBy: o.by ?? 'anna',
    recordedAt: o.at ?? T(60),
  },
  personal: { reasons: 'Hulp via het wijkteam' },
});
const closedTrack = (
  o: Opts & { atStep?: MeldcodeTrackClosed['data']['atStep'] } = {},
): MeldcodeTrackClosed => ({
  type: 'MeldcodeTrackClosed',
  data: {
    trackId: o.id ?? TRACK,
    atStep: o.atStep ?? 'consultation',
    closedBy: 'anna',
    closedAt: o.at ?? T(60),
  },
  personal: { reason: 'Zorgen bleken ongegrond' },
});

const reg = registered({ regie: 'anna' });
const atStep2 = [reg, started({ at: T(40) })];
const atStep3 = [...atStep2, consulted({ at: T(50) })];
const atStep4 = [...atStep3, conversed({ at: T(55) })];
const atStep5 = (w: { necessary?: boolean; possible?: boolean } = {}): HouseholdEvent[] => [
  ...atStep4,
  weighed({ ...w, at: T(58) }),
];

describe('meldcode step 1: a worker starts a track by mapping the signals', () => {
  it('records the signals sealed, with the team, who and when', () => {
    household.given([reg]).when(start()).then([started()]);
    const track = householdState([reg, started()]).meldcode.tracks[TRACK];
    expect(track).toMatchObject({ status: 'open', step: 'consultation', stepSince: T(60) });
  });

  it('goes on after the plan closed: the household is still registered', () => {
    household
      .given([reg, closed({ regieEndedFor: 'anna' })])
      .when(start())
      .then([started()]);
  });

  it('refuses a second open track: 409 MeldcodeTrackAlreadyOpen naming the open one', () => {
    household
      .given(atStep2)
      .when(start({ id: 'mc2' }))
      .thenRefuses({ code: 'MeldcodeTrackAlreadyOpen', kind: 'conflict', details: { openTrackId: TRACK } });
  });

  it('starts a new track once the open one ended; a used id is 409 MeldcodeTrackIdAlreadyUsed', () => {
    household
      .given([...atStep2, closedTrack()])
      .when(start({ id: 'mc2' }))
      .then([started({ id: 'mc2' })]);
    household
      .given([...atStep2, closedTrack()])
      .when(start())
      .thenRefuses({ code: 'MeldcodeTrackIdAlreadyUsed', kind: 'conflict' });
  });

  it('refuses a worker of another team who does not hold regie: 403 NotHouseholdTeam', () => {
    household
      .given([reg])
      .when(start({ by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });

  it('lets the regie holder from another team start one', () => {
    household
      .given([reg, takenOver({ by: 'karim' })])
      .when(start({ by: 'karim' }))
      .then([started({ by: 'karim' })]);
  });

  it('refuses an unregistered household: 404', () => {
    household.given([]).when(start()).thenRefuses({ code: 'HouseholdNotFound', kind: 'not-found' });
  });

  it('refuses an auditor whose id is a team worker’s: no worker role, no meldcode', () => {
    const auditor: CommandActor = { id: 'anna', roles: ['auditor'], teams: [NOORD] };
    household
      .given([reg])
      .when({ ...start(), actor: auditor })
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });
});

describe('meldcode step 2: consultation of a colleague, and of Veilig Thuis for advice', () => {
  it('records the colleague’s consultation: the track moves to step 3', () => {
    household.given(atStep2).when(consult()).then([consulted()]);
    expect(householdState([...atStep2, consulted({ at: T(50) })]).meldcode.tracks[TRACK]).toMatchObject({
      step: 'conversation',
      stepSince: T(50),
    });
  });

  it('records Veilig Thuis’s advice before or after the colleague’s, without moving the track', () => {
    household
      .given(atStep2)
      .when(consult({ kind: 'veilig-thuis' }))
      .then([consulted({ kind: 'veilig-thuis' })]);
    household
      .given(atStep3)
      .when(consult({ kind: 'veilig-thuis' }))
      .then([consulted({ kind: 'veilig-thuis' })]);
    const state = householdState([...atStep2, consulted({ kind: 'veilig-thuis', at: T(45) })]);
    expect(state.meldcode.tracks[TRACK]).toMatchObject({ step: 'consultation', stepSince: T(40) });
  });

  it('refuses each part twice: 409 MeldcodeStepAlreadyRecorded', () => {
    household
      .given(atStep3)
      .when(consult())
      .thenRefuses({
        code: 'MeldcodeStepAlreadyRecorded',
        kind: 'conflict',
        details: { step: 2, currentStep: 3 },
      });
    household
      .given([...atStep2, consulted({ kind: 'veilig-thuis' })])
      .when(consult({ kind: 'veilig-thuis' }))
      .thenRefuses({
        code: 'MeldcodeStepAlreadyRecorded',
        kind: 'conflict',
        details: { step: 2, currentStep: 2 },
      });
  });

  it('refuses Veilig Thuis’s advice after the conversation: step 2 is behind the track', () => {
    household
      .given(atStep4)
      .when(consult({ kind: 'veilig-thuis' }))
      .thenRefuses({
        code: 'MeldcodeStepAlreadyRecorded',
        kind: 'conflict',
        details: { step: 2, currentStep: 4 },
      });
  });

  it.each([
    ['a colleague consultation without a role', consult({ role: null })],
    ['a Veilig Thuis consultation with a role', consult({ kind: 'veilig-thuis', role: 'colleague' })],
  ])('refuses %s: 400 InvalidConsultation', (_what, command) => {
    household
      .given(atStep2)
      .when(command)
      .thenRefuses({ code: 'InvalidConsultation', kind: 'invalid', details: { field: 'consultedRole' } });
  });

  it('refuses a track that does not exist: 404 MeldcodeTrackNotFound', () => {
    household
      .given(atStep2)
      .when(consult({ id: 'constructor' }))
      .thenRefuses({ code: 'MeldcodeTrackNotFound', kind: 'not-found' });
  });
});

describe('meldcode steps 3 to 5 happen in order', () => {
  it('records the conversation, also one not held (the account says why)', () => {
    household.given(atStep3).when(converse()).then([conversed()]);
    household
      .given(atStep3)
      .when(converse({ held: false }))
      .then([conversed({ held: false })]);
  });

  it.each([
    ['the conversation before the colleague’s consultation', atStep2, converse(), 3, 2],
    ['the weighing before the conversation', atStep3, weigh(), 4, 3],
    ['the decision before the weighing', atStep4, decide(), 5, 4],
    ['the decision right after the signals', atStep2, decide(), 5, 2],
  ])('refuses %s: 409 MeldcodeStepOutOfOrder', (_what, given, command, step, currentStep) => {
    household
      .given(given)
      .when(command)
      .thenRefuses({ code: 'MeldcodeStepOutOfOrder', kind: 'conflict', details: { step, currentStep } });
  });

  it('refuses a step recorded again: 409 MeldcodeStepAlreadyRecorded', () => {
    household
      .given(atStep5())
      .when(converse())
      .thenRefuses({
        code: 'MeldcodeStepAlreadyRecorded',
        kind: 'conflict',
        details: { step: 3, currentStep: 5 },
      });
  });

  it('records the weighing’s two answers as booleans, the explanation sealed', () => {
    household
      .given(atStep4)
      .when(weigh({ necessary: true, possible: true }))
      .then([weighed({ necessary: true, possible: true })]);
  });
});

describe('meldcode step 5: the decision follows the afwegingskader and ends the track', () => {
  it('organises help when reporting is not necessary and help is possible', () => {
    household.given(atStep5()).when(decide()).then([decided()]);
    const state = householdState([...atStep5(), decided()]);
    expect([state.meldcode.openTrackId, state.meldcode.tracks[TRACK]?.status]).toEqual([null, 'decided']);
  });

  it('refuses deciding neither when help is possible: 409 MeldcodeHelpRequired (an unfounded suspicion is a close)', () => {
    household
      .given(atStep5())
      .when(decide({ report: false, help: false }))
      .thenRefuses({
        code: 'MeldcodeHelpRequired',
        kind: 'conflict',
        details: { reportNecessary: false, helpPossible: true },
      });
  });

  it('may report without organising help when help is possible (the afwegingskader does not forbid it)', () => {
    household
      .given(atStep5())
      .when(decide({ report: true, help: false }))
      .then([decided({ report: true, help: false })]);
  });

  it('reports and organises help at once', () => {
    household
      .given(atStep5({ necessary: true }))
      .when(decide({ report: true, help: true }))
      .then([decided({ report: true, help: true })]);
  });

  it.each([
    ['reporting necessary', { necessary: true, possible: true }],
    ['help not possible', { necessary: false, possible: false }],
  ])('refuses not reporting when the weighing found %s: 409 MeldcodeReportRequired', (_what, w) => {
    household
      .given(atStep5(w))
      .when(decide({ report: false, help: true }))
      .thenRefuses({
        code: 'MeldcodeReportRequired',
        kind: 'conflict',
        details: { reportNecessary: w.necessary, helpPossible: w.possible },
      });
  });

  it('refuses any step on a decided track: 409 MeldcodeTrackEnded', () => {
    household
      .given([...atStep5(), decided()])
      .when(decide())
      .thenRefuses({ code: 'MeldcodeTrackEnded', kind: 'conflict', details: { trackStatus: 'decided' } });
  });
});

describe('a track is closed with a reason before its decision', () => {
  it('records the step it was at; no step after it', () => {
    household
      .given(atStep4)
      .when(close())
      .then([closedTrack({ atStep: 'weighing' })]);
    household
      .given([...atStep4, closedTrack({ atStep: 'weighing' })])
      .when(weigh())
      .thenRefuses({ code: 'MeldcodeTrackEnded', kind: 'conflict', details: { trackStatus: 'closed' } });
  });

  it('refuses closing a decided track: 409 MeldcodeTrackEnded', () => {
    household
      .given([...atStep5(), decided()])
      .when(close())
      .thenRefuses({ code: 'MeldcodeTrackEnded', kind: 'conflict', details: { trackStatus: 'decided' } });
  });
});

describe('a break-glass takeover can start a meldcode track in the same append', () => {
  it('records the takeover, then step 1 by the taker, naming the takeover', () => {
    household
      .given([reg])
      .when({ ...takeOver(), meldcode: { trackId: TRACK, signals: 'Blauwe plekken bij Youssef' } })
      .then([takenOver(), started({ by: 'bas', at: T(30), takeoverId: 's1' })]);
  });

  it('a track already open does not stop the takeover: it is recorded with the signals sealed in it, and no second track', () => {
    const taken = takenOver();
    household
      .given([registered({ regie: 'anna' }), started()])
      .when({ ...takeOver(), meldcode: { trackId: 'mc2', signals: 'Nieuwe zorgen' } })
      .then([{ ...taken, personal: { ...taken.personal, meldcodeSignals: 'Nieuwe zorgen' } }]);
  });

  it('without the option, takes over as before', () => {
    household.given([reg]).when(takeOver()).then([takenOver()]);
  });
});

describe('the safety plan: agreements with who and by when, and a review date', () => {
  const recorded = (o: { revision?: number; trackId?: string | null } = {}): SafetyPlanRecorded => ({
    type: 'SafetyPlanRecorded',
    data: {
      revision: o.revision ?? 1,
      replaces: (o.revision ?? 1) > 1 ? (o.revision ?? 1) - 1 : null,
      reviewOn: '2025-04-01',
      agreements: [{ dueOn: '2025-03-10' }, { dueOn: null }],
      trackId: o.trackId ?? null,
      recordedBy: 'anna',
      recordedAt: T(60),
    },
    personal: {
      agreements: [
        { text: 'Vader komt niet in huis', who: 'vader' },
        { text: 'Oma haalt Youssef op', who: 'oma' },
      ],
    },
  });

  it('records the first plan; texts and who sealed, dates in data; names the open track', () => {
    household.given([reg]).when(safetyPlan()).then([recorded()]);
    household
      .given(atStep2)
      .when(safetyPlan())
      .then([recorded({ trackId: TRACK })]);
  });

  it('replaces it by a revision that names the one it replaces', () => {
    household
      .given([reg, recorded()])
      .when(safetyPlan({ replaces: 1 }))
      .then([recorded({ revision: 2 })]);
    expect(householdState([reg, recorded(), recorded({ revision: 2 })]).meldcode.safetyPlan).toMatchObject({
      revision: 2,
      agreements: 2,
    });
  });

  it.each([
    ['a second plan that names no revision', [reg, recorded()], safetyPlan(), 1],
    [
      'a revision that is not the current one',
      [reg, recorded(), recorded({ revision: 2 })],
      safetyPlan({ replaces: 1 }),
      2,
    ],
    ['a first plan that names a revision', [reg], safetyPlan({ replaces: 1 }), null],
  ])('refuses %s: 409 SafetyPlanRevisionMismatch', (_what, given, command, currentRevision) => {
    household
      .given(given)
      .when(command)
      .thenRefuses({ code: 'SafetyPlanRevisionMismatch', kind: 'conflict', details: { currentRevision } });
  });

  it('refuses a review date before today: 400', () => {
    household
      .given([reg])
      .when(safetyPlan({ reviewOn: '2025-03-02' }))
      .thenRefuses({ code: 'SafetyPlanReviewInPast', kind: 'invalid', details: { field: 'reviewOn' } });
  });

  it('refuses a worker of another team: 403', () => {
    household
      .given([reg])
      .when(safetyPlan({ by: 'karim' }))
      .thenRefuses({ code: 'NotHouseholdTeam', kind: 'forbidden' });
  });
});
