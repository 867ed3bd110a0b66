export const ROLES = [
  'worker',
  'team-lead',
  'auditor',
  'integrator',
  'admin',
  // Issue 20: the household and its circles, each seeing only what is theirs (docs/WHO-MAY-DO-WHAT.md).
  'resident',
  'network-member',
  'volunteer',
  // Issue 19: a professional of an organisation on the social map (claim `organisation`), outside every team.
  'professional',
] as const;
export type Role = (typeof ROLES)[number];

/** The roles of people around a household rather than professionals: a token has one of them, alone. */
export const CIRCLE_ROLES: readonly Role[] = ['resident', 'network-member', 'volunteer'];

/** Who is calling, from the verified token's claims. */
export interface Principal {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly teams: readonly string[];
  /**
   * A resident's or network member's household (claim `household`, or OIDC_HOUSEHOLD_CLAIM); the
   * registry admits it only if that household has them (apps/api/src/common/principals.ts).
   */
  readonly household?: string;
  /** A resident's member id in that household, or a network member's networkMemberId (claim `member`). */
  readonly member?: string;
  /** The professional's organisation on the social map (claim `organisation`): the registry admits it only if that organisation registered them (issue 19). */
  readonly organisation?: string;
}

/** A team lead is a worker too: everything a worker may do, a team lead may. */
export const isWorker = (p: Principal) => p.roles.includes('worker') || p.roles.includes('team-lead');
export const inTeam = (p: Principal, teamId: string) => p.teams.includes(teamId);
export const isTeamLeadOf = (p: Principal, teamId: string) =>
  p.roles.includes('team-lead') && inTeam(p, teamId);
