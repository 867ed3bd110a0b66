import type { SqlExecutor } from '@eenplan/event-store/sql/sql';

export type CaseloadRole = 'regie-holder' | 'pending-receiver' | 'action-owner';

export interface CaseloadHousehold {
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
  };
}

interface HouseholdRow {
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
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

export class CaseloadQueries {
  constructor(private readonly db: SqlExecutor) {}

  async forWorker(workerId: string): Promise<WorkerCaseload> {
    const { rows } = await this.db.query<HouseholdRow>(
      `SELECT h.*, (SELECT count(*) FROM caseload_actions a
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
      },
    };
  }

  /** The team's households with their regie holders, pending transfers and per-worker counts. */
  async forTeam(teamId: string) {
    const { rows } = await this.db.query<HouseholdRow>(
      `SELECT h.*, (SELECT count(*) FROM caseload_actions a WHERE a.household_id = h.household_id AND NOT a.completed) AS open_actions
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
    return {
      teamId,
      households: rows.map((r) => ({
        householdId: r.household_id,
        district: r.district,
        status: r.status,
        regieHolder: r.regie_worker_id
          ? { kind: 'worker', id: r.regie_worker_id }
          : { kind: 'household', id: r.household_id },
        openActions: Number(r.open_actions),
        pendingTransfer: pendingOf(r),
      })),
      workers: perWorker.map((w) => ({
        workerId: w.worker_id,
        regie: Number(w.regie),
        pendingReceiver: Number(w.pending),
        openActions: Number(w.open_actions),
      })),
      counts: {
        households: rows.length,
        active: rows.filter((r) => r.status === 'active').length,
        eigenRegie: rows.filter((r) => r.status === 'active' && !r.regie_worker_id).length,
        pendingTransfers: rows.filter((r) => r.pending_transfer_id).length,
      },
    };
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

const pendingOf = (r: HouseholdRow) =>
  r.pending_transfer_id
    ? {
        transferId: r.pending_transfer_id,
        receiverId: r.pending_receiver_id!,
        requestedBy: r.pending_requested_by!,
        requestedAt: iso(r.pending_requested_at!),
      }
    : null;
