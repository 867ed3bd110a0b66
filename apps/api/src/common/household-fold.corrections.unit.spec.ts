import type { HouseholdEvent } from '@eenplan/domain';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import { householdBody } from '../households/household.view';
import { foldHousehold } from './household-fold';

// AVG art. 16: the fold, which every read of a household goes through, shows the corrected value.

const at = '2026-01-05T09:00:00.000Z';
const history: HouseholdEvent[] = [
  {
    type: 'HouseholdRegistered',
    data: {
      householdId: 'h1',
      teamId: 't1',
      district: 'noord',
      members: [
        { memberId: 'm1', role: 'parent', birthYear: 1984 },
        { memberId: 'm2', role: 'child', birthYear: 2015 },
      ],
      regie: { kind: 'household' },
      registeredAt: at,
    },
    personal: { memberNames: { m1: 'Sanne Jansen', m2: 'Daan Jansen' } },
  },
  {
    type: 'GoalAdded',
    data: { goalId: 'g1', lifeDomain: 'finances', planRevision: 1 },
    personal: { description: 'Schulden' },
  },
  {
    type: 'ActionAdded',
    data: { actionId: 'a1', goalId: 'g1', owner: { kind: 'household', id: 'h1' }, planRevision: 1 },
    personal: { description: 'Bellen' },
  },
];
const corrections: HouseholdEvent[] = [
  {
    type: 'PersonalDataCorrected',
    data: { correctionId: 'k1', field: 'memberName', memberId: 'm1', correctedBy: 'w1', at },
    personal: { persons: { m1: { name: 'Sanne de Jong' } } },
  },
  {
    type: 'PersonalDataCorrected',
    data: {
      correctionId: 'k2',
      field: 'memberBirth',
      memberId: 'm2',
      birth: { year: 2016, month: 3 },
      correctedBy: 'w1',
      at,
    },
  },
  {
    type: 'PersonalDataCorrected',
    data: { correctionId: 'k3', field: 'goalDescription', goalId: 'g1', correctedBy: 'w1', at },
    personal: { description: 'Schulden afgelost' },
  },
  {
    type: 'PersonalDataCorrected',
    data: { correctionId: 'k4', field: 'actionDescription', actionId: 'a1', correctedBy: 'w1', at },
    personal: { description: 'Mailen' },
  },
];
const recorded = (events: HouseholdEvent[]) => events as unknown as RecordedEvent[];

describe('the household fold after corrections (AVG art. 16)', () => {
  it('shows the corrected name, birth and descriptions, folded at once or in steps', () => {
    for (const fold of [
      foldHousehold(recorded([...history, ...corrections])),
      foldHousehold(recorded(corrections), foldHousehold(recorded(history))),
    ]) {
      const body = householdBody(fold);
      expect(body.members).toEqual([
        expect.objectContaining({
          memberId: 'm1',
          role: 'parent',
          birthYear: 1984,
          birthMonth: null,
          name: 'Sanne de Jong',
        }),
        expect.objectContaining({
          memberId: 'm2',
          role: 'child',
          birthYear: 2016,
          birthMonth: 3,
          name: 'Daan Jansen',
        }),
      ]);
      expect(body.goals).toEqual([
        expect.objectContaining({ goalId: 'g1', description: 'Schulden afgelost' }),
      ]);
      expect(body.actions).toEqual([expect.objectContaining({ actionId: 'a1', description: 'Mailen' })]);
      expect(fold.version).toBe(history.length + corrections.length);
    }
  });

  it('a later correction supersedes an earlier one; one without its text (sealed away) keeps the name shown', () => {
    const again: HouseholdEvent = {
      type: 'PersonalDataCorrected',
      data: { correctionId: 'k5', field: 'memberName', memberId: 'm1', correctedBy: 'w1', at },
      personal: { persons: { m1: { name: 'S. de Jong' } } },
    };
    expect(foldHousehold(recorded([...history, ...corrections, again])).memberNames.m1).toBe('S. de Jong');
    const unreadable = { ...again, personal: undefined } as HouseholdEvent;
    expect(foldHousehold(recorded([...history, ...corrections, unreadable])).memberNames.m1).toBe(
      'Sanne de Jong',
    );
  });
});
