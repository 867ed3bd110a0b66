export const ROLES = ['worker', 'team-lead', 'auditor', 'integrator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, from the verified token's claims. */
export interface Principal {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly teams: readonly string[];
}

/** A team lead is a worker too: everything a worker may do, a team lead may. */
export const isWorker = (p: Principal) => p.roles.includes('worker') || p.roles.includes('team-lead');
export const inTeam = (p: Principal, teamId: string) => p.teams.includes(teamId);
export const isTeamLeadOf = (p: Principal, teamId: string) =>
  p.roles.includes('team-lead') && inTeam(p, teamId);
