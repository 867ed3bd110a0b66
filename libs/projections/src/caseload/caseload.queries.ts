import type { SqlExecutor } from '@eenplan/event-store/sql/sql';
import {
  PEOPLE_AROUND_COLUMNS,
  PeopleAround,
  peopleAroundCounts,
  peopleAroundOf,
  PeopleAroundRow,
} from './people-around';

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
  regie_since: Date | string;
  pending_transfer_id: string | null;
  pending_receiver_id: string | null;
  pending_requested_by: string | null;
  pending_requested_at: Date | string | null;
  open_actions: string | number;
  overdue_check_in_due_on: string | null;
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

export class CaseloadQueries {
  constructor(private readonly db: SqlExecutor) {}

  async forWorker(workerId: string): Promise<WorkerCaseload> {
    const { rows } = await this.db.query<HouseholdRow>(
      `SELECT h.*, ${PEOPLE_AROUND_COLUMNS}, (SELECT count(*) FROM caseload_actions a
                     WHERE a.household_id = h.household_id AND a.owner_kind = 'worker' AND a.owner_id = $1
                       AND NOT a.completed) AS open_actions
         FROM caseload_households h
        WHERE h.regie_worker_id = $1 OR h.pending_receiver_id = $1
           OR EXISTS (SELECT 1 FROM caseload_actions a WHERE a.household_id = h.household_id
                        AND a.owner_kind = 'worker' AND a.owner_id = $1 AND NOT a.completed)
        ORDER BY h.household_id`,
      [workerId],
    );
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
    return {
      workerId,
      households,
      counts: {
        households: households.length,
        regie: households.filter((h) => h.roles.includes('regie-holder')).length,
        pendingReceiver: households.filter((h) => h.roles.includes('pending-receiver')).length,
        actionOwner: households.filter((h) => h.roles.includes('action-owner')).length,
        openActions: households.reduce((n, h) => n + h.openActions, 0),
        overdueCheckIns: households.filter((h) => h.overdueCheckIn).length,
        ...peopleAroundCounts(households),
      },
    };
  }

  /** The team's households with their regie holders, pending transfers and per-worker counts. */
  async forTeam(teamId: string) {
    const { rows } = await this.db.query<HouseholdRow>(
      `SELECT h.*, ${PEOPLE_AROUND_COLUMNS},
              (SELECT count(*) FROM caseload_actions a WHERE a.household_id = h.household_id AND NOT a.completed) AS open_actions
         FROM caseload_households h WHERE h.team_id = $1 ORDER BY h.household_id`,
      [teamId],
    );
    const { rows: perWorker } = await this.db.query<{
      worker_id: string;
      regie: string;
      pending: string;
      open_actions: string;
    }>(
      `SELECT w.worker_id,
              (SELECT count(*) FROM caseload_households h WHERE h.regie_worker_id = w.worker_id) AS regie,
              (SELECT count(*) FROM caseload_households h WHERE h.pending_receiver_id = w.worker_id) AS pending,
              (SELECT count(*) FROM caseload_actions a WHERE a.owner_kind = 'worker' AND a.owner_id = w.worker_id
                  AND NOT a.completed) AS open_actions
         FROM workers w WHERE w.team_id = $1 ORDER BY w.worker_id`,
      [teamId],
    );
    const norm = await this.normOf(teamId);
    const around = rows.map(peopleAroundOf);
    return {
      teamId,
      households: rows.map((r, i) => ({
        householdId: r.household_id,
        district: r.district,
        status: r.status,
        regieHolder: r.regie_worker_id
          ? { kind: 'worker', id: r.regie_worker_id }
          : { kind: 'household', id: r.household_id },
        openActions: Number(r.open_actions),
        pendingTransfer: pendingOf(r),
        overdueCheckIn: overdueOf(r),
        ...around[i]!,
      })),
      workers: perWorker.map((w) => ({
        workerId: w.worker_id,
        regie: Number(w.regie),
        pendingReceiver: Number(w.pending),
        openActions: Number(w.open_actions),
        norm: normFor(norm, Number(w.regie)),
      })),
      counts: {
        households: rows.length,
        active: rows.filter((r) => r.status === 'active').length,
        eigenRegie: rows.filter((r) => r.status === 'active' && !r.regie_worker_id).length,
        pendingTransfers: rows.filter((r) => r.pending_transfer_id).length,
        overdueCheckIns: rows.filter((r) => r.overdue_check_in_due_on).length,
        ...peopleAroundCounts(around),
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

  /** Households where the worker holds regie now (invariant 8). */
  async householdsWithRegie(workerId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ household_id: string }>(
      `SELECT household_id FROM caseload_households WHERE regie_worker_id = $1 ORDER BY household_id`,
      [workerId],
    );
    return rows.map((r) => r.household_id);
  }
}

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
