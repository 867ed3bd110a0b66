/**
 * The district analysis never returns a group of fewer than 5 distinct households, and returns
 * every group of 5 or more with exact counts: random histories through the real projection and
 * queries on PGlite, checked against a plain in-memory count.
 */
import fc from 'fast-check';
import { LIFE_DOMAINS, LifeDomain } from '@eenplan/domain';
import { createSql, migrate, RecordedEvent, Sql } from '@eenplan/event-store';
import { districtAnalysisProjection } from './district-analysis.projection';
import { DistrictAnalysisQueries, MIN_HOUSEHOLDS_PER_GROUP } from './district-analysis.queries';

const DISTRICTS = ['noord', 'zuid'];
const MONTHS = ['2026-01', '2026-02'];
const DOMAINS: LifeDomain[] = ['finances', 'housing', 'justice'];

let sql: Sql;
beforeAll(async () => {
  sql = await createSql({});
  await migrate(sql, [...districtAnalysisProjection.migrations]);
});
afterAll(async () => {
  await sql?.close();
});

let seq = 0;
const recorded = (householdId: string, type: string, data: Record<string, unknown>): RecordedEvent =>
  ({
    eventId: `e-${++seq}`,
    streamId: `household-${householdId}`,
    streamVersion: seq,
    position: String(seq),
    type,
    data,
    metadata: {
      schemaVersion: 1,
      actor: { kind: 'worker', id: 'w' },
      recordedAt: '',
      correlationId: '',
      causationId: '',
    },
  }) as RecordedEvent;

const replay = async (events: RecordedEvent[]) => {
  await sql.transaction(async (tx) => {
    for (const table of districtAnalysisProjection.tables) await tx.query(`DELETE FROM ${table}`);
    for (const e of events) await districtAnalysisProjection.apply(tx, e);
  });
};

/** Household i lives in DISTRICTS[i % 2]. */
const districtOf = (household: number) => DISTRICTS[household % DISTRICTS.length]!;
const registrations = (households: number) =>
  Array.from({ length: households }, (_, i) =>
    recorded(`h${i}`, 'HouseholdRegistered', { householdId: `h${i}`, teamId: 't', district: districtOf(i) }),
  );

const question = fc.record({
  household: fc.nat({ max: 11 }),
  month: fc.constantFrom(...MONTHS),
  lifeDomain: fc.constantFrom(...DOMAINS),
});

// Households 0, 2, 4, 6, 8 are in noord; 1, 3, 5, 7 in zuid.
const edgeQuestions = [
  ...[0, 2, 4, 6, 8].map((household) => ({
    household,
    month: '2026-01',
    lifeDomain: 'housing' as LifeDomain,
  })),
  ...[1, 3, 5, 7].map((household) => ({ household, month: '2026-01', lifeDomain: 'housing' as LifeDomain })),
];
const edgeAssessments = Array.from({ length: 10 }, (_, h) =>
  h === 9 ? [] : [Array.from({ length: 13 }, () => 2), Array.from({ length: 13 }, (_, j) => 1 + (j % 5))],
);

describe('district analysis suppresses every group under 5 households', () => {
  it('questions per life domain per district per month', async () => {
    let shownRuns = 0;
    let suppressedRuns = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(question, { maxLength: 150, size: 'max' }), async (questions) => {
        await replay([
          ...registrations(12),
          ...questions.map((q, i) =>
            recorded(`h${q.household}`, 'QuestionRegistered', {
              questionId: `q${i}`,
              lifeDomain: q.lifeDomain,
              district: districtOf(q.household),
              askedOn: `${q.month}-15`,
              registeredBy: 'w',
            }),
          ),
        ]);
        const groups = await new DistrictAnalysisQueries(sql).questions();

        const oracle = new Map<string, { questions: number; households: Set<number> }>();
        for (const q of questions) {
          const key = `${districtOf(q.household)}|${q.month}|${q.lifeDomain}`;
          const g = oracle.get(key) ?? { questions: 0, households: new Set<number>() };
          g.questions++;
          g.households.add(q.household);
          oracle.set(key, g);
        }
        const expected = [...oracle.entries()]
          .filter(([, g]) => g.households.size >= MIN_HOUSEHOLDS_PER_GROUP)
          .map(([key, g]) => {
            const [district, month, lifeDomain] = key.split('|');
            return { district, month, lifeDomain, questions: g.questions, households: g.households.size };
          });
        for (const g of groups) expect(g.households).toBeGreaterThanOrEqual(MIN_HOUSEHOLDS_PER_GROUP);
        expect(sortGroups(groups)).toEqual(sortGroups(expected));
        if (groups.length > 0) shownRuns++;
        if (oracle.size > groups.length) suppressedRuns++;
      }),
      // Always among the runs: a group of exactly 5 households (shown) and one of 4 (left out).
      { numRuns: 40, examples: [[edgeQuestions]] },
    );
    // The property means something only if both sides happened: groups shown and groups left out.
    expect(shownRuns).toBeGreaterThan(0);
    expect(suppressedRuns).toBeGreaterThan(0);
  });

  it('ZRM progress per district: average change between first and latest assessment', async () => {
    let shownRuns = 0;
    let suppressedRuns = 0;
    const household = fc.array(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 13, maxLength: 13 }), {
      maxLength: 3,
      size: 'max',
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(household, { maxLength: 14, size: 'max' }),
        async (assessmentsPerHousehold) => {
          const events = registrations(assessmentsPerHousehold.length);
          assessmentsPerHousehold.forEach((assessments, h) =>
            assessments.forEach((vector, i) =>
              events.push(
                recorded(`h${h}`, 'AssessmentRecorded', {
                  assessmentId: `z${i}`,
                  assessedOn: '2026-01-01',
                  scores: Object.fromEntries(LIFE_DOMAINS.map((d, j) => [d, vector[j]])),
                  assessedBy: 'w',
                  recordedAt: '',
                }),
              ),
            ),
          );
          await replay(events);
          const groups = await new DistrictAnalysisQueries(sql).zrmProgress();

          for (const g of groups) expect(g.households).toBeGreaterThanOrEqual(MIN_HOUSEHOLDS_PER_GROUP);
          for (const district of DISTRICTS) {
            const compared = assessmentsPerHousehold
              .map((a, h) => ({ a, h }))
              .filter(({ a, h }) => a.length >= 2 && districtOf(h) === district);
            const shown = groups.filter((g) => g.district === district);
            if (compared.length < MIN_HOUSEHOLDS_PER_GROUP) {
              expect(shown).toEqual([]);
              if (compared.length > 0) suppressedRuns++;
              continue;
            }
            shownRuns++;
            expect(shown).toHaveLength(LIFE_DOMAINS.length);
            LIFE_DOMAINS.forEach((domain, j) => {
              const changes = compared.map(({ a }) => a[a.length - 1]![j]! - a[0]![j]!);
              const average = changes.reduce((x, y) => x + y, 0) / changes.length;
              const g = shown.find((x) => x.lifeDomain === domain)!;
              expect(g.households).toBe(compared.length);
              expect(g.averageChange).toBeCloseTo(average, 2);
            });
          }
        },
      ),
      // Always among the runs: 5 compared households in noord (shown), 4 in zuid (left out).
      { numRuns: 40, examples: [[edgeAssessments]] },
    );
    expect(shownRuns).toBeGreaterThan(0);
    expect(suppressedRuns).toBeGreaterThan(0);
  });
});

const sortGroups = <T extends { district?: string; month?: string; lifeDomain?: string }>(groups: T[]) =>
  [...groups].sort((a, b) =>
    `${a.district}|${a.month}|${a.lifeDomain}`.localeCompare(`${b.district}|${b.month}|${b.lifeDomain}`),
  );
