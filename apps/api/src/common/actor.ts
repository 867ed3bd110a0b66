import type { CommandActor } from '@eenplan/domain';
import type { Principal } from '@eenplan/security';

/** The domain's view of the caller the registry admitted: who, in which roles and teams, and for a household's circle, whose member. */
export const actorOf = (p: Principal): CommandActor => ({
  id: p.sub,
  roles: p.roles,
  teams: p.teams,
  ...(p.household !== undefined ? { household: p.household } : {}),
  ...(p.member !== undefined ? { member: p.member } : {}),
  ...(p.organisation !== undefined ? { organisation: p.organisation } : {}),
});
