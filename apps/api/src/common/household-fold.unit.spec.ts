import type { HouseholdEvent } from '@eenplan/domain';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import { foldHousehold } from './household-fold';

// Member names are read from both shapes: `personal.memberNames` (registrations before person
// parts) and `personal.persons[memberId].name` (each member's own part, erasable on its own).

const registered = (personal: Record<string, unknown> | null): RecordedEvent =>
  ({
    type: 'HouseholdRegistered',
    data: {
      householdId: 'h-1',
      teamId: 't-1',
      district: 'centrum',
      members: [
        { memberId: 'm-1', role: 'parent', birthYear: 1988 },
        { memberId: 'm-2', role: 'adult', birthYear: 1990 },
      ],
      regie: { kind: 'household' },
      registeredAt: '2026-01-05T09:00:00.000Z',
    },
    personal,
  }) as unknown as RecordedEvent;

const event = (e: HouseholdEvent): RecordedEvent => e as unknown as RecordedEvent;
const memberErased = event({
  type: 'MemberDataErased',
  data: {
    memberId: 'm-2',
    erasedBy: 'admin-1',
    ground: 'AVG art. 17, verzoek 7',
    erasedAt: '2026-02-01T00:00:00.000Z',
  },
});

describe('member names in the household fold', () => {
  it('reads the names of a registration before person parts (memberNames)', () => {
    const fold = foldHousehold([registered({ memberNames: { 'm-1': 'Ilse', 'm-2': 'Jorrit' } })]);
    expect(fold.memberNames).toEqual({ 'm-1': 'Ilse', 'm-2': 'Jorrit' });
  });

  it("reads each name from its member's own part", () => {
    const fold = foldHousehold([
      registered({ persons: { 'm-1': { name: 'Ilse' }, 'm-2': { name: 'Jorrit' } } }),
    ]);
    expect(fold.memberNames).toEqual({ 'm-1': 'Ilse', 'm-2': 'Jorrit' });
  });

  it("shows no name for a member whose part reads as null (their key destroyed), the other's as before", () => {
    const fold = foldHousehold([registered({ persons: { 'm-1': { name: 'Ilse' }, 'm-2': null } })]);
    expect(fold.memberNames).toEqual({ 'm-1': 'Ilse' });
  });

  it('after MemberDataErased shows no name for that member, even one an older event still holds', () => {
    for (const personal of [
      { memberNames: { 'm-1': 'Ilse', 'm-2': 'Jorrit' } },
      { persons: { 'm-1': { name: 'Ilse' }, 'm-2': { name: 'Jorrit' } } },
    ]) {
      const first = foldHousehold([registered(personal)]);
      // Folded on from a cached fold, and from the start: the same.
      for (const fold of [
        foldHousehold([memberErased], first),
        foldHousehold([registered(personal), memberErased]),
      ]) {
        expect(fold.memberNames).toEqual({ 'm-1': 'Ilse' });
        expect(fold.state.members['m-2']!.dataErasedAt).toBe('2026-02-01T00:00:00.000Z');
      }
    }
  });
});

describe('goal proposals in the household fold (issue 20)', () => {
  const proposed = (personal: Record<string, unknown> | null, by = 'm-2'): RecordedEvent =>
    ({
      type: 'GoalProposed',
      data: { proposalId: 'gp-1', lifeDomain: null, by, proposedAt: '2026-01-06T09:00:00.000Z' },
      personal,
    }) as unknown as RecordedEvent;
  const left = event({
    type: 'MemberLeft',
    data: { memberId: 'm-2', reason: 'moved-out', on: '2026-01-10', leftAt: '2026-01-10T09:00:00.000Z' },
  } as unknown as HouseholdEvent);

  it("reads the text from the proposer's own part, not from anyone else's", () => {
    const fold = foldHousehold([
      registered({ persons: { 'm-1': { name: 'Ilse' }, 'm-2': { name: 'Jorrit' } } }),
      proposed({ persons: { 'm-2': { text: 'Weer aan het werk' }, 'm-1': { text: 'niet van m-1' } } }),
    ]);
    expect(fold.texts.proposals.get('gp-1')).toBe('Weer aan het werk');
    expect(fold.state.goalProposals['gp-1']).toMatchObject({ by: 'm-2', lifeDomain: null });
  });

  it("shows no text once the proposer's key is gone or their data was erased", () => {
    const gone = foldHousehold([
      registered({ persons: { 'm-1': { name: 'Ilse' } } }),
      proposed({ persons: { 'm-2': null } }),
    ]);
    expect(gone.texts.proposals.get('gp-1')).toBeNull();
    const erased = foldHousehold([
      registered({ persons: { 'm-1': { name: 'Ilse' }, 'm-2': { name: 'Jorrit' } } }),
      proposed({ persons: { 'm-2': { text: 'Weer aan het werk' } } }),
      left,
      memberErased,
    ]);
    expect(erased.texts.proposals.get('gp-1')).toBeNull();
  });
});
