import { initialHouseholdState, type HouseholdState, type MemberState } from '@eenplan/domain';
import { isAdmissibleResident } from './resident-principals';

// Who the household's stream backs as a resident (issue 20): a current member of 16 or over of a
// registered household that was not erased. Ages as persons.ts counts them: with the birth month
// known, a birthday counts from the month after.

const member = (over: Partial<MemberState> = {}): MemberState => ({
  memberId: 'm-1',
  role: 'child',
  birthYear: 2010,
  birthMonth: 3,
  ...over,
});
const household = (m: MemberState, over: Partial<HouseholdState> = {}): HouseholdState => ({
  ...initialHouseholdState(),
  status: 'active',
  householdId: 'h-1',
  members: { [m.memberId]: m },
  ...over,
});

describe('isAdmissibleResident', () => {
  it('admits a member from the month after their 16th birthday month, not before', () => {
    expect(isAdmissibleResident(household(member()), 'm-1', '2026-03-31')).toBe(false);
    expect(isAdmissibleResident(household(member()), 'm-1', '2026-04-01')).toBe(true);
  });

  it('with only the birth year known, from 1 January of the year after they turn 16', () => {
    const m = member({ birthMonth: undefined });
    expect(isAdmissibleResident(household(m), 'm-1', '2026-12-31')).toBe(false);
    expect(isAdmissibleResident(household(m), 'm-1', '2027-01-01')).toBe(true);
  });

  it('refuses a member who left, whose data was erased, an erased or unregistered household, an unknown id', () => {
    const adult = member({ role: 'adult', birthYear: 1980 });
    const day = '2026-06-01';
    expect(isAdmissibleResident(household(adult), 'm-1', day)).toBe(true);
    expect(
      isAdmissibleResident(
        household({ ...adult, left: { on: '2026-05-01', reason: 'moved-out' } }),
        'm-1',
        day,
      ),
    ).toBe(false);
    expect(
      isAdmissibleResident(household({ ...adult, dataErasedAt: '2026-05-02T00:00:00.000Z' }), 'm-1', day),
    ).toBe(false);
    expect(isAdmissibleResident(household(adult, { erased: true }), 'm-1', day)).toBe(false);
    expect(isAdmissibleResident(household(adult, { status: 'unregistered' }), 'm-1', day)).toBe(false);
    expect(isAdmissibleResident(household(adult), 'm-2', day)).toBe(false);
  });

  it('a closed plan still has its residents', () => {
    expect(
      isAdmissibleResident(household(member({ birthYear: 1980 }), { status: 'closed' }), 'm-1', '2026-06-01'),
    ).toBe(true);
  });
});
