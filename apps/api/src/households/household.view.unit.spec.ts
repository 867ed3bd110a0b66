import { LIFE_DOMAINS, type HouseholdEvent, MAX_MEMBERS } from '@eenplan/domain';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import { loadConfig } from '@eenplan/runtime';
import { foldHousehold, HOUSEHOLD_SECTIONS } from '../common/household-fold';
import { householdBody, pageLimitMax, sectionPage, SECTION_PREVIEW } from './household.view';

/**
 * The bound behind "no answer larger than 1 MB" (issue 16, item 8), computed on the largest household
 * the defaults allow, every id and text at its longest and widest: ids of 100 characters, names of
 * 200 and descriptions of 2,000 characters at the 4 bytes each that MaxJsonBytes lets through, and
 * far more network members, assignments and referrals than a section shows. Counted as the bytes
 * Express sends (UTF-8 JSON).
 */
const MB = 1_000_000;
const { maxGoals, maxActions } = loadConfig({}).planLimits;
const OTHERS = 400;

const id = (prefix: string, i: number) => `${prefix}${i}`.padEnd(100, 'x');
const wide = (chars: number) => '\u{1F3E0}'.repeat(chars);
const at = '2026-01-05T09:00:00.000Z';

const scores = (n: number) =>
  Object.fromEntries(LIFE_DOMAINS.map((d) => [d, n])) as Record<(typeof LIFE_DOMAINS)[number], number>;

const largestHousehold = (): RecordedEvent[] => {
  const events: HouseholdEvent[] = [
    {
      type: 'HouseholdRegistered',
      data: {
        householdId: id('h', 0),
        teamId: id('t', 0),
        // @Length(1, 100) with control characters: 6 bytes each as JSON.
        district: '\u0001'.repeat(100),
        members: Array.from({ length: 30 }, (_, i) => ({
          memberId: id('m', i),
          role: 'child',
          birthYear: 2015,
        })),
        regie: { kind: 'worker', id: id('w', 0), teamId: id('t', 0) },
        registeredAt: at,
      },
      personal: {
        persons: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [id('m', i), { name: wide(200) }])),
      },
    },
  ];
  for (let i = 0; i < maxGoals; i++)
    events.push({
      type: 'GoalAdded',
      data: { goalId: id('g', i), lifeDomain: 'community-participation', planRevision: 1 },
      personal: { description: wide(2000) },
    });
  for (let i = 0; i < maxActions; i++)
    events.push({
      type: 'ActionAdded',
      data: {
        actionId: id('a', i),
        goalId: id('g', i % maxGoals),
        owner: { kind: 'organisation', id: id('r', i) },
        planRevision: 1,
      },
      personal: { description: wide(2000) },
    });
  for (let i = 0; i < OTHERS; i++) {
    events.push(
      {
        type: 'GoalNoteAdded',
        data: { noteId: id('nt', i), goalId: id('g', i % maxGoals), addedBy: id('w', 0) },
        personal: { text: wide(500) },
      },
      {
        type: 'NetworkMemberAdded',
        data: { networkMemberId: id('n', i), role: 'neighbour', addedBy: id('w', 0), addedAt: at },
        personal: { name: wide(200) },
      },
      {
        type: 'VolunteerAssigned',
        data: {
          assignmentId: id('v', i),
          volunteerId: id('vol', i),
          actionId: id('a', i),
          hoursPerWeek: 40,
          assignedBy: id('w', 0),
          assignedAt: at,
        },
      },
      {
        // Issue 19: a review meeting at its largest (20 attendees, 10 decisions, every text at its longest).
        type: 'ReviewMeetingHeld',
        data: {
          meetingId: id('rm', i),
          on: '2026-01-05',
          attendees: Array.from({ length: 20 }, (_, j) => ({ kind: 'network-member', id: id('n', j) })),
          householdPresent: true,
          decisions: Array.from({ length: 10 }, (_, j) => ({ decisionId: id('d', j), actionId: id('a', j) })),
          nextEvaluateBy: '2026-07-05',
          recordedBy: id('w', 0),
        },
        personal: {
          notes: wide(1000),
          decisions: Object.fromEntries(Array.from({ length: 10 }, (_, j) => [id('d', j), wide(300)])),
        },
      },
      {
        type: 'ReferralRequested',
        data: {
          referralId: id('r', i),
          organisationId: id('o', i),
          lifeDomain: 'community-participation',
          waitingDays: 365,
          requestedBy: id('w', 0),
          requestedAt: at,
        },
      },
    );
  }
  // Issue 18: members over time up to the cap (60 over the household's life), every one shown, each
  // with two holders of authority from outside the household, their names at their longest.
  for (let i = 30; i < MAX_MEMBERS; i++)
    events.push({
      type: 'MemberJoined',
      data: {
        memberId: id('m', i),
        role: 'child',
        birthYear: 2015,
        birthMonth: 12,
        reason: 'moved-in',
        on: '2026-01-05',
        recordedBy: id('w', 0),
      },
      personal: { persons: { [id('m', i)]: { name: wide(200) } } },
    });
  for (let i = 0; i < MAX_MEMBERS; i++)
    events.push({
      type: 'AuthoritySet',
      data: {
        memberId: id('m', i),
        holders: [
          { kind: 'external', holderId: id('gh', 2 * i) },
          { kind: 'external', holderId: id('gh', 2 * i + 1) },
        ],
        setBy: id('w', 0),
      },
      personal: { holderNames: { [id('gh', 2 * i)]: wide(200), [id('gh', 2 * i + 1)]: wide(200) } },
    });
  // The ZRM per person (issue 18): one household-wide assessment from before, then every member
  // assessed three times; the household answer shows one entry per person, whatever the count.
  events.push({
    type: 'AssessmentRecorded',
    data: {
      assessmentId: id('z', 0),
      assessedOn: '2025-12-01',
      scores: scores(1),
      assessedBy: id('w', 0),
      recordedAt: at,
    },
    personal: { notes: wide(4000) },
  });
  for (let round = 1; round <= 3; round++)
    for (let i = 0; i < 30; i++)
      events.push({
        type: 'AssessmentRecorded',
        data: {
          assessmentId: id(`z${round}-`, i),
          memberId: id('m', i),
          assessedOn: `2026-01-0${round}`,
          scores: scores(round),
          assessedBy: id('w', 0),
          recordedAt: at,
        },
        personal: { notes: wide(4000) },
      });
  events.push({
    type: 'RegieTransferRequested',
    data: {
      transferId: id('tr', 0),
      from: { kind: 'worker', id: id('w', 0), teamId: id('t', 0) },
      to: { kind: 'worker', id: id('w', 1), teamId: id('t', 1) },
      requestedBy: id('w', 0),
      variant: 'handover',
      agreedBy: null,
      requestedAt: at,
    },
    personal: { reason: wide(2000), handoverNotes: wide(10000) },
  });
  return events as unknown as RecordedEvent[];
};

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('the largest allowed household fits in 1 MB in every answer', () => {
  const fold = foldHousehold(largestHousehold());

  it('is what the caps allow: the default caps reached, every other section past its preview', () => {
    expect(fold.order.goals).toHaveLength(maxGoals);
    expect(fold.order.actions).toHaveLength(maxActions);
    for (const section of ['notes', 'network', 'assignments', 'referrals', 'meetings'] as const)
      expect(fold.order[section].length).toBeGreaterThan(SECTION_PREVIEW);
  });

  it('GET /v1/households/:id: the first 25 of each section with every total, under 1 MB', () => {
    const body = householdBody(fold);
    for (const section of HOUSEHOLD_SECTIONS) {
      expect(body[section]).toHaveLength(SECTION_PREVIEW);
      expect(body.sections[section].total).toBe(fold.order[section].length);
    }
    expect(body.goals[0]!.description).toBe(wide(2000));
    // One entry per person assessed, the household-wide series first (it came first), no notes.
    expect(body.assessments).toHaveLength(31);
    expect(body.assessments[0]).toMatchObject({ memberId: null, total: 1, firstAssessedOn: '2025-12-01' });
    expect(body.assessments[1]).toEqual({
      memberId: id('m', 0),
      total: 3,
      firstAssessedOn: '2026-01-01',
      latest: { assessmentId: id('z3-', 0), assessedOn: '2026-01-03', scores: scores(3) },
    });
    expect(body.members).toHaveLength(MAX_MEMBERS);
    const size = bytes(body);
    // About 850 KB (docs/API.md; 700 KB before issue 19's review meetings, 556 KB before issue 18's
    // members and holders of authority), so a field or two more do not break it unnoticed.
    expect(size).toBeGreaterThan(0.75 * MB);
    expect(size).toBeLessThan(0.9 * MB);
  });

  it.each(HOUSEHOLD_SECTIONS)('a page of %s at the largest limit stays under 1 MB', (section) => {
    const page = sectionPage(fold, section, pageLimitMax(section));
    expect(page.items).toHaveLength(Math.min(pageLimitMax(section), fold.order[section].length));
    expect(
      bytes({ householdId: id('h', 0), [section]: page.items, total: page.total, next: page.next }),
    ).toBeLessThan(MB);
  });

  it('would not fit if the household answer showed the whole plan: the previews are what bound it', () => {
    const whole = fold.order.goals.length * 8000 + fold.order.actions.length * 8000;
    expect(whole).toBeGreaterThan(MB);
  });
});

describe('folding from a remembered version', () => {
  it('gives the same view as folding the whole stream, and leaves the earlier fold as it was', () => {
    const events = largestHousehold().slice(0, 400);
    const earlier = foldHousehold(events.slice(0, 250));
    const goalsBefore = earlier.order.goals.length;
    const later = foldHousehold(events.slice(250), earlier);
    expect(householdBody(later)).toEqual(householdBody(foldHousehold(events)));
    expect(later.version).toBe(400);
    expect(earlier.order.goals).toHaveLength(goalsBefore);
    expect(earlier.version).toBe(250);
  });

  it('counts the assessments per person alike, folded whole or from a version in the middle of them', () => {
    const events = largestHousehold();
    const split = events.length - 40;
    const earlier = foldHousehold(events.slice(0, split));
    const later = foldHousehold(events.slice(split), earlier);
    expect(householdBody(later).assessments).toEqual(householdBody(foldHousehold(events)).assessments);
    expect(householdBody(later).assessments.map((a) => a.total)).toEqual([
      1,
      ...Array.from({ length: 30 }, () => 3),
    ]);
    expect(householdBody(earlier).assessments.some((a) => a.total === 2)).toBe(true);
  });
});

describe('an erased household whose key is not destroyed yet (the erasure pending)', () => {
  // Its personal parts still open: the key store failed to destroy the key, or another process did
  // the erasure and this one's key cache still trusts the key.
  const erased = (): RecordedEvent[] => {
    const all = largestHousehold();
    // The registration, goals and actions, and the pending transfer with its reason.
    const events = [...all.slice(0, 60), all[all.length - 1]!];
    events.push({
      type: 'HouseholdDataErased',
      data: { erasedBy: 'admin-1', ground: 'AVG art. 17, verzoek 2026-118', erasedAt: at },
    } as unknown as RecordedEvent);
    return events;
  };
  const texts = (value: unknown) => JSON.stringify(value).includes('\u{1F3E0}');

  it('shows no name, description or reason once the state says erased, whether folded whole or from a remembered version', () => {
    const events = erased();
    expect(texts(householdBody(foldHousehold(events.slice(0, -1))))).toBe(true);
    for (const fold of [
      foldHousehold(events),
      foldHousehold(events.slice(-1), foldHousehold(events.slice(0, -1))),
    ]) {
      expect(fold.state.erased).toBe(true);
      const body = householdBody(fold);
      expect(texts(body)).toBe(false);
      expect(body.members.map((m) => m.name)).toEqual(body.members.map(() => null));
      expect(body.goals.map((g) => g.description)).toEqual(body.goals.map(() => null));
      expect(body.pendingTransfer).toMatchObject({ reason: null });
      for (const section of HOUSEHOLD_SECTIONS)
        expect(texts(sectionPage(fold, section, pageLimitMax(section)))).toBe(false);
      // What the household holds stays: the members, goals and actions by id, with their totals.
      expect(body.sections.goals.total).toBe(fold.order.goals.length);
      expect(body.members.length).toBe(30);
    }
  });
});

describe('the child protection measures in the household answer (issue 19)', () => {
  const measure = (measureId: string, jeugdbeschermerId?: string) =>
    ({
      type: 'ChildProtectionMeasureRecorded',
      data: {
        measureId,
        kind: 'OTS',
        organisationId: 'gi-1',
        minors: ['m-child'],
        from: '2026-01-01',
        until: '2026-12-31',
        ...(jeugdbeschermerId === undefined ? {} : { jeugdbeschermerId }),
        recordedBy: 'w-1',
        recordedAt: at,
      },
      personal: { courtOrderReference: 'C/16/123456 / JE RK 26-1' },
    }) as unknown as RecordedEvent;
  const events = (): RecordedEvent[] => [
    {
      type: 'HouseholdRegistered',
      data: {
        householdId: 'h-1',
        teamId: 't-1',
        district: 'Noord',
        members: [{ memberId: 'm-child', role: 'child', birthYear: 2015 }],
        regie: { kind: 'worker', id: 'w-1', teamId: 't-1' },
        registeredAt: at,
      },
    } as unknown as RecordedEvent,
    // Recorded before the jeugdbeschermer was named: read as before, with null.
    measure('ots-old'),
    {
      type: 'ChildProtectionMeasureEnded',
      data: { measureId: 'ots-old', endedBy: 'w-1', endedAt: at },
      personal: { reason: 'opgeheven' },
    } as unknown as RecordedEvent,
    measure('ots-1', 'jb-1'),
    measure('ots-2'),
  ];

  it('lists those not ended, with the jeugdbeschermer (null for an older event), never the court order reference', () => {
    const body = householdBody(foldHousehold(events()));
    expect(body.childProtectionMeasures).toEqual([
      {
        measureId: 'ots-1',
        kind: 'OTS',
        from: '2026-01-01',
        until: '2026-12-31',
        organisationId: 'gi-1',
        minors: ['m-child'],
        jeugdbeschermerId: 'jb-1',
      },
      expect.objectContaining({ measureId: 'ots-2', jeugdbeschermerId: null }),
    ]);
    expect(JSON.stringify(body)).not.toContain('JE RK');
  });
});
