/**
 * An access-log entry as a resident of the household sees it ("who viewed my file", and the access
 * part of their own export). Workers of the wijkteam act in their professional role: their id stays
 * (their name is looked up by it) and their role is said in Dutch. Everyone else (another resident,
 * a network member, a volunteer, an auditor, an admin, a system) is said by a Dutch label only:
 * their id may be a login, an e-mail address included (docs/RESIDENTS.md), and is no one else's to
 * read. An entry that was refused and is not a worker's tells only that: someone who was not let in.
 */
export interface AccessEntryFacts {
  readonly actorId: string;
  readonly actorVerified: boolean;
  readonly actorRoles: readonly string[];
  readonly onBehalfOf: string | null;
  readonly outcome: number;
  /** The route as the access log keeps it: `METHOD /pattern`. */
  readonly action: string;
}

export interface AccessEntryForResident {
  /** The actor's id where it is a worker's or the resident's own; null for anyone else. */
  readonly actorId: string | null;
  readonly onBehalfOf: string | null;
  readonly actorLabel: string;
  /** The route, except for the safety work a resident is not told of (below). */
  readonly action: string;
}

/**
 * Safety work on a household (the meldcode's steps, the safety plan, a break-glass takeover) is
 * not shown to its residents: one of them may be the person the signals are about (docs/MELDCODE.md,
 * "Who sees what"). A resident reads such an entry as a read or a change of the file, no more.
 */
const SAFETY_ROUTE = /^\S+ \/v1\/households\/:id\/(meldcode-tracks|safety-plan|regie\/safety-takeover)(\/|$)/;

export const actionForResident = (action: string): string =>
  SAFETY_ROUTE.test(action)
    ? action.startsWith('GET ')
      ? 'dossier geraadpleegd'
      : 'dossier bijgewerkt'
    : action;

export const isWorkerEntry = (roles: readonly string[]) =>
  roles.includes('worker') || roles.includes('team-lead');

export const accessEntryForResident = (e: AccessEntryFacts, residentSub: string): AccessEntryForResident => {
  const worker = e.actorVerified && isWorkerEntry(e.actorRoles);
  const you = e.actorVerified && e.actorId === residentSub;
  return {
    actorId: worker || you ? e.actorId : null,
    onBehalfOf: worker ? e.onBehalfOf : null,
    actorLabel: labelOf(e, worker, you),
    action: actionForResident(e.action),
  };
};

const labelOf = (e: AccessEntryFacts, worker: boolean, you: boolean): string => {
  if (you) return 'u zelf';
  if (!e.actorVerified || (!worker && e.outcome >= 400)) return 'onbekend (niet toegelaten)';
  const roles = e.actorRoles;
  if (roles.includes('team-lead')) return 'teamleider van het wijkteam';
  if (roles.includes('worker')) return 'medewerker van het wijkteam';
  if (roles.includes('resident')) return 'lid van het huishouden';
  if (roles.includes('network-member')) return 'iemand uit uw netwerk';
  if (roles.includes('volunteer')) return 'vrijwilliger';
  if (roles.includes('auditor')) return 'toezichthouder (controle)';
  if (roles.includes('admin')) return 'beheerder';
  if (roles.includes('integrator')) return 'gekoppeld systeem';
  return 'onbekend';
};
