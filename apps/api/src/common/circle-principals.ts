import {
  type Decider,
  householdDecider,
  HouseholdState,
  householdStream,
  organisationDecider,
  OrganisationState,
  organisationStream,
  professionalFacts,
  volunteerDecider,
  VolunteerState,
  volunteerStream,
} from '@eenplan/domain';
import type { Principal, Role } from '@eenplan/security';
import { AggregateExecutor, Loaded } from './aggregate-executor';
import { ProblemException } from './problem';

/**
 * Network members and volunteers (issue 20): who they are is what the household's and the
 * volunteer's own streams say now, not what their token claims.
 *
 * - A network member's token names their household and their networkMemberId in it (claims
 *   `household`, `member`; `sub` is their login). It counts while that household exists, is not
 *   erased, and has that network member, not removed. Network members are per household: someone in
 *   the networks of two households has two ids and needs a token for each.
 * - A volunteer's `sub` is their volunteer id. It counts while the volunteer is registered and
 *   active. An expired VOG does not shut them out: the domain checks the VOG when an assignment is
 *   made (invariant 12) and lets open assignments run on; a worker ends the assignment where the
 *   VOG matters, which ends the volunteer's part in that household, its open actions included.
 * - Either role alone: with any other role the token is refused (PrincipalKindConflict).
 * One refusal for every way a network member is not one (unknown household, another household's
 * id, removed, erased, no claim): the refusal tells a forger nothing about the household.
 */

/** Streams remembered at most; the least recently asked go first. Household states stay small (no texts). */
const REMEMBERED = 2_000;

const refused = (code: string, detail: string) => new ProblemException(403, code, detail);

interface Kept<S> {
  readonly loaded: Loaded<S>;
  readonly at: number;
}

/** The household's and volunteers' streams as the registry reads them: fresh within `freshMs`, only the tail re-read. */
export class CircleFacts {
  private readonly households = new Map<string, Kept<HouseholdState>>();
  private readonly volunteers = new Map<string, Kept<VolunteerState>>();
  private readonly organisations = new Map<string, Kept<OrganisationState>>();

  constructor(
    private readonly executor: AggregateExecutor,
    /** How long what a stream said is trusted: the registry's REGISTRY_FRESH_MS (principals.ts). */
    private readonly freshMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The household's state. `admits`: what was kept within `freshMs` is taken only when it admits
   * the caller; a refusal always rests on the stream as it is now (they may have been added a
   * moment ago), one read per refused request.
   */
  household(householdId: string, admits: (s: HouseholdState) => boolean): Promise<HouseholdState> {
    return this.fresh(this.households, householdStream(householdId), householdId, householdDecider, admits);
  }

  volunteer(volunteerId: string, admits: (s: VolunteerState) => boolean): Promise<VolunteerState> {
    return this.fresh(this.volunteers, volunteerStream(volunteerId), volunteerId, volunteerDecider, admits);
  }

  /** Issue 19: the organisation that registers professionals. */
  organisation(
    organisationId: string,
    admits: (s: OrganisationState) => boolean,
  ): Promise<OrganisationState> {
    return this.fresh(
      this.organisations,
      organisationStream(organisationId),
      organisationId,
      organisationDecider,
      admits,
    );
  }

  private async fresh<C, S, E>(
    kept: Map<string, Kept<S>>,
    streamId: string,
    id: string,
    decider: Decider<C, S, E>,
    admits: (s: S) => boolean,
  ): Promise<S> {
    const known = kept.get(id);
    if (known && this.now() - known.at < this.freshMs && admits(known.loaded.state))
      return known.loaded.state;
    const at = this.now();
    const loaded = await this.executor.load(streamId, decider, known?.loaded);
    kept.delete(id);
    if (loaded.version > 0) kept.set(id, { loaded, at });
    if (kept.size > REMEMBERED)
      for (const old of kept.keys()) {
        kept.delete(old);
        if (kept.size <= REMEMBERED * 0.8) break;
      }
    return loaded.state;
  }
}

const onlyRole = (claimed: Principal, role: Role) => {
  const others = [...new Set(claimed.roles)].filter((r) => r !== role);
  if (others.length > 0)
    throw refused(
      'PrincipalKindConflict',
      `a ${role}'s token has that role alone; ${others.join('/')} belong to other principals`,
    );
};

/** A network member as their household has them now; anything else is the one PrincipalNotRegistered. */
export const admitNetworkMember = async (claimed: Principal, facts: CircleFacts): Promise<Principal> => {
  onlyRole(claimed, 'network-member');
  const { household, member } = claimed;
  const notOne = () =>
    refused(
      'PrincipalNotRegistered',
      household === undefined || member === undefined
        ? "a network member's token names their household and their network member id (claims household, member)"
        : `household ${household} has no network member ${member} that may act`,
    );
  if (household === undefined || member === undefined) throw notOne();
  const admitted = (state: HouseholdState) => {
    const known = Object.hasOwn(state.network, member) ? state.network[member] : undefined;
    return state.status !== 'unregistered' && state.erased !== true && known !== undefined && !known.removed;
  };
  if (!admitted(await facts.household(household, admitted))) throw notOne();
  return { sub: claimed.sub, roles: ['network-member'], teams: [], household, member };
};

/** A volunteer as their own stream has them now: registered and active. */
export const admitVolunteer = async (claimed: Principal, facts: CircleFacts): Promise<Principal> => {
  onlyRole(claimed, 'volunteer');
  const state = await facts.volunteer(claimed.sub, (s) => s.exists && s.active);
  if (!state.exists) throw refused('PrincipalNotRegistered', `no volunteer ${claimed.sub} is registered`);
  if (!state.active) throw refused('VolunteerDeactivated', `volunteer ${claimed.sub} was deactivated`);
  return { sub: claimed.sub, roles: ['volunteer'], teams: [] };
};

/**
 * Issue 19: a professional of the specialist circle as their organisation's stream has them now:
 * the token names the organisation (claim `organisation`), which registered them and has not
 * deactivated them. The role alone; one refusal for an unknown organisation or professional.
 */
export const admitProfessional = async (claimed: Principal, facts: CircleFacts): Promise<Principal> => {
  onlyRole(claimed, 'professional');
  const organisation = claimed.organisation;
  if (organisation === undefined)
    throw refused(
      'PrincipalNotRegistered',
      "a professional's token names their organisation on the social map (claim organisation)",
    );
  const active = (s: OrganisationState) => professionalFacts(s, claimed.sub)?.active === true;
  const known = professionalFacts(await facts.organisation(organisation, active), claimed.sub);
  if (!known)
    throw refused(
      'PrincipalNotRegistered',
      `organisation ${organisation} has not registered professional ${claimed.sub}`,
    );
  if (!known.active) throw refused('ProfessionalDeactivated', `professional ${claimed.sub} was deactivated`);
  return { sub: claimed.sub, roles: ['professional'], teams: [], organisation };
};
