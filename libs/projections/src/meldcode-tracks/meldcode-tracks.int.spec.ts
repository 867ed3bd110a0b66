/**
 * Meldcode tracks, given household events: the step each track is at and since when, open or
 * ended, and the team's open tracks in the order their step has been open longest. On PGlite and
 * the PostgreSQL server (projection-spec.suite.ts).
 */
import { describeProjection, recorded, rows } from '../projection-spec.suite';
import { meldcodeTracksProjection } from './meldcode-tracks.projection';
import { MeldcodeTracksQueries } from './meldcode-tracks.queries';

const on = (h: string, type: string, data: Record<string, unknown>) => recorded(`household-${h}`, type, data);
const at = (minutes: number) => new Date(Date.UTC(2026, 3, 21, 9, 0) + minutes * 60_000).toISOString();
const started = (
  h: string,
  minutes: number,
  o: { track?: string; team?: string; takeoverId?: string } = {},
) =>
  on(h, 'MeldcodeTrackStarted', {
    trackId: o.track ?? `mc-${h}`,
    teamId: o.team ?? 't-1',
    step: 1,
    startedBy: 'w-1',
    startedAt: at(minutes),
    takeoverId: o.takeoverId ?? null,
  });
const consulted = (h: string, minutes: number, consultation = 'colleague') =>
  on(h, 'MeldcodeConsultationRecorded', {
    trackId: `mc-${h}`,
    step: 2,
    consultation,
    consultedRole: consultation === 'colleague' ? 'colleague' : null,
    recordedBy: 'w-1',
    recordedAt: at(minutes),
  });
const step = (h: string, type: string, minutes: number, extra: Record<string, unknown> = {}) =>
  on(h, type, { trackId: `mc-${h}`, recordedBy: 'w-1', recordedAt: at(minutes), ...extra });

const tracks = rows(
  `SELECT household_id, track_id, team_id, status, step, to_char(step_since AT TIME ZONE 'UTC', 'HH24:MI') AS since,
          takeover_id, veilig_thuis_consulted
     FROM meldcode_tracks ORDER BY household_id, track_id`,
);
const row = (over: Record<string, unknown>) => ({
  household_id: 'h-1',
  track_id: 'mc-h-1',
  team_id: 't-1',
  status: 'open',
  step: 'consultation',
  since: '09:00',
  takeover_id: null,
  veilig_thuis_consulted: false,
  ...over,
});
const openFor =
  (teamId: string, page?: { limit: number; after?: readonly [string, string, string] }) =>
  (db: Parameters<typeof tracks>[0]) =>
    new MeldcodeTracksQueries(db).openForTeam(teamId, page);

describeProjection(meldcodeTracksProjection, (spec) => {
  it('a started track is at step 2 since its start; a start seen twice is one row', () =>
    spec
      .given(started('h-1', 0))
      .when(started('h-1', 0))
      .then(tracks, [row({})]));

  it('the colleague’s consultation moves it to step 3; Veilig Thuis’s advice only marks it', () =>
    spec
      .given(started('h-1', 0))
      .when(consulted('h-1', 30, 'veilig-thuis'), consulted('h-1', 45))
      .then(tracks, [row({ step: 'conversation', since: '09:45', veilig_thuis_consulted: true })]));

  it('the conversation and the weighing move it on; the decision ends it', () =>
    spec
      .given(started('h-1', 0), consulted('h-1', 10))
      .when(
        step('h-1', 'MeldcodeConversationRecorded', 20, { step: 3, held: true }),
        step('h-1', 'MeldcodeWeighingRecorded', 30, { step: 4, reportNecessary: true, helpPossible: true }),
      )
      .then(tracks, [row({ step: 'decision', since: '09:30' })]));

  it('a decided and a closed track are no longer open', () =>
    spec
      .given(started('h-1', 0), started('h-2', 5, { takeoverId: 'st-1' }))
      .when(
        step('h-1', 'MeldcodeDecisionRecorded', 50, {
          step: 5,
          reportToVeiligThuis: true,
          organiseHelp: true,
        }),
        on('h-2', 'MeldcodeTrackClosed', {
          trackId: 'mc-h-2',
          atStep: 'consultation',
          closedBy: 'w-1',
          closedAt: at(60),
        }),
      )
      .then(
        async (db) => [
          (await tracks(db)).map((r) => [r.household_id, r.status, r.takeover_id]),
          await openFor('t-1')(db),
        ],
        [
          [
            ['h-1', 'decided', null],
            ['h-2', 'closed', 'st-1'],
          ],
          { tracks: [], count: 0 },
        ],
      ));

  it('the team sees its open tracks, the step open longest first, paged, with the count', () =>
    spec
      .given(
        started('h-1', 0),
        consulted('h-1', 40),
        started('h-2', 10),
        started('h-3', 20, { team: 't-2' }),
        started('h-4', 30),
      )
      .then(
        async (db) => {
          const first = await openFor('t-1', { limit: 2 })(db);
          const last = first.tracks[1]!;
          const rest = await openFor('t-1', {
            limit: 2,
            after: [last.stepSince, last.householdId, last.trackId],
          })(db);
          return [
            first.count,
            [...first.tracks, ...rest.tracks].map((t) => [t.householdId, t.stepNumber, t.stepSince]),
          ];
        },
        [
          3,
          [
            ['h-2', 2, at(10)],
            ['h-4', 2, at(30)],
            ['h-1', 3, at(40)],
          ],
        ],
      ));

  it('an erasure removes the household’s tracks', () =>
    spec
      .given(started('h-1', 0), started('h-2', 0))
      .when(on('h-1', 'HouseholdDataErased', { erasedAt: at(90) }))
      .then(async (db) => (await tracks(db)).map((r) => r.household_id), ['h-2']));
});
