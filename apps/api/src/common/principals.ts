import type { WorkerFacts } from '@eenplan/domain';
import type { Sql } from '@eenplan/event-store/sql/sql';
import { CIRCLE_ROLES, type Principal, type Role } from '@eenplan/security';
import { admitNetworkMember, admitProfessional, admitVolunteer, type CircleFacts } from './circle-principals';
import { ProblemException } from './problem';
import type { ResidentRegistry } from './resident-principals';
import { WorkerFactsService } from './worker-facts';

/**
 * Ids seen acting as auditor, integrator or admin. A principal id is one kind of principal: a
 * worker (registered by a team) or one of these, never both, so an auditor's id can never be
 * registered as a worker and then hold regie. Only ids and roles: no names, nothing about households.
 */

const WORKER_ROLES: readonly Role[] = ['worker', 'team-lead'];
const isWorkerRole = (r: Role) => WORKER_ROLES.includes(r);

/** How long what the registry said about an id is trusted: a deactivation reaches every process within it. */
export const REGISTRY_FRESH_MS = 1000;
const REMEMBERED = 10_000;

interface Seen {
  readonly worker: WorkerFacts | undefined;
  /** The roles the id was recorded with as a non-worker, if it was. */
  readonly nonWorker: string | undefined;
  readonly at: number;
}

const refused = (code: string, detail: string) => new ProblemException(403, code, detail);

/**
 * Who a verified token's subject is, as the registry says (issue 16: the token does not outrank
 * the registry):
 * - worker roles count only for a worker a team registered and has not deactivated; the team
 *   claims count only for the team that registered them, and team-lead only if that team has them
 *   as its team lead;
 * - auditor, integrator and admin ids are recorded as such, and never act as workers;
 * - a token mixing the two kinds is refused.
 * What the registry said is trusted for REGISTRY_FRESH_MS, read from the team's own stream (not a
 * read model that may lag), so a deactivation takes effect in every process within a second.
 */
export class PrincipalRegistry {
  private readonly seen = new Map<string, Seen>();
  private readonly looking = new Map<string, Promise<Seen>>();
  private readonly recorded = new Set<string>();

  constructor(
    private readonly facts: WorkerFactsService,
    private readonly sql: Sql,
    private readonly now: () => number = Date.now,
    private readonly circle?: CircleFacts,
    private readonly residents?: ResidentRegistry,
  ) {}

  async resolve(claimed: Principal): Promise<Principal> {
    // Residents: their household's stream decides (resident-principals.ts).
    if (claimed.roles.includes('resident') && this.residents) return this.residents.admit(claimed);
    // Network members and volunteers: their household's and their own stream say who they are.
    if (this.circle && claimed.roles.includes('network-member'))
      return admitNetworkMember(claimed, this.circle);
    if (this.circle && claimed.roles.includes('volunteer')) return admitVolunteer(claimed, this.circle);
    if (this.circle && claimed.roles.includes('professional')) {
      const professional = await admitProfessional(claimed, this.circle);
      // One id, one kind of principal: a worker's or an auditor's id never acts as a professional.
      const seen = await this.lookUp(claimed.sub, false);
      if (seen.worker || seen.nonWorker !== undefined)
        throw refused(
          'PrincipalKindConflict',
          `${claimed.sub} acts as ${seen.worker ? 'a worker' : seen.nonWorker}; it cannot act as a professional`,
        );
      return professional;
    }
    if (claimed.roles.some((r) => CIRCLE_ROLES.includes(r) || r === 'professional'))
      throw refused(
        'PrincipalNotRegistered',
        'residents, network members and volunteers have no way in yet (issue 20)',
      );
    const workerRoles = claimed.roles.filter(isWorkerRole);
    const otherRoles = claimed.roles.filter((r) => !isWorkerRole(r));
    if (workerRoles.length > 0 && otherRoles.length > 0) {
      throw refused(
        'PrincipalKindConflict',
        `a token is a worker's or an ${otherRoles.join('/')}'s, never both: ids of auditors, integrators and admins never act as workers`,
      );
    }
    if (workerRoles.length === 0 && otherRoles.length === 0)
      return { sub: claimed.sub, roles: [], teams: [] };
    const seen = await this.lookUp(claimed.sub, workerRoles.length > 0);
    if (workerRoles.length > 0) {
      if (seen.nonWorker !== undefined)
        throw refused(
          'PrincipalKindConflict',
          `${claimed.sub} acts as ${seen.nonWorker}; ids of auditors, integrators and admins never act as workers`,
        );
      const worker = seen.worker;
      if (!worker) throw refused('WorkerNotRegistered', `no team has registered worker ${claimed.sub}`);
      if (!worker.active) throw refused('WorkerDeactivated', `worker ${claimed.sub} was deactivated`);
      const lead = claimed.roles.includes('team-lead') && worker.role === 'team-lead';
      return {
        sub: claimed.sub,
        roles: lead ? ['worker', 'team-lead'] : ['worker'],
        teams: claimed.teams.includes(worker.teamId) ? [worker.teamId] : [],
      };
    }
    if (seen.worker)
      throw refused(
        'PrincipalKindConflict',
        `${claimed.sub} is registered as a worker; it cannot act as ${otherRoles.join('/')}`,
      );
    await this.record(claimed.sub, otherRoles);
    return { sub: claimed.sub, roles: otherRoles, teams: [] };
  }

  /** The roles `id` was recorded with as an auditor, integrator or admin; undefined for others. */
  async nonWorkerRoles(id: string): Promise<string | undefined> {
    const { rows } = await this.sql.query<{ roles: string }>(
      'SELECT roles FROM principal_kinds WHERE principal_id = $1',
      [id],
      { prepare: 'eenplan_principal_kind' },
    );
    return rows[0]?.roles;
  }

  /**
   * `asWorker`: the token claims a worker, so an id the worker directory does not know yet is worth
   * waiting for (registered a moment ago). For other tokens it is not: a worker registered since
   * is caught when it acts as one, and AddWorker refuses the ids recorded here.
   */
  private lookUp(id: string, asWorker: boolean): Promise<Seen> {
    const known = this.seen.get(id);
    if (known && this.now() - known.at < REGISTRY_FRESH_MS) return Promise.resolve(known);
    let pending = this.looking.get(id);
    if (!pending) {
      pending = (async (): Promise<Seen> => {
        const at = this.now();
        const worker = await this.facts.find(id, undefined, { waitForDirectory: asWorker });
        // A registered worker's id was not recorded as another kind when it was registered (AddWorker
        // refuses those), and is never recorded after (resolve refuses first): no need to ask.
        const nonWorker = worker ? undefined : await this.nonWorkerRoles(id);
        const seen = { worker, nonWorker, at };
        this.seen.delete(id);
        this.seen.set(id, seen);
        if (this.seen.size > REMEMBERED)
          for (const old of this.seen.keys()) {
            this.seen.delete(old);
            if (this.seen.size <= REMEMBERED * 0.8) break;
          }
        return seen;
      })().finally(() => this.looking.delete(id));
      this.looking.set(id, pending);
    }
    return pending;
  }

  private async record(id: string, roles: readonly Role[]): Promise<void> {
    if (this.recorded.has(id)) return;
    await this.sql.query(
      'INSERT INTO principal_kinds (principal_id, roles) VALUES ($1, $2) ON CONFLICT (principal_id) DO NOTHING',
      [id, [...roles].sort().join(' ')],
      { prepare: 'eenplan_principal_kind_record' },
    );
    if (this.recorded.size >= REMEMBERED) this.recorded.clear();
    this.recorded.add(id);
  }
}
