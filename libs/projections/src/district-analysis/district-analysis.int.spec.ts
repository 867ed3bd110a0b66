/**
 * The district analysis never returns a group under its small-group rule (5 distinct households
 * for questions, 5 persons for the ZRM progress), and returns every group of 5 or more with exact
 * counts: random histories through the real projection and queries on PGlite, checked against a
 * plain in-memory count.
 */
import fc from 'fast-check';
import { LIFE_DOMAINS, LifeDomain } from '@eenplan/domain';
import { createSql, migrate, RecordedEvent, Sql } from '@eenplan/event-store';
import { districtAnalysisProjection } from './district-analysis.projection';
import {
  DistrictAnalysisQueries,
  MIN_HOUSEHOLDS_PER_GROUP,
  MIN_PERSONS_PER_GROUP,
} from './district-analysis.queries';

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
const twice = [Array.from({ length: 13 }, () => 2), Array.from({ length: 13 }, (_, j) => 1 + (j % 5))];
const once = [Array.from({ length: 13 }, () => 3)];
// noord (households 0, 2): 3 + 2 persons assessed twice, one person once, and a household-wide
// series (not a person); zuid (1, 3, 5, 7): one person assessed twice each.
const edgeAssessments = [
  { persons: [twice, twice, twice], wholeHousehold: twice },
  { persons: [twice], wholeHousehold: [] },
  { persons: [twice, once, twice], wholeHousehold: [] },
  { persons: [twice], wholeHousehold: twice },
  { persons: [], wholeHousehold: twice },
  { persons: [twice, once], wholeHousehold: [] },
  { persons: [once], wholeHousehold: [] },
  { persons: [twice], wholeHousehold: [] },
];

describe('district analysis suppresses every group under 5 (households for questions, persons for the ZRM)', () => {
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

  it('ZRM progress per district: persons counted, not households; groups under 5 persons left out; totals consistent', async () => {
    let shownRuns = 0;
    let suppressedRuns = 0;
    let fewerHouseholdsThanPersons = 0;
    const vectors = (max: number) =>
      fc.array(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 13, maxLength: 13 }), {
        maxLength: max,
        size: 'max',
      });
    // A household: its persons (each assessed 0-3 times), and assessments of the household as a
    // whole from before issue 18 (schema v1, no member), which count as nobody.
    const household = fc.record({
      persons: fc.array(vectors(3), { maxLength: 3 }),
      wholeHousehold: vectors(2),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(household, { maxLength: 10, size: 'max' }), async (households) => {
        const events = registrations(households.length);
        let n = 0;
        const scores = (vector: number[]) => Object.fromEntries(LIFE_DOMAINS.map((d, j) => [d, vector[j]]));
        households.forEach(({ persons, wholeHousehold }, h) => {
          for (const vector of wholeHousehold)
            events.push(
              recorded(`h${h}`, 'AssessmentRecorded', {
                assessmentId: `z${++n}`,
                assessedOn: '2026-01-01',
                scores: scores(vector),
                assessedBy: 'w',
                recordedAt: '',
              }),
            );
          // The persons' assessments interleaved, as a team assesses one member after another.
          for (let round = 0; round < 3; round++)
            persons.forEach((assessments, p) => {
              const vector = assessments[round];
              if (vector)
                events.push(
                  recorded(`h${h}`, 'AssessmentRecorded', {
                    assessmentId: `z${++n}`,
                    memberId: `m${p}`,
                    assessedOn: '2026-01-01',
                    scores: scores(vector),
                    assessedBy: 'w',
                    recordedAt: '',
                  }),
                );
            });
        });
        await replay(events);
        const groups = await new DistrictAnalysisQueries(sql).zrmProgress();

        // No published group has fewer than 5 persons.
        for (const g of groups) expect(g.persons).toBeGreaterThanOrEqual(MIN_PERSONS_PER_GROUP);
        for (const district of DISTRICTS) {
          const compared = households.flatMap(({ persons }, h) =>
            districtOf(h) === district ? persons.filter((a) => a.length >= 2).map((a) => ({ a, h })) : [],
          );
          const shown = groups.filter((g) => g.district === district);
          if (compared.length < MIN_PERSONS_PER_GROUP) {
            expect(shown).toEqual([]);
            if (compared.length > 0) suppressedRuns++;
            continue;
          }
          shownRuns++;
          if (new Set(compared.map((c) => c.h)).size < compared.length) fewerHouseholdsThanPersons++;
          expect(shown).toHaveLength(LIFE_DOMAINS.length);
          LIFE_DOMAINS.forEach((domain, j) => {
            const firsts = compared.map(({ a }) => a[0]![j]!);
            const latests = compared.map(({ a }) => a[a.length - 1]![j]!);
            const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
            const g = shown.find((x) => x.lifeDomain === domain)!;
            // Totals consistent: every compared person of the district in every domain's group,
            // and the average change the difference of the averages.
            expect(g.persons).toBe(compared.length);
            // Published to 2 decimals, half up: 0.125 may read 0.13, never further off than 0.005.
            const rounded = (published: number, exact: number) =>
              expect(Math.abs(published - exact)).toBeLessThanOrEqual(0.005 + 1e-9);
            rounded(g.averageFirstScore, mean(firsts));
            rounded(g.averageLatestScore, mean(latests));
            rounded(g.averageChange, mean(latests) - mean(firsts));
          });
        }
      }),
      // Always among the runs: 5 compared persons in noord in only 2 households (shown: persons
      // count, not households), 4 in zuid in 4 households (left out).
      { numRuns: 40, examples: [[edgeAssessments]] },
    );
    expect(shownRuns).toBeGreaterThan(0);
    expect(suppressedRuns).toBeGreaterThan(0);
    expect(fewerHouseholdsThanPersons).toBeGreaterThan(0);
  });
});

const sortGroups = <T extends { district?: string; month?: string; lifeDomain?: string }>(groups: T[]) =>
  [...groups].sort((a, b) =>
    `${a.district}|${a.month}|${a.lifeDomain}`.localeCompare(`${b.district}|${b.month}|${b.lifeDomain}`),
  );
