import { ageOn, birthOf, CAPACITY_AGES, type HouseholdState } from '@eenplan/domain';
import type { Principal } from '@eenplan/security';
import type { HouseholdViews } from './household-views';
import { REGISTRY_FRESH_MS } from './principals';
import { ProblemException } from './problem';
import type { Clock } from './tokens';

const REMEMBERED = 10_000;

/**
 * One refusal for every resident token the household does not back (no household or member claim,
 * no such household, erased, a member who left, was erased, or is under 16): the same code and
 * text, so a crafted token learns nothing about which households or members exist.
 */
const notAdmitted = () =>
  new ProblemException(
    403,
    'PrincipalNotRegistered',
    "the token's household has no current member 16 or over with the token's member id",
  );

/**
 * Whether `member` may act as a resident of `state` on `day` (YYYY-MM-DD or an instant): the
 * household is registered and not erased, and the member belongs to it now (not left, their data
 * not erased) and is 16 or over (persons.ts: from 16 a person decides for themselves; a younger
 * member is represented by their holders of parental authority, docs/RESIDENTS.md).
 */
export const isAdmissibleResident = (state: HouseholdState, memberId: string, day: string): boolean => {
  if (state.status === 'unregistered' || state.erased === true) return false;
  const member = state.members[memberId];
  if (!member || member.left !== undefined || member.dataErasedAt !== undefined) return false;
  return ageOn(birthOf(member), day) >= CAPACITY_AGES.selfFrom;
};

/** Whether `p` is an admitted resident of `householdId` (the registry set household and member). */
export const isResidentOf = (p: Principal, householdId: string): boolean =>
  p.roles.includes('resident') && p.household === householdId && p.member !== undefined;

/**
 * Admits a resident (issue 20): a token with the role `resident` alone, whose `household` and
 * `member` claims name a current member of 16 or over of a registered, not erased household. The
 * household's stream decides, read fresh (HouseholdViews reads its tail on every request; not a read
 * model that may lag), and what it said is trusted for REGISTRY_FRESH_MS. The token's `sub` is the
 * resident's login id: it grants nothing, the household and member claims do.
 */
export class ResidentRegistry {
  private readonly seen = new Map<string, { admitted: boolean; at: number }>();

  constructor(
    private readonly views: HouseholdViews,
    private readonly clock: Clock,
    private readonly now: () => number = Date.now,
  ) {}

  async admit(claimed: Principal): Promise<Principal> {
    const others = claimed.roles.filter((r) => r !== 'resident');
    if (others.length > 0)
      throw new ProblemException(
        403,
        'PrincipalKindConflict',
        `a token is a resident's or an ${others.join('/')}'s, never both`,
      );
    const { household, member } = claimed;
    if (!household || !member) throw notAdmitted();
    const key = `${household}\u0000${member}`;
    const known = this.seen.get(key);
    let admitted: boolean;
    if (known && this.now() - known.at < REGISTRY_FRESH_MS) admitted = known.admitted;
    else {
      const at = this.now();
      admitted = await this.views.read(household).then(
        (fold) => isAdmissibleResident(fold.state, member, this.clock.now().toISOString()),
        // A stream that cannot be read (a lost key) backs nobody.
        () => false,
      );
      this.remember(key, { admitted, at });
    }
    if (!admitted) throw notAdmitted();
    return { sub: claimed.sub, roles: ['resident'], teams: [], household, member };
  }

  private remember(key: string, entry: { admitted: boolean; at: number }): void {
    this.seen.delete(key);
    this.seen.set(key, entry);
    if (this.seen.size > REMEMBERED)
      for (const old of this.seen.keys()) {
        this.seen.delete(old);
        if (this.seen.size <= REMEMBERED * 0.8) break;
      }
  }
}
