import type { SqlExecutor } from '@eenplan/event-store/sql/sql';
import { PEOPLE_AROUND_COLUMNS, PeopleAround, peopleAroundOf, PeopleAroundRow } from './people-around';

export type CaseloadRole = 'regie-holder' | 'pending-receiver' | 'action-owner';

export interface CaseloadHousehold extends PeopleAround {
  readonly householdId: string;
  readonly teamId: string;
  readonly district: string;
  readonly status: 'active' | 'closed';
  readonly roles: CaseloadRole[];
  readonly regieSince: string | null;
  readonly openActions: number;
  readonly pendingTransfer: {
    transferId: string;
    receiverId: string;
    requestedBy: string;
    requestedAt: string;
  } | null;
  /** The earliest check-in announced overdue (CheckInOverdue) and not yet caught up with a contact. */
  readonly overdueCheckIn: { dueOn: string } | null;
}

export interface WorkerCaseload {
  readonly workerId: string;
  readonly households: CaseloadHousehold[];
  readonly counts: {
    households: number;
    regie: number;
    pendingReceiver: number;
    actionOwner: number;
    openActions: number;
    overdueCheckIns: number;
    openAssignments: number;
    openReferrals: number;
  };
  /** Regie households against the team's norm of households per worker (null: no norm set). */
  readonly norm?: CaseloadNorm;
}

export interface CaseloadNorm {
  readonly householdsPerWorker: number | null;
  readonly regieHouseholds: number;
  readonly overNorm: boolean;
}

const normFor = (householdsPerWorker: number | null, regieHouseholds: number): CaseloadNorm => ({
  householdsPerWorker,
  regieHouseholds,
  overNorm: householdsPerWorker !== null && regieHouseholds > householdsPerWorker,
});

interface HouseholdRow extends PeopleAroundRow {
  household_id: string;
  team_id: string;
  district: string;
  status: 'active' | 'closed';
  regie_worker_id: string | null;
  /** Issue 19: set when regie_worker_id is a professional's id: their organisation. */
  regie_organisation_id: string | null;
  regie_since: Date | string;
  pending_transfer_id: string | null;
  pending_receiver_id: string | null;
  pending_requested_by: string | null;
  pending_requested_at: Date | string | null;
  open_actions: string | number;
  overdue_check_in_due_on: string | null;
}

/** A page of households: at most `limit` after this household id (absent: from the first). */
export interface CaseloadPage {
  readonly limit: number;
  readonly afterHouseholdId?: string;
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

export class CaseloadQueries {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * The worker's caseload: with `page`, at most `limit` households after `afterHouseholdId` (in
   * household id order); the counts always cover all of them.
   */
  async forWorker(workerId: string, page?: CaseloadPage): Promise<WorkerCaseload> {
    const open = `(SELECT count(*) FROM caseload_actions a
                     WHERE a.household_id = h.household_id AND a.owner_kind = 'worker' AND a.owner_id = $1
                       AND NOT a.completed)`;
    // Three index lookups, not an OR over every household (which no index serves).
    const theirs = `h.household_id IN (
           SELECT household_id FROM caseload_households WHERE regie_worker_id = $1
           UNION SELECT household_id FROM caseload_households WHERE pending_receiver_id = $1
           UNION SELECT household_id FROM caseload_actions
                  WHERE owner_kind = 'worker' AND owner_id = $1 AND NOT completed)`;
    const [{ rows }, { rows: totals }] = await Promise.all([
      this.db.query<HouseholdRow>(
        `SELECT h.*, ${PEOPLE_AROUND_COLUMNS}, ${open} AS open_actions
           FROM caseload_households h
          WHERE ${theirs} AND ($2::text IS NULL OR h.household_id > $2::text)
          ORDER BY h.household_id
          LIMIT $3`,
        [workerId, page?.afterHouseholdId ?? null, page?.limit ?? null],
      ),
      this.db.query<Record<string, string | number>>(
        `WITH theirs AS (
           SELECT h.regie_worker_id, h.pending_receiver_id, h.overdue_check_in_due_on,
                  ${PEOPLE_AROUND_COLUMNS}, ${open} AS open_actions
             FROM caseload_households h WHERE ${theirs})
         SELECT count(*) AS households,
                count(*) FILTER (WHERE regie_worker_id = $1) AS regie,
                count(*) FILTER (WHERE pending_receiver_id = $1) AS pending_receiver,
                count(*) FILTER (WHERE open_actions > 0) AS action_owner,
                coalesce(sum(open_actions), 0) AS open_actions,
                count(*) FILTER (WHERE overdue_check_in_due_on IS NOT NULL) AS overdue_check_ins,
                coalesce(sum(open_assignments), 0) AS open_assignments,
                coalesce(sum(open_referrals), 0) AS open_referrals
           FROM theirs`,
        [workerId],
      ),
    ]);
    const households = rows.map((r): CaseloadHousehold => {
      const roles: CaseloadRole[] = [];
      if (r.regie_worker_id === workerId) roles.push('regie-holder');
      if (r.pending_receiver_id === workerId) roles.push('pending-receiver');
      if (Number(r.open_actions) > 0) roles.push('action-owner');
      return {
        householdId: r.household_id,
        teamId: r.team_id,
        district: r.district,
        status: r.status,
        roles,
        regieSince: r.regie_worker_id === workerId ? iso(r.regie_since) : null,
        openActions: Number(r.open_actions),
        pendingTransfer: pendingOf(r),
        overdueCheckIn: overdueOf(r),
        ...peopleAroundOf(r),
      };
    });
    const t = totals[0]!;
    return {
      workerId,
      households,
      counts: {
        households: Number(t.households),
        regie: Number(t.regie),
        pendingReceiver: Number(t.pending_receiver),
        actionOwner: Number(t.action_owner),
        openActions: Number(t.open_actions),
        overdueCheckIns: Number(t.overdue_check_ins),
        openAssignments: Number(t.open_assignments),
        openReferrals: Number(t.open_referrals),
      },
    };
  }

  /**
   * The team's households with their regie holders, pending transfers and per-worker counts: with
   * `page`, at most `limit` households after `afterHouseholdId`; the counts always cover all of them.
   */
  async forTeam(teamId: string, page?: CaseloadPage) {
    const [{ rows }, { rows: totals }] = await Promise.all([
      this.db.query<HouseholdRow>(
        `SELECT h.*, ${PEOPLE_AROUND_COLUMNS},
                (SELECT count(*) FROM caseload_actions a WHERE a.household_id = h.household_id AND NOT a.completed) AS open_actions
           FROM caseload_households h
          WHERE h.team_id = $1 AND ($2::text IS NULL OR h.household_id > $2::text)
          ORDER BY h.household_id
          LIMIT $3`,
        [teamId, page?.afterHouseholdId ?? null, page?.limit ?? null],
      ),
      // Kept by triggers on the rows they count (migration 0430): one row, whatever the team's size.
      this.db.query<Record<string, string | number>>(
        `SELECT households, active, eigen_regie, pending_transfers, overdue_check_ins, open_assignments,
                open_referrals
           FROM caseload_team_counts WHERE team_id = $1`,
        [teamId],
      ),
    ]);
    const { rows: perWorker } = await this.db.query<{
      worker_id: string;
      regie: string;
      pending: string;
      open_actions: string;
    }>(
      `SELECT w.worker_id, coalesce(c.regie, 0) AS regie, coalesce(c.pending_receiver, 0) AS pending,
              coalesce(c.open_actions, 0) AS open_actions
         FROM workers w LEFT JOIN caseload_worker_counts c ON c.worker_id = w.worker_id
        WHERE w.team_id = $1 ORDER BY w.worker_id`,
      [teamId],
    );
    const norm = await this.normOf(teamId);
    const t = totals[0] ?? {};
    return {
      teamId,
      households: rows.map((r) => ({
        householdId: r.household_id,
        district: r.district,
        status: r.status,
        regieHolder: holderOf(r),
        openActions: Number(r.open_actions),
        pendingTransfer: pendingOf(r),
        overdueCheckIn: overdueOf(r),
        ...peopleAroundOf(r),
      })),
      workers: perWorker.map((w) => ({
        workerId: w.worker_id,
        regie: Number(w.regie),
        pendingReceiver: Number(w.pending),
        openActions: Number(w.open_actions),
        norm: normFor(norm, Number(w.regie)),
      })),
      counts: {
        households: Number(t.households ?? 0),
        active: Number(t.active ?? 0),
        eigenRegie: Number(t.eigen_regie ?? 0),
        pendingTransfers: Number(t.pending_transfers ?? 0),
        overdueCheckIns: Number(t.overdue_check_ins ?? 0),
        openAssignments: Number(t.open_assignments ?? 0),
        openReferrals: Number(t.open_referrals ?? 0),
      },
      norm: { householdsPerWorker: norm },
    };
  }

  /** The team's norm of households per worker; null until the team sets one. */
  async normOf(teamId: string): Promise<number | null> {
    const { rows } = await this.db.query<{ households_per_worker: number }>(
      `SELECT households_per_worker FROM caseload_team_norms WHERE team_id = $1`,
      [teamId],
    );
    return rows[0] ? Number(rows[0].households_per_worker) : null;
  }

  /** A worker's regie households against their team's norm. */
  async normForWorker(caseload: WorkerCaseload, teamId: string): Promise<WorkerCaseload> {
    return { ...caseload, norm: normFor(await this.normOf(teamId), caseload.counts.regie) };
  }

  /**
   * Issue 19, an organisation's caseload: the households where one of its professionals holds
   * regie or a referral to it is open (requested or accepted), by household id, `page` as forTeam.
   */
  async forOrganisation(organisationId: string, page?: CaseloadPage) {
    const { rows } = await this.db.query<HouseholdRow & { referrals: string | null }>(
      `SELECT h.*, ${PEOPLE_AROUND_COLUMNS},
              (SELECT count(*) FROM caseload_actions a WHERE a.household_id = h.household_id AND NOT a.completed) AS open_actions,
              (SELECT string_agg(r.referral_id, ' ' ORDER BY r.referral_id) FROM caseload_referrals r
                WHERE r.household_id = h.household_id AND r.organisation_id = $1
                  AND r.status IN ('requested', 'accepted')) AS referrals
         FROM caseload_households h
        WHERE (h.regie_organisation_id = $1
               OR EXISTS (SELECT 1 FROM caseload_referrals r WHERE r.household_id = h.household_id
                             AND r.organisation_id = $1 AND r.status IN ('requested', 'accepted')))
          AND ($2::text IS NULL OR h.household_id > $2::text)
        ORDER BY h.household_id
        LIMIT $3`,
      [organisationId, page?.afterHouseholdId ?? null, page?.limit ?? null],
    );
    return rows.map((r) => ({
      householdId: r.household_id,
      teamId: r.team_id,
      district: r.district,
      status: r.status,
      regieHolder: holderOf(r),
      regieSince: iso(r.regie_since),
      openReferrals: r.referrals === null ? [] : r.referrals.split(' '),
      openActions: Number(r.open_actions),
      pendingTransfer: pendingOf(r),
    }));
  }

  /** Households where the professional holds regie now (issue 19: they are not deactivated while they do). */
  async householdsWithProfessionalRegie(organisationId: string, professionalId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ household_id: string }>(
      `SELECT household_id FROM caseload_households WHERE regie_organisation_id = $1 AND regie_worker_id = $2
        ORDER BY household_id`,
      [organisationId, professionalId],
    );
    return rows.map((r) => r.household_id);
  }

  /** Households where the worker holds regie now (invariant 8). */
  async householdsWithRegie(workerId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ household_id: string }>(
      `SELECT household_id FROM caseload_households WHERE regie_worker_id = $1 ORDER BY household_id`,
      [workerId],
    );
    return rows.map((r) => r.household_id);
  }
}

/** Who holds regie as the row has it: a professional's row names their organisation (issue 19). */
const holderOf = (r: HouseholdRow) =>
  r.regie_worker_id === null
    ? { kind: 'household', id: r.household_id }
    : r.regie_organisation_id
      ? { kind: 'professional', id: r.regie_worker_id, organisationId: r.regie_organisation_id }
      : { kind: 'worker', id: r.regie_worker_id };

const overdueOf = (r: HouseholdRow) =>
  r.overdue_check_in_due_on ? { dueOn: r.overdue_check_in_due_on } : null;

const pendingOf = (r: HouseholdRow) =>
  r.pending_transfer_id
    ? {
        transferId: r.pending_transfer_id,
        receiverId: r.pending_receiver_id!,
        requestedBy: r.pending_requested_by!,
        requestedAt: iso(r.pending_requested_at!),
      }
    : null;
