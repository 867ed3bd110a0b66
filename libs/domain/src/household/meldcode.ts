import { dateInNl } from '../shared/calendar';
import { conflict, invalid, notFound } from '../shared/domain-error';
import type { CommandActor, DomainEvent } from '../shared/event';
import { requireHouseholdWorker, requireRegistered } from './household-access';
import type { HouseholdEvent } from './household.events';
import type { HouseholdState } from './household.state';
import { householdSlice } from './household.slice';

/**
 * The Wet verplichte meldcode huiselijk geweld en kindermishandeling (docs/MELDCODE.md): a track of
 * five steps on the household, each recorded with its time and who recorded it:
 *
 * 1. signals mapped (starting the track is step 1: `MeldcodeTrackStarted`);
 * 2. consultation: of a colleague or the aandachtsfunctionaris (required: it completes step 2), and
 *    of Veilig Thuis for advice (optional, at most once, until the conversation is recorded);
 * 3. the conversation with the client (or why it was not held: safety, or no contact possible);
 * 4. the weighing with the afwegingskader's two questions: is reporting necessary (acute or
 *    structural unsafety, or a suspicion of it), and is giving or organising help (also) possible;
 * 5. the decision: report to Veilig Thuis and/or organise help, or neither, with reasons. Reporting
 *    is required when step 4 found it necessary or found help not possible (afwegingskader 2019).
 *
 * The decision ends the track; a track can also be closed with a reason before it (the concerns
 * proved unfounded, the household moved away). Steps happen in order: a later one before an earlier
 * one is 409 MeldcodeStepOutOfOrder, one recorded twice 409 MeldcodeStepAlreadyRecorded. One track is
 * open per household at a time (409 MeldcodeTrackAlreadyOpen): a second concern belongs in the
 * open track. A break-glass takeover may start a track in the same append (safety-takeovers.ts).
 *
 * Observations, advice, what was said and the reasons are personal text: sealed in `personal`; the
 * events' data carries step codes, answers as booleans, times and actor ids only.
 *
 * The safety plan (veiligheidsplan) is the household's current agreements on safety: each a text,
 * who keeps it (free text: "moeder", "buurvrouw") and by when, with a date to review the plan. A
 * new plan replaces the current one as its next revision and must name the revision it replaces
 * (409 SafetyPlanRevisionMismatch otherwise), so nobody overwrites a plan they have not seen.
 *
 * Both belong to the household, not to its plan: they go on after the plan closes (a registered
 * household); its team's workers and its regie holder record and read them.
 */

export const MELDCODE_STEPS = ['signals', 'consultation', 'conversation', 'weighing', 'decision'] as const;
export type MeldcodeStep = (typeof MELDCODE_STEPS)[number];
/** The step's number in the meldcode (1 to 5). */
export const stepNumber = (step: MeldcodeStep): number => MELDCODE_STEPS.indexOf(step) + 1;
export type ConsultationKind = 'colleague' | 'veilig-thuis';
/** Whom step 2 consulted within the organisation. */
export type ConsultedRole = 'colleague' | 'aandachtsfunctionaris';

// ---- events -------------------------------------------------------------------------------------

export type MeldcodeTrackStarted = DomainEvent<
  'MeldcodeTrackStarted',
  {
    trackId: string;
    /** The household's team: its leads see the open track. */
    teamId: string;
    step: 1;
    startedBy: string;
    startedAt: string;
    /** The break-glass takeover that started it in the same append, else null. */
    takeoverId: string | null;
  }
>;
export type MeldcodeConsultationRecorded = DomainEvent<
  'MeldcodeConsultationRecorded',
  {
    trackId: string;
    step: 2;
    consultation: ConsultationKind;
    /** For a consultation within the organisation: a colleague or the aandachtsfunctionaris; null for Veilig Thuis. */
    consultedRole: ConsultedRole | null;
    recordedBy: string;
    recordedAt: string;
  }
>;
export type MeldcodeConversationRecorded = DomainEvent<
  'MeldcodeConversationRecorded',
  { trackId: string; step: 3; held: boolean; recordedBy: string; recordedAt: string }
>;
export type MeldcodeWeighingRecorded = DomainEvent<
  'MeldcodeWeighingRecorded',
  {
    trackId: string;
    step: 4;
    /** Afweging 1: is reporting to Veilig Thuis necessary? */
    reportNecessary: boolean;
    /** Afweging 2: is giving or organising help (also) possible? */
    helpPossible: boolean;
    recordedBy: string;
    recordedAt: string;
  }
>;
export type MeldcodeDecisionRecorded = DomainEvent<
  'MeldcodeDecisionRecorded',
  {
    trackId: string;
    step: 5;
    reportToVeiligThuis: boolean;
    organiseHelp: boolean;
    recordedBy: string;
    recordedAt: string;
  }
>;
export type MeldcodeTrackClosed = DomainEvent<
  'MeldcodeTrackClosed',
  {
    trackId: string;
    /** The step the track was at (the next one to record) when it was closed. */
    atStep: MeldcodeStep;
    closedBy: string;
    closedAt: string;
  }
>;
export type SafetyPlanRecorded = DomainEvent<
  'SafetyPlanRecorded',
  {
    revision: number;
    /** The revision this one replaces; null for the first plan. */
    replaces: number | null;
    reviewOn: string;
    /** Per agreement its deadline; the text and who keeps it are in `personal.agreements`, same order. */
    agreements: { dueOn: string | null }[];
    /** The meldcode track open when the plan was recorded, if any. */
    trackId: string | null;
    recordedBy: string;
    recordedAt: string;
  }
>;

export type MeldcodeEvent =
  | MeldcodeTrackStarted
  | MeldcodeConsultationRecorded
  | MeldcodeConversationRecorded
  | MeldcodeWeighingRecorded
  | MeldcodeDecisionRecorded
  | MeldcodeTrackClosed
  | SafetyPlanRecorded;
export const MELDCODE_EVENT_TYPES = [
  'MeldcodeTrackStarted',
  'MeldcodeConsultationRecorded',
  'MeldcodeConversationRecorded',
  'MeldcodeWeighingRecorded',
  'MeldcodeDecisionRecorded',
  'MeldcodeTrackClosed',
  'SafetyPlanRecorded',
] as const satisfies readonly MeldcodeEvent['type'][];

// ---- commands -----------------------------------------------------------------------------------

interface Base {
  readonly householdId: string;
  readonly actor: CommandActor;
  readonly at: string;
}
interface OnTrack extends Base {
  readonly trackId: string;
}
export interface StartMeldcodeTrack extends OnTrack {
  readonly type: 'StartMeldcodeTrack';
  /** Step 1: the signals mapped (personal text). */
  readonly signals: string;
}
export interface RecordMeldcodeConsultation extends OnTrack {
  readonly type: 'RecordMeldcodeConsultation';
  readonly consultation: ConsultationKind;
  /** Required for a colleague consultation, absent for Veilig Thuis. */
  readonly consultedRole?: ConsultedRole;
  readonly advice: string;
}
export interface RecordMeldcodeConversation extends OnTrack {
  readonly type: 'RecordMeldcodeConversation';
  readonly held: boolean;
  /** What was said, or why the conversation was not held (personal text). */
  readonly account: string;
}
export interface RecordMeldcodeWeighing extends OnTrack {
  readonly type: 'RecordMeldcodeWeighing';
  readonly reportNecessary: boolean;
  readonly helpPossible: boolean;
  readonly explanation: string;
}
export interface RecordMeldcodeDecision extends OnTrack {
  readonly type: 'RecordMeldcodeDecision';
  readonly reportToVeiligThuis: boolean;
  readonly organiseHelp: boolean;
  readonly reasons: string;
}
export interface CloseMeldcodeTrack extends OnTrack {
  readonly type: 'CloseMeldcodeTrack';
  readonly reason: string;
}
export interface SafetyAgreement {
  readonly text: string;
  /** Who keeps the agreement (free text: personal). */
  readonly who: string;
  /** YYYY-MM-DD, or absent: no deadline. */
  readonly dueOn?: string;
}
export interface RecordSafetyPlan extends Base {
  readonly type: 'RecordSafetyPlan';
  readonly agreements: readonly SafetyAgreement[];
  /** YYYY-MM-DD, today or later. */
  readonly reviewOn: string;
  /** Required once a plan exists: the revision this one replaces. */
  readonly replaces?: number;
}
export type MeldcodeCommand =
  | StartMeldcodeTrack
  | RecordMeldcodeConsultation
  | RecordMeldcodeConversation
  | RecordMeldcodeWeighing
  | RecordMeldcodeDecision
  | CloseMeldcodeTrack
  | RecordSafetyPlan;
export const MELDCODE_COMMAND_TYPES = [
  'StartMeldcodeTrack',
  'RecordMeldcodeConsultation',
  'RecordMeldcodeConversation',
  'RecordMeldcodeWeighing',
  'RecordMeldcodeDecision',
  'CloseMeldcodeTrack',
  'RecordSafetyPlan',
] as const satisfies readonly MeldcodeCommand['type'][];

// ---- state --------------------------------------------------------------------------------------

export interface StepRecord {
  readonly by: string;
  readonly at: string;
}
export interface MeldcodeTrack {
  readonly trackId: string;
  readonly takeoverId: string | null;
  readonly status: 'open' | 'decided' | 'closed';
  /** The next step to record while open; the step it ended at otherwise. */
  readonly step: MeldcodeStep;
  /** When the current step began: the time of the step before it. */
  readonly stepSince: string;
  readonly started: StepRecord;
  readonly colleague?: StepRecord & { readonly consultedRole: ConsultedRole };
  readonly veiligThuis?: StepRecord;
  readonly conversation?: StepRecord & { readonly held: boolean };
  readonly weighing?: StepRecord & { readonly reportNecessary: boolean; readonly helpPossible: boolean };
  readonly decision?: StepRecord & { readonly reportToVeiligThuis: boolean; readonly organiseHelp: boolean };
  readonly closed?: StepRecord;
}
export interface SafetyPlanState {
  readonly revision: number;
  readonly reviewOn: string;
  readonly agreements: number;
  readonly recordedBy: string;
  readonly recordedAt: string;
}
export interface MeldcodeState {
  readonly tracks: Readonly<Record<string, MeldcodeTrack>>;
  /** The one open track, if any. */
  readonly openTrackId: string | null;
  readonly safetyPlan: SafetyPlanState | null;
}

export const initialMeldcodeState = (): MeldcodeState => ({
  tracks: {},
  openTrackId: null,
  safetyPlan: null,
});

const withTrack = (s: MeldcodeState, trackId: string, change: Partial<MeldcodeTrack>): MeldcodeState => {
  const track = s.tracks[trackId];
  if (!track) return s;
  const next = { ...track, ...change };
  return {
    ...s,
    tracks: { ...s.tracks, [trackId]: next },
    openTrackId: next.status === 'open' ? s.openTrackId : s.openTrackId === trackId ? null : s.openTrackId,
  };
};

export const evolveMeldcode = (s: MeldcodeState, event: MeldcodeEvent): MeldcodeState => {
  switch (event.type) {
    case 'MeldcodeTrackStarted': {
      const d = event.data;
      const track: MeldcodeTrack = {
        trackId: d.trackId,
        takeoverId: d.takeoverId,
        status: 'open',
        step: 'consultation',
        stepSince: d.startedAt,
        started: { by: d.startedBy, at: d.startedAt },
      };
      return { ...s, tracks: { ...s.tracks, [d.trackId]: track }, openTrackId: d.trackId };
    }
    case 'MeldcodeConsultationRecorded': {
      const d = event.data;
      const by = { by: d.recordedBy, at: d.recordedAt };
      // The colleague's consultation completes step 2; Veilig Thuis's advice is its optional part.
      return d.consultation === 'colleague'
        ? withTrack(s, d.trackId, {
            colleague: { ...by, consultedRole: d.consultedRole ?? 'colleague' },
            step: 'conversation',
            stepSince: d.recordedAt,
          })
        : withTrack(s, d.trackId, { veiligThuis: by });
    }
    case 'MeldcodeConversationRecorded': {
      const d = event.data;
      return withTrack(s, d.trackId, {
        conversation: { by: d.recordedBy, at: d.recordedAt, held: d.held },
        step: 'weighing',
        stepSince: d.recordedAt,
      });
    }
    case 'MeldcodeWeighingRecorded': {
      const d = event.data;
      return withTrack(s, d.trackId, {
        weighing: {
          by: d.recordedBy,
          at: d.recordedAt,
          reportNecessary: d.reportNecessary,
          helpPossible: d.helpPossible,
        },
        step: 'decision',
        stepSince: d.recordedAt,
      });
    }
    case 'MeldcodeDecisionRecorded': {
      const d = event.data;
      return withTrack(s, d.trackId, {
        decision: {
          by: d.recordedBy,
          at: d.recordedAt,
          reportToVeiligThuis: d.reportToVeiligThuis,
          organiseHelp: d.organiseHelp,
        },
        status: 'decided',
      });
    }
    case 'MeldcodeTrackClosed': {
      const d = event.data;
      return withTrack(s, d.trackId, { closed: { by: d.closedBy, at: d.closedAt }, status: 'closed' });
    }
    case 'SafetyPlanRecorded': {
      const d = event.data;
      return {
        ...s,
        safetyPlan: {
          revision: d.revision,
          reviewOn: d.reviewOn,
          agreements: d.agreements.length,
          recordedBy: d.recordedBy,
          recordedAt: d.recordedAt,
        },
      };
    }
  }
};

// ---- decide -------------------------------------------------------------------------------------

/** Step 1 of a new track: the event a start (or a takeover that starts one) records. */
export const startTrack = (
  state: HouseholdState,
  c: { trackId: string; signals: string; actor: CommandActor; at: string },
  takeoverId: string | null,
): MeldcodeTrackStarted => {
  const m = state.meldcode;
  if (m.openTrackId !== null) {
    throw conflict(
      'MeldcodeTrackAlreadyOpen',
      `meldcode track ${m.openTrackId} is open for this household; record the new signals there, or close it first`,
      undefined,
      { openTrackId: m.openTrackId },
    );
  }
  if (Object.hasOwn(m.tracks, c.trackId))
    throw conflict('MeldcodeTrackIdAlreadyUsed', `meldcode track id ${c.trackId} was used before`);
  return {
    type: 'MeldcodeTrackStarted',
    data: {
      trackId: c.trackId,
      teamId: state.teamId,
      step: 1,
      startedBy: c.actor.id,
      startedAt: c.at,
      takeoverId,
    },
    personal: { signals: c.signals },
  };
};

const requireTrack = (state: HouseholdState, trackId: string): MeldcodeTrack => {
  const track = Object.hasOwn(state.meldcode.tracks, trackId) ? state.meldcode.tracks[trackId] : undefined;
  if (!track)
    throw notFound('MeldcodeTrackNotFound', `meldcode track ${trackId} does not exist for this household`);
  if (track.status !== 'open') {
    throw conflict(
      'MeldcodeTrackEnded',
      `meldcode track ${trackId} was ${track.status} at step ${stepNumber(track.step)}; start a new track for new signals`,
      undefined,
      { trackStatus: track.status },
    );
  }
  return track;
};

/** Steps in order: `step` is recorded only while the track is at it. */
const requireAtStep = (track: MeldcodeTrack, step: MeldcodeStep, what: string) => {
  const at = stepNumber(track.step);
  const wanted = stepNumber(step);
  if (wanted > at) {
    throw conflict(
      'MeldcodeStepOutOfOrder',
      `${what} is step ${wanted} of the meldcode; track ${track.trackId} is at step ${at} (${track.step}) and steps happen in order`,
      undefined,
      { step: wanted, currentStep: at },
    );
  }
  if (wanted < at) {
    throw conflict(
      'MeldcodeStepAlreadyRecorded',
      `step ${wanted} of track ${track.trackId} is behind it: the track is at step ${at} (${track.step})`,
      undefined,
      { step: wanted, currentStep: at },
    );
  }
};

const requireNotRecorded = (track: MeldcodeTrack, done: StepRecord | undefined, what: string) => {
  if (done !== undefined) {
    throw conflict(
      'MeldcodeStepAlreadyRecorded',
      `${what} of track ${track.trackId} was recorded at ${done.at} by ${done.by}`,
      undefined,
      { step: 2, currentStep: stepNumber(track.step) },
    );
  }
};

export const decideMeldcode = (command: MeldcodeCommand, state: HouseholdState): HouseholdEvent[] => {
  const { actor, at } = command;
  requireRegistered(state);
  requireHouseholdWorker(actor, state, 'work with the meldcode and the safety plan');
  switch (command.type) {
    case 'StartMeldcodeTrack':
      return [startTrack(state, command, null)];

    case 'RecordMeldcodeConsultation': {
      const track = requireTrack(state, command.trackId);
      const colleague = command.consultation === 'colleague';
      if (colleague !== (command.consultedRole !== undefined)) {
        throw invalid(
          'InvalidConsultation',
          colleague
            ? 'consultedRole: a consultation within the organisation names a colleague or the aandachtsfunctionaris'
            : 'consultedRole: is only for a consultation within the organisation, not of Veilig Thuis',
          { field: 'consultedRole' },
        );
      }
      requireNotRecorded(
        track,
        colleague ? track.colleague : track.veiligThuis,
        colleague ? 'the consultation of a colleague' : 'the consultation of Veilig Thuis',
      );
      // Veilig Thuis may be asked for advice until the conversation (step 3) is recorded.
      requireAtStep(
        colleague || track.step !== 'conversation' ? track : { ...track, step: 'consultation' },
        'consultation',
        'a consultation',
      );
      return [
        {
          type: 'MeldcodeConsultationRecorded',
          data: {
            trackId: track.trackId,
            step: 2,
            consultation: command.consultation,
            consultedRole: command.consultedRole ?? null,
            recordedBy: actor.id,
            recordedAt: at,
          },
          personal: { advice: command.advice },
        },
      ];
    }

    case 'RecordMeldcodeConversation': {
      const track = requireTrack(state, command.trackId);
      requireAtStep(track, 'conversation', 'the conversation with the client');
      return [
        {
          type: 'MeldcodeConversationRecorded',
          data: { trackId: track.trackId, step: 3, held: command.held, recordedBy: actor.id, recordedAt: at },
          personal: { account: command.account },
        },
      ];
    }

    case 'RecordMeldcodeWeighing': {
      const track = requireTrack(state, command.trackId);
      requireAtStep(track, 'weighing', 'the weighing');
      return [
        {
          type: 'MeldcodeWeighingRecorded',
          data: {
            trackId: track.trackId,
            step: 4,
            reportNecessary: command.reportNecessary,
            helpPossible: command.helpPossible,
            recordedBy: actor.id,
            recordedAt: at,
          },
          personal: { explanation: command.explanation },
        },
      ];
    }

    case 'RecordMeldcodeDecision': {
      const track = requireTrack(state, command.trackId);
      requireAtStep(track, 'decision', 'the decision');
      const w = track.weighing!;
      // Afwegingskader: report when reporting is necessary, and when help is not possible.
      if ((w.reportNecessary || !w.helpPossible) && !command.reportToVeiligThuis) {
        throw conflict(
          'MeldcodeReportRequired',
          w.reportNecessary
            ? `the weighing of track ${track.trackId} found reporting to Veilig Thuis necessary: the decision reports`
            : `the weighing of track ${track.trackId} found help not possible: the decision reports to Veilig Thuis`,
          undefined,
          { reportNecessary: w.reportNecessary, helpPossible: w.helpPossible },
        );
      }
      // And when reporting is not necessary and help is possible, the decision organises that help
      // (or still reports): a suspicion found unfounded ends the track by a close with its reason.
      if (!w.reportNecessary && w.helpPossible && !command.organiseHelp && !command.reportToVeiligThuis) {
        throw conflict(
          'MeldcodeHelpRequired',
          `the weighing of track ${track.trackId} found help possible and reporting not necessary: the decision organises help (or reports); to end the track without either, close it with a reason`,
          undefined,
          { reportNecessary: w.reportNecessary, helpPossible: w.helpPossible },
        );
      }
      return [
        {
          type: 'MeldcodeDecisionRecorded',
          data: {
            trackId: track.trackId,
            step: 5,
            reportToVeiligThuis: command.reportToVeiligThuis,
            organiseHelp: command.organiseHelp,
            recordedBy: actor.id,
            recordedAt: at,
          },
          personal: { reasons: command.reasons },
        },
      ];
    }

    case 'CloseMeldcodeTrack': {
      const track = requireTrack(state, command.trackId);
      return [
        {
          type: 'MeldcodeTrackClosed',
          data: { trackId: track.trackId, atStep: track.step, closedBy: actor.id, closedAt: at },
          personal: { reason: command.reason },
        },
      ];
    }

    case 'RecordSafetyPlan': {
      const today = dateInNl(at);
      if (command.reviewOn < today) {
        throw invalid('SafetyPlanReviewInPast', `reviewOn: ${command.reviewOn} is before today (${today})`, {
          field: 'reviewOn',
        });
      }
      const current = state.meldcode.safetyPlan;
      const replaces = command.replaces ?? null;
      if ((current?.revision ?? null) !== replaces) {
        throw conflict(
          'SafetyPlanRevisionMismatch',
          current
            ? `the safety plan is at revision ${current.revision}: a new plan names it as the revision it replaces`
            : 'this household has no safety plan yet: the first one replaces nothing',
          undefined,
          { currentRevision: current?.revision ?? null },
        );
      }
      return [
        {
          type: 'SafetyPlanRecorded',
          data: {
            revision: (current?.revision ?? 0) + 1,
            replaces,
            reviewOn: command.reviewOn,
            agreements: command.agreements.map((a) => ({ dueOn: a.dueOn ?? null })),
            trackId: state.meldcode.openTrackId,
            recordedBy: actor.id,
            recordedAt: at,
          },
          personal: { agreements: command.agreements.map((a) => ({ text: a.text, who: a.who })) },
        },
      ];
    }
  }
};

// ---- the slice ---------------------------------------------------------------------------------

export const meldcodeSlice = householdSlice({
  commands: MELDCODE_COMMAND_TYPES,
  events: MELDCODE_EVENT_TYPES,
  decide: decideMeldcode,
  evolve: (state, event) => ({ ...state, meldcode: evolveMeldcode(state.meldcode, event) }),
});
