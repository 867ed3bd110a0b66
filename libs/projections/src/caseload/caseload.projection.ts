import type { HouseholdEvent, RegieHolder, TeamCaseloadNormSet } from '@eenplan/domain';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';
import { Projection } from '../projection';
import { applyChanges, householdOf, perEvent, type Change, type SetStatement } from '../set-apply';

/**
 * The three statement-level triggers that run `caseload_<table>_counted()` with the rows a statement
 * changed (a trigger with transition tables may have one event only).
 */
const countedBy = (table: string) =>
  (
    [
      ['insert', 'INSERT', 'NEW TABLE AS new_rows'],
      ['update', 'UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
      ['delete', 'DELETE', 'OLD TABLE AS old_rows'],
    ] as const
  )
    .map(
      ([name, event, rows]) =>
        `DROP TRIGGER IF EXISTS caseload_${table}_counted_${name} ON caseload_${table};
         CREATE TRIGGER caseload_${table}_counted_${name} AFTER ${event} ON caseload_${table}
           REFERENCING ${rows} FOR EACH STATEMENT EXECUTE FUNCTION caseload_${table}_counted();`,
    )
    .join('\n');

/**
 * Caseloads: per household the regie holder and the pending receiver, per action its owner. Worker
 * and team views are queries over these two tables (caseload.queries.ts).
 */
export const caseloadProjection: Projection = {
  name: 'caseload',
  version: 3,
  tables: [
    'caseload_actions',
    'caseload_households',
    'caseload_team_norms',
    'caseload_assignments',
    'caseload_referrals',
    // Last: emptying the tables above runs their triggers, which change these.
    'caseload_team_counts',
    'caseload_worker_counts',
  ],
  migrations: [
    {
      id: '0400_caseload',
      sql: `CREATE TABLE IF NOT EXISTS caseload_households (
              household_id text PRIMARY KEY,
              team_id text NOT NULL,
              district text NOT NULL,
              status text NOT NULL,
              regie_worker_id text,
              regie_since timestamptz NOT NULL,
              pending_transfer_id text,
              pending_receiver_id text,
              pending_requested_by text,
              pending_requested_at timestamptz
            );
            CREATE INDEX IF NOT EXISTS caseload_households_team ON caseload_households (team_id);
            CREATE INDEX IF NOT EXISTS caseload_households_regie ON caseload_households (regie_worker_id);
            CREATE INDEX IF NOT EXISTS caseload_households_pending ON caseload_households (pending_receiver_id);
            CREATE TABLE IF NOT EXISTS caseload_actions (
              household_id text NOT NULL,
              action_id text NOT NULL,
              owner_kind text NOT NULL,
              owner_id text NOT NULL,
              completed boolean NOT NULL DEFAULT false,
              PRIMARY KEY (household_id, action_id)
            );
            CREATE INDEX IF NOT EXISTS caseload_actions_owner ON caseload_actions (owner_kind, owner_id);`,
    },
    {
      // Overdue check-ins as announced by CheckInOverdue (cleared by a contact), and the team's norm.
      id: '0401_caseload_check_ins_and_norms',
      sql: `ALTER TABLE caseload_households ADD COLUMN IF NOT EXISTS overdue_check_in_due_on text;
            CREATE TABLE IF NOT EXISTS caseload_team_norms (
              team_id text PRIMARY KEY,
              households_per_worker integer NOT NULL
            );`,
    },
    {
      // Volunteer assignments and referrals per household, so caseloads show who else works with it.
      id: '0410_caseload_assignments_referrals',
      sql: `CREATE TABLE IF NOT EXISTS caseload_assignments (
              household_id text NOT NULL,
              assignment_id text NOT NULL,
              volunteer_id text NOT NULL,
              hours_per_week numeric NOT NULL,
              open boolean NOT NULL,
              PRIMARY KEY (household_id, assignment_id)
            );
            CREATE TABLE IF NOT EXISTS caseload_referrals (
              household_id text NOT NULL,
              referral_id text NOT NULL,
              organisation_id text NOT NULL,
              status text NOT NULL,
              PRIMARY KEY (household_id, referral_id)
            );`,
    },
    {
      // Issue 19: regie with a professional: regie_worker_id holds their id, this their organisation
      // (null for a worker), so a caseload tells the two apart and an organisation has its own.
      id: '0420_caseload_professional_regie',
      sql: `ALTER TABLE caseload_households ADD COLUMN IF NOT EXISTS regie_organisation_id text;
            CREATE INDEX IF NOT EXISTS caseload_households_regie_organisation
              ON caseload_households (regie_organisation_id);
            CREATE INDEX IF NOT EXISTS caseload_referrals_organisation ON caseload_referrals (organisation_id);`,
    },
    {
      // Issue 22: a team's caseload cost what its team's size did (every page counted the whole
      // team). Its counts, and each worker's, are kept by triggers on the rows they count, so a
      // page reads one row of counts, its workers' rows and its own households; they hold whatever
      // writes the rows (apply, applyBatch, a reset's DELETE). Filled here from the rows there are.
      id: '0430_caseload_counters',
      sql: `CREATE INDEX IF NOT EXISTS caseload_households_team_household
              ON caseload_households (team_id, household_id);
            CREATE TABLE IF NOT EXISTS caseload_team_counts (
              team_id text PRIMARY KEY,
              households bigint NOT NULL,
              active bigint NOT NULL,
              eigen_regie bigint NOT NULL,
              pending_transfers bigint NOT NULL,
              overdue_check_ins bigint NOT NULL,
              open_assignments bigint NOT NULL,
              open_referrals bigint NOT NULL
            );
            CREATE TABLE IF NOT EXISTS caseload_worker_counts (
              worker_id text PRIMARY KEY,
              regie bigint NOT NULL,
              pending_receiver bigint NOT NULL,
              open_actions bigint NOT NULL
            );

            -- One row per team and per worker, updated in place by every statement that changes
            -- what they count: kept small, with room on their pages for HOT updates.
            ALTER TABLE caseload_team_counts SET (fillfactor = 20);
            ALTER TABLE caseload_worker_counts SET (fillfactor = 20);

            -- The triggers run once per statement, with the rows it changed (transition tables), and
            -- add up what those rows counted before and after: a set-based batch that changes a
            -- thousand rows of a team updates that team's row once, not a thousand times (one row
            -- updated over and over in one transaction leaves a version each time, none prunable
            -- until it commits).

            -- A household counts for its team (and, once, its open assignments and referrals, which
            -- go with it) and for the workers holding regie or receiving a pending transfer.
            CREATE OR REPLACE FUNCTION caseload_count_households(
              gone caseload_households[], came caseload_households[], with_around boolean) RETURNS void
            LANGUAGE sql AS $$
              WITH d AS (
                SELECT -1 AS sign, g.* FROM unnest(gone) g
                UNION ALL
                SELECT 1 AS sign, c.* FROM unnest(came) c
              )
              INSERT INTO caseload_team_counts AS t
              SELECT * FROM (
                SELECT d.team_id,
                       sum(d.sign) AS households,
                       coalesce(sum(d.sign) FILTER (WHERE d.status = 'active'), 0) AS active,
                       coalesce(sum(d.sign) FILTER (WHERE d.status = 'active' AND d.regie_worker_id IS NULL), 0)
                         AS eigen_regie,
                       coalesce(sum(d.sign) FILTER (WHERE d.pending_transfer_id IS NOT NULL), 0) AS pending_transfers,
                       coalesce(sum(d.sign) FILTER (WHERE d.overdue_check_in_due_on IS NOT NULL), 0)
                         AS overdue_check_ins,
                       CASE WHEN with_around THEN sum(d.sign * (SELECT count(*) FROM caseload_assignments s
                                                  WHERE s.household_id = d.household_id AND s.open)) ELSE 0 END
                         AS open_assignments,
                       CASE WHEN with_around THEN sum(d.sign * (SELECT count(*) FROM caseload_referrals f
                                                  WHERE f.household_id = d.household_id
                                                    AND f.status IN ('requested', 'accepted'))) ELSE 0 END
                         AS open_referrals
                  FROM d GROUP BY d.team_id) x
               WHERE (households, active, eigen_regie, pending_transfers, overdue_check_ins, open_assignments,
                      open_referrals) <> (0, 0, 0, 0, 0, 0, 0)
              ON CONFLICT (team_id) DO UPDATE SET
                households = t.households + EXCLUDED.households,
                active = t.active + EXCLUDED.active,
                eigen_regie = t.eigen_regie + EXCLUDED.eigen_regie,
                pending_transfers = t.pending_transfers + EXCLUDED.pending_transfers,
                overdue_check_ins = t.overdue_check_ins + EXCLUDED.overdue_check_ins,
                open_assignments = t.open_assignments + EXCLUDED.open_assignments,
                open_referrals = t.open_referrals + EXCLUDED.open_referrals;
              WITH d AS (
                SELECT -1 AS sign, g.* FROM unnest(gone) g
                UNION ALL
                SELECT 1 AS sign, c.* FROM unnest(came) c
              ), w AS (
                SELECT regie_worker_id AS worker_id, sign AS regie, 0 AS pending_receiver FROM d
                 WHERE regie_worker_id IS NOT NULL
                UNION ALL
                SELECT pending_receiver_id, 0, sign FROM d WHERE pending_receiver_id IS NOT NULL
              )
              INSERT INTO caseload_worker_counts AS c
              SELECT worker_id, sum(regie), sum(pending_receiver), 0 FROM w GROUP BY worker_id
              HAVING sum(regie) <> 0 OR sum(pending_receiver) <> 0
              ON CONFLICT (worker_id) DO UPDATE SET
                regie = c.regie + EXCLUDED.regie,
                pending_receiver = c.pending_receiver + EXCLUDED.pending_receiver;
            $$;
            CREATE OR REPLACE FUNCTION caseload_households_counted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'INSERT' THEN
                PERFORM caseload_count_households('{}', ARRAY(SELECT n::caseload_households FROM new_rows n), true);
              ELSIF TG_OP = 'DELETE' THEN
                PERFORM caseload_count_households(ARRAY(SELECT o::caseload_households FROM old_rows o), '{}', true);
              ELSE
                -- No event moves a household to another team; its assignments and referrals would
                -- have to move with it.
                IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n USING (household_id)
                            WHERE o.team_id <> n.team_id) THEN
                  RAISE EXCEPTION 'caseload: a household''s team does not change';
                END IF;
                PERFORM caseload_count_households(ARRAY(SELECT o::caseload_households FROM old_rows o), ARRAY(SELECT n::caseload_households FROM new_rows n), false);
              END IF;
              RETURN NULL;
            END $$;
            ${countedBy('households')}

            -- An open action counts for its owner when the owner is a worker.
            CREATE OR REPLACE FUNCTION caseload_count_actions(gone caseload_actions[], came caseload_actions[])
            RETURNS void LANGUAGE sql AS $$
              INSERT INTO caseload_worker_counts AS c
              SELECT owner_id, 0, 0, sum(sign)
                FROM (SELECT -1 AS sign, g.owner_id FROM unnest(gone) g
                       WHERE g.owner_kind = 'worker' AND NOT g.completed
                      UNION ALL
                      SELECT 1, n.owner_id FROM unnest(came) n WHERE n.owner_kind = 'worker' AND NOT n.completed) x
               GROUP BY owner_id HAVING sum(sign) <> 0
              ON CONFLICT (worker_id) DO UPDATE SET open_actions = c.open_actions + EXCLUDED.open_actions;
            $$;
            CREATE OR REPLACE FUNCTION caseload_actions_counted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'INSERT' THEN
                PERFORM caseload_count_actions('{}', ARRAY(SELECT n::caseload_actions FROM new_rows n));
              ELSIF TG_OP = 'DELETE' THEN
                PERFORM caseload_count_actions(ARRAY(SELECT o::caseload_actions FROM old_rows o), '{}');
              ELSE
                PERFORM caseload_count_actions(ARRAY(SELECT o::caseload_actions FROM old_rows o), ARRAY(SELECT n::caseload_actions FROM new_rows n));
              END IF;
              RETURN NULL;
            END $$;
            ${countedBy('actions')}

            -- Open assignments and referrals count for the team of their household, once it has a
            -- row: the households of the rows that counted before and of those that count after.
            CREATE OR REPLACE FUNCTION caseload_count_around(gone text[], came text[], assignment boolean)
            RETURNS void LANGUAGE sql AS $$
              INSERT INTO caseload_team_counts AS t
              SELECT h.team_id, 0, 0, 0, 0, 0,
                     CASE WHEN assignment THEN sum(d.sign) ELSE 0 END,
                     CASE WHEN assignment THEN 0 ELSE sum(d.sign) END
                FROM (SELECT -1 AS sign, x AS household_id FROM unnest(gone) x
                      UNION ALL
                      SELECT 1, x FROM unnest(came) x) d
                JOIN caseload_households h ON h.household_id = d.household_id
               GROUP BY h.team_id HAVING sum(d.sign) <> 0
              ON CONFLICT (team_id) DO UPDATE SET
                open_assignments = t.open_assignments + EXCLUDED.open_assignments,
                open_referrals = t.open_referrals + EXCLUDED.open_referrals;
            $$;
            CREATE OR REPLACE FUNCTION caseload_assignments_counted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'INSERT' THEN
                PERFORM caseload_count_around('{}', ARRAY(SELECT household_id FROM new_rows WHERE open), true);
              ELSIF TG_OP = 'DELETE' THEN
                PERFORM caseload_count_around(ARRAY(SELECT household_id FROM old_rows WHERE open), '{}', true);
              ELSE
                PERFORM caseload_count_around(ARRAY(SELECT household_id FROM old_rows WHERE open),
                                              ARRAY(SELECT household_id FROM new_rows WHERE open), true);
              END IF;
              RETURN NULL;
            END $$;
            CREATE OR REPLACE FUNCTION caseload_referrals_counted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'INSERT' THEN
                PERFORM caseload_count_around('{}', ARRAY(SELECT household_id FROM new_rows
                                                            WHERE status IN ('requested', 'accepted')), false);
              ELSIF TG_OP = 'DELETE' THEN
                PERFORM caseload_count_around(ARRAY(SELECT household_id FROM old_rows
                                                      WHERE status IN ('requested', 'accepted')), '{}', false);
              ELSE
                PERFORM caseload_count_around(
                  ARRAY(SELECT household_id FROM old_rows WHERE status IN ('requested', 'accepted')),
                  ARRAY(SELECT household_id FROM new_rows WHERE status IN ('requested', 'accepted')), false);
              END IF;
              RETURN NULL;
            END $$;
            ${countedBy('assignments')}
            ${countedBy('referrals')}

            DELETE FROM caseload_team_counts;
            INSERT INTO caseload_team_counts
            SELECT h.team_id, count(*),
                   count(*) FILTER (WHERE h.status = 'active'),
                   count(*) FILTER (WHERE h.status = 'active' AND h.regie_worker_id IS NULL),
                   count(*) FILTER (WHERE h.pending_transfer_id IS NOT NULL),
                   count(*) FILTER (WHERE h.overdue_check_in_due_on IS NOT NULL),
                   coalesce(sum(s.n), 0), coalesce(sum(f.n), 0)
              FROM caseload_households h
              LEFT JOIN (SELECT household_id, count(*) AS n FROM caseload_assignments WHERE open
                          GROUP BY household_id) s ON s.household_id = h.household_id
              LEFT JOIN (SELECT household_id, count(*) AS n FROM caseload_referrals
                          WHERE status IN ('requested', 'accepted') GROUP BY household_id) f
                     ON f.household_id = h.household_id
             GROUP BY h.team_id;
            DELETE FROM caseload_worker_counts;
            INSERT INTO caseload_worker_counts
            SELECT worker_id, sum(regie), sum(pending_receiver), sum(open_actions)
              FROM (SELECT regie_worker_id AS worker_id, 1 AS regie, 0 AS pending_receiver, 0 AS open_actions
                      FROM caseload_households WHERE regie_worker_id IS NOT NULL
                    UNION ALL
                    SELECT pending_receiver_id, 0, 1, 0 FROM caseload_households WHERE pending_receiver_id IS NOT NULL
                    UNION ALL
                    SELECT owner_id, 0, 0, 1 FROM caseload_actions WHERE owner_kind = 'worker' AND NOT completed) x
             GROUP BY worker_id;`,
    },
  ],
  async apply(tx, recorded) {
    if (recorded.type === 'TeamCaseloadNormSet') {
      const d = (recorded as unknown as TeamCaseloadNormSet).data;
      await tx.query(
        `INSERT INTO caseload_team_norms (team_id, households_per_worker) VALUES ($1, $2)
         ON CONFLICT (team_id) DO UPDATE SET households_per_worker = EXCLUDED.households_per_worker`,
        [d.teamId, d.householdsPerWorker],
      );
      return;
    }
    if (!recorded.streamId.startsWith('household-')) return;
    const householdId = recorded.streamId.slice('household-'.length);
    const event = recorded as unknown as HouseholdEvent;
    const setRegie = (holder: RegieHolder, since: string) =>
      tx.query(
        `UPDATE caseload_households SET regie_worker_id = $2, regie_since = $3, pending_transfer_id = NULL,
            pending_receiver_id = NULL, pending_requested_by = NULL, pending_requested_at = NULL,
            regie_organisation_id = $4
          WHERE household_id = $1`,
        [householdId, holderIdOf(holder), since, organisationOf(holder)],
      );
    switch (event.type) {
      case 'HouseholdRegistered': {
        const d = event.data;
        await tx.query(
          `INSERT INTO caseload_households (household_id, team_id, district, status, regie_worker_id, regie_since)
           VALUES ($1, $2, $3, 'active', $4, $5) ON CONFLICT (household_id) DO NOTHING`,
          [householdId, d.teamId, d.district, d.regie.kind === 'worker' ? d.regie.id : null, d.registeredAt],
        );
        return;
      }
      case 'ActionAdded':
        await tx.query(
          `INSERT INTO caseload_actions (household_id, action_id, owner_kind, owner_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING`,
          [householdId, event.data.actionId, event.data.owner.kind, event.data.owner.id],
        );
        return;
      case 'ActionCompleted':
        await tx.query(
          `UPDATE caseload_actions SET completed = true WHERE household_id = $1 AND action_id = $2`,
          [householdId, event.data.actionId],
        );
        return;
      case 'RegieTransferRequested':
        await tx.query(
          `UPDATE caseload_households SET pending_transfer_id = $2, pending_receiver_id = $3, pending_requested_by = $4,
              pending_requested_at = $5 WHERE household_id = $1`,
          [
            householdId,
            event.data.transferId,
            event.data.to.id,
            event.data.requestedBy,
            event.data.requestedAt,
          ],
        );
        return;
      case 'RegieTransferDeclined':
      case 'RegieTransferCancelled':
        await tx.query(
          `UPDATE caseload_households SET pending_transfer_id = NULL, pending_receiver_id = NULL,
              pending_requested_by = NULL, pending_requested_at = NULL WHERE household_id = $1`,
          [householdId],
        );
        return;
      case 'RegieTransferAccepted':
        await setRegie(event.data.to, event.data.acceptedAt);
        return;
      case 'RegieTakenOverForSafety':
        await setRegie(event.data.to, event.data.takenAt);
        return;
      case 'SafetyTakeoverRejected': {
        // Regie back to the holder before the takeover (or the household), when the rejection moved it.
        const back = event.data.regieReturned;
        if (back) await setRegie(back.to, event.data.rejectedAt);
        return;
      }
      case 'RegieReturnedToHousehold':
        await setRegie(HOUSEHOLD, event.data.returnedAt);
        return;
      case 'PlanClosed':
        if (event.data.regieEndedFor.kind !== 'household') await setRegie(HOUSEHOLD, event.data.closedAt);
        await tx.query(`UPDATE caseload_households SET status = 'closed' WHERE household_id = $1`, [
          householdId,
        ]);
        return;
      case 'PlanReopened':
        await tx.query(`UPDATE caseload_households SET status = 'active' WHERE household_id = $1`, [
          householdId,
        ]);
        return;
      case 'CheckInOverdue':
        await tx.query(
          `UPDATE caseload_households SET overdue_check_in_due_on = COALESCE(overdue_check_in_due_on, $2)
            WHERE household_id = $1`,
          [householdId, event.data.dueOn],
        );
        return;
      case 'CheckInContactRecorded':
        await tx.query(
          `UPDATE caseload_households SET overdue_check_in_due_on = $2 WHERE household_id = $1`,
          [householdId, event.data.overdueDueOn],
        );
        return;
      case 'CheckInCadenceScheduled':
      case 'CheckInCadenceEnded':
        await tx.query(
          `UPDATE caseload_households SET overdue_check_in_due_on = NULL WHERE household_id = $1`,
          [householdId],
        );
        return;
      case 'VolunteerAssigned':
        await tx.query(
          `INSERT INTO caseload_assignments (household_id, assignment_id, volunteer_id, hours_per_week, open)
           VALUES ($1, $2, $3, $4, true) ON CONFLICT DO NOTHING`,
          [householdId, event.data.assignmentId, event.data.volunteerId, event.data.hoursPerWeek],
        );
        return;
      case 'VolunteerAssignmentEnded':
        await tx.query(
          `UPDATE caseload_assignments SET open = false WHERE household_id = $1 AND assignment_id = $2`,
          [householdId, event.data.assignmentId],
        );
        return;
      case 'ReferralRequested':
        await tx.query(
          `INSERT INTO caseload_referrals (household_id, referral_id, organisation_id, status)
           VALUES ($1, $2, $3, 'requested') ON CONFLICT DO NOTHING`,
          [householdId, event.data.referralId, event.data.organisationId],
        );
        return;
      case 'ReferralAccepted':
      case 'ReferralCompleted':
      case 'ReferralWithdrawn':
        await tx.query(
          `UPDATE caseload_referrals SET status = $3 WHERE household_id = $1 AND referral_id = $2`,
          [
            householdId,
            event.data.referralId,
            { ReferralAccepted: 'accepted', ReferralCompleted: 'completed', ReferralWithdrawn: 'withdrawn' }[
              event.type
            ],
          ],
        );
        return;
      default:
        return;
    }
  },
  applyBatch: (tx, events) => applyChanges(tx, events.flatMap(caseloadChanges)),
};

const HOUSEHOLD: RegieHolder = { kind: 'household' };
/** The holder's id in regie_worker_id: a worker's or (issue 19) a professional's; null for the household. */
const holderIdOf = (h: RegieHolder) => (h.kind === 'household' ? null : h.id);
const organisationOf = (h: RegieHolder) => (h.kind === 'professional' ? h.organisationId : null);

/** The set forms of the caseload's most frequent changes; every other event runs `apply`. */
const SET = {
  register: {
    sql: `INSERT INTO caseload_households (household_id, team_id, district, status, regie_worker_id, regie_since)
          SELECT c.household_id, c.team_id, c.district, 'active', c.regie_worker_id, c.regie_since
            FROM jsonb_to_recordset($1::text::jsonb)
                 AS c(household_id text, team_id text, district text, regie_worker_id text, regie_since timestamptz)
          ON CONFLICT (household_id) DO NOTHING`,
  },
  addAction: {
    sql: `INSERT INTO caseload_actions (household_id, action_id, owner_kind, owner_id)
          SELECT c.household_id, c.action_id, c.owner_kind, c.owner_id
            FROM jsonb_to_recordset($1::text::jsonb)
                 AS c(household_id text, action_id text, owner_kind text, owner_id text)
          ON CONFLICT DO NOTHING`,
  },
  completeAction: {
    sql: `UPDATE caseload_actions a SET completed = true
            FROM jsonb_to_recordset($1::text::jsonb) AS c(household_id text, action_id text)
           WHERE a.household_id = c.household_id AND a.action_id = c.action_id`,
  },
  requestTransfer: {
    sql: `UPDATE caseload_households h SET pending_transfer_id = c.transfer_id, pending_receiver_id = c.receiver_id,
                 pending_requested_by = c.requested_by, pending_requested_at = c.requested_at
            FROM jsonb_to_recordset($1::text::jsonb)
                 AS c(household_id text, transfer_id text, receiver_id text, requested_by text, requested_at timestamptz)
           WHERE h.household_id = c.household_id`,
  },
  setRegie: {
    sql: `UPDATE caseload_households h SET regie_worker_id = c.worker_id, regie_since = c.since,
                 pending_transfer_id = NULL, pending_receiver_id = NULL, pending_requested_by = NULL,
                 pending_requested_at = NULL, regie_organisation_id = c.organisation_id
            FROM jsonb_to_recordset($1::text::jsonb)
                 AS c(household_id text, worker_id text, since timestamptz, organisation_id text)
           WHERE h.household_id = c.household_id`,
  },
} satisfies Record<string, SetStatement>;

function caseloadChanges(recorded: RecordedEvent): Change[] {
  // A norm changes the team's row whatever stream carries it: keyed by the team, as its rows are.
  if (recorded.type === 'TeamCaseloadNormSet') {
    const teamId = (recorded as unknown as TeamCaseloadNormSet).data.teamId;
    return [perEvent(caseloadProjection, recorded, `team:${teamId}`)];
  }
  const householdId = householdOf(recorded);
  if (householdId === null) return [];
  const key = `household:${householdId}`;
  const event = recorded as unknown as HouseholdEvent;
  const setRegie = (holder: RegieHolder, since: string): Change[] => [
    {
      key,
      statement: SET.setRegie,
      row: {
        household_id: householdId,
        worker_id: holderIdOf(holder),
        since,
        organisation_id: organisationOf(holder),
      },
    },
  ];
  switch (event.type) {
    case 'HouseholdRegistered': {
      const d = event.data;
      return [
        {
          key,
          statement: SET.register,
          row: {
            household_id: householdId,
            team_id: d.teamId,
            district: d.district,
            regie_worker_id: d.regie.kind === 'worker' ? d.regie.id : null,
            regie_since: d.registeredAt,
          },
        },
      ];
    }
    case 'ActionAdded':
      return [
        {
          key,
          statement: SET.addAction,
          row: {
            household_id: householdId,
            action_id: event.data.actionId,
            owner_kind: event.data.owner.kind,
            owner_id: event.data.owner.id,
          },
        },
      ];
    case 'ActionCompleted':
      return [
        {
          key,
          statement: SET.completeAction,
          row: { household_id: householdId, action_id: event.data.actionId },
        },
      ];
    case 'RegieTransferRequested':
      return [
        {
          key,
          statement: SET.requestTransfer,
          row: {
            household_id: householdId,
            transfer_id: event.data.transferId,
            receiver_id: event.data.to.id,
            requested_by: event.data.requestedBy,
            requested_at: event.data.requestedAt,
          },
        },
      ];
    case 'RegieTransferAccepted':
      return setRegie(event.data.to, event.data.acceptedAt);
    case 'RegieTakenOverForSafety':
      return setRegie(event.data.to, event.data.takenAt);
    case 'SafetyTakeoverRejected': {
      const back = event.data.regieReturned;
      return back ? setRegie(back.to, event.data.rejectedAt) : [];
    }
    case 'RegieReturnedToHousehold':
      return setRegie(HOUSEHOLD, event.data.returnedAt);
    default:
      return [perEvent(caseloadProjection, recorded, key)];
  }
}
