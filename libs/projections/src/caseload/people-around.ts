/**
 * The people around a household as caseloads show them: open volunteer assignments with their
 * hours, and open referrals (requested or accepted). Columns for a query over caseload_households h.
 */
export const PEOPLE_AROUND_COLUMNS = `
  (SELECT count(*) FROM caseload_assignments s WHERE s.household_id = h.household_id AND s.open) AS open_assignments,
  (SELECT coalesce(sum(s.hours_per_week), 0) FROM caseload_assignments s
    WHERE s.household_id = h.household_id AND s.open) AS assigned_hours,
  (SELECT count(*) FROM caseload_referrals f
    WHERE f.household_id = h.household_id AND f.status IN ('requested', 'accepted')) AS open_referrals`;

export interface PeopleAroundRow {
  open_assignments: string | number;
  assigned_hours: string | number;
  open_referrals: string | number;
}

export interface PeopleAround {
  readonly assignments: { open: number; hoursPerWeek: number };
  readonly referrals: { open: number };
}

export const peopleAroundOf = (r: PeopleAroundRow): PeopleAround => ({
  assignments: { open: Number(r.open_assignments), hoursPerWeek: Number(r.assigned_hours) },
  referrals: { open: Number(r.open_referrals) },
});
