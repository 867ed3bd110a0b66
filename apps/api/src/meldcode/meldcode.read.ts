import { dateInNl, stepNumber, type HouseholdEvent, type MeldcodeStep } from '@eenplan/domain';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';

/**
 * A household's meldcode tracks and safety plan as its workers read them: the steps from the
 * events' data, the texts from their personal parts (null once erased), and how long the current
 * step of an open track has been open, at `now`.
 */
const text = (personal: unknown, key: string): string | null => {
  const value = (personal as Record<string, unknown> | null | undefined)?.[key];
  return typeof value === 'string' ? value : null;
};

interface Recorded {
  by: string;
  at: string;
}
export interface MeldcodeTrackView {
  trackId: string;
  status: 'open' | 'decided' | 'closed';
  step: MeldcodeStep;
  stepNumber: number;
  stepSince: string;
  /** Open tracks only: seconds since the current step began; null once the track ended. */
  stepOpenSeconds: number | null;
  takeoverId: string | null;
  signals: Recorded & { signals: string | null };
  consultations: (Recorded & {
    consultation: 'colleague' | 'veilig-thuis';
    consultedRole: 'colleague' | 'aandachtsfunctionaris' | null;
    advice: string | null;
  })[];
  conversation: (Recorded & { held: boolean; account: string | null }) | null;
  weighing:
    (Recorded & { reportNecessary: boolean; helpPossible: boolean; explanation: string | null }) | null;
  decision:
    (Recorded & { reportToVeiligThuis: boolean; organiseHelp: boolean; reasons: string | null }) | null;
  closed: (Recorded & { atStep: MeldcodeStep; reason: string | null }) | null;
}

export interface SafetyPlanView {
  revision: number;
  replaces: number | null;
  reviewOn: string;
  /** The review date is today or has passed. */
  reviewDue: boolean;
  trackId: string | null;
  recordedBy: string;
  recordedAt: string;
  agreements: { text: string | null; who: string | null; dueOn: string | null }[];
}

export const meldcodeRead = (
  events: readonly RecordedEvent[],
  now: Date,
): { tracks: MeldcodeTrackView[]; safetyPlan: SafetyPlanView | null } => {
  const tracks = new Map<string, MeldcodeTrackView>();
  let safetyPlan: SafetyPlanView | null = null;
  const today = dateInNl(now.toISOString());
  const move = (t: MeldcodeTrackView, step: MeldcodeStep, since: string) =>
    Object.assign(t, { step, stepNumber: stepNumber(step), stepSince: since });
  for (const recorded of events) {
    const e = recorded as unknown as HouseholdEvent;
    const p = e.personal;
    switch (e.type) {
      case 'MeldcodeTrackStarted': {
        const d = e.data;
        tracks.set(d.trackId, {
          trackId: d.trackId,
          status: 'open',
          step: 'consultation',
          stepNumber: 2,
          stepSince: d.startedAt,
          stepOpenSeconds: null,
          takeoverId: d.takeoverId,
          signals: { by: d.startedBy, at: d.startedAt, signals: text(p, 'signals') },
          consultations: [],
          conversation: null,
          weighing: null,
          decision: null,
          closed: null,
        });
        break;
      }
      case 'MeldcodeConsultationRecorded': {
        const d = e.data;
        const t = tracks.get(d.trackId);
        if (!t) break;
        t.consultations.push({
          by: d.recordedBy,
          at: d.recordedAt,
          consultation: d.consultation,
          consultedRole: d.consultedRole,
          advice: text(p, 'advice'),
        });
        if (d.consultation === 'colleague') move(t, 'conversation', d.recordedAt);
        break;
      }
      case 'MeldcodeConversationRecorded': {
        const d = e.data;
        const t = tracks.get(d.trackId);
        if (!t) break;
        t.conversation = { by: d.recordedBy, at: d.recordedAt, held: d.held, account: text(p, 'account') };
        move(t, 'weighing', d.recordedAt);
        break;
      }
      case 'MeldcodeWeighingRecorded': {
        const d = e.data;
        const t = tracks.get(d.trackId);
        if (!t) break;
        t.weighing = {
          by: d.recordedBy,
          at: d.recordedAt,
          reportNecessary: d.reportNecessary,
          helpPossible: d.helpPossible,
          explanation: text(p, 'explanation'),
        };
        move(t, 'decision', d.recordedAt);
        break;
      }
      case 'MeldcodeDecisionRecorded': {
        const d = e.data;
        const t = tracks.get(d.trackId);
        if (!t) break;
        t.decision = {
          by: d.recordedBy,
          at: d.recordedAt,
          reportToVeiligThuis: d.reportToVeiligThuis,
          organiseHelp: d.organiseHelp,
          reasons: text(p, 'reasons'),
        };
        t.status = 'decided';
        break;
      }
      case 'MeldcodeTrackClosed': {
        const d = e.data;
        const t = tracks.get(d.trackId);
        if (!t) break;
        t.closed = { by: d.closedBy, at: d.closedAt, atStep: d.atStep, reason: text(p, 'reason') };
        t.status = 'closed';
        break;
      }
      case 'SafetyPlanRecorded': {
        const d = e.data;
        const texts = (p as { agreements?: unknown } | null | undefined)?.agreements;
        safetyPlan = {
          revision: d.revision,
          replaces: d.replaces,
          reviewOn: d.reviewOn,
          reviewDue: d.reviewOn <= today,
          trackId: d.trackId,
          recordedBy: d.recordedBy,
          recordedAt: d.recordedAt,
          agreements: d.agreements.map((a, i) => {
            const own = Array.isArray(texts) ? (texts[i] as unknown) : undefined;
            return { text: text(own, 'text'), who: text(own, 'who'), dueOn: a.dueOn };
          }),
        };
        break;
      }
    }
  }
  for (const t of tracks.values())
    if (t.status === 'open')
      t.stepOpenSeconds = Math.max(0, Math.floor((now.getTime() - Date.parse(t.stepSince)) / 1000));
  return { tracks: [...tracks.values()], safetyPlan };
};
