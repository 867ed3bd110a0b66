import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  actsAsWorker,
  DomainError,
  householdDecider,
  HouseholdEvent,
  householdRestrictionAt,
  processingRestricted,
  HouseholdState,
  householdStream,
  isCircleOf,
  isProfessional,
  professionalSees,
  worksOnHousehold,
} from '@eenplan/domain';
import {
  WrongExpectedVersionError,
  type EventStore,
  type RecordedEvent,
} from '@eenplan/event-store/event-store.port';
import type { Principal, SealedEventStore } from '@eenplan/security';
import { actorOf } from './actor';
import { isResidentOf } from './resident-principals';
import { refuseOrRethrow } from './missing-key';
import { ProblemException } from './problem';
import type { HouseholdFold } from './household-fold';
import { HouseholdViews } from './household-views';
import { CLOCK, Clock, EVENT_STORE, SEALED_EVENT_STORE } from './tokens';

/**
 * The one answer to anyone who may not see a household, whether it exists or not: same status,
 * code and text, so a refusal tells nothing (not that it exists, nor its team, holder or state).
 */
export const householdNotFound = (householdId: string) =>
  new ProblemException(404, 'HouseholdNotFound', `there is no household ${householdId} that you may see`);

/** Who besides the household's workers may read it on a given route. */
export interface ReadRights {
  readonly auditor?: boolean;
  readonly admin?: boolean;
  /**
   * A resident of this very household (the registry admitted their household and member claims:
   * common/resident-principals.ts); a resident of another household gets the one 404. Their reads
   * go on while processing is restricted: reading their own file is their right of access (AVG art. 15).
   */
  readonly resident?: boolean;
  /**
   * The route stays open to the household's workers while its processing is restricted (AVG art.
   * 18): the restrictions themselves, the access log. Every other read of a worker is refused 409
   * ProcessingRestricted then; auditors and admins admitted by `auditor`/`admin` read on, for audit.
   */
  readonly whileRestricted?: boolean;
}

export { actorOf } from './actor';

/**
 * May `principal` read this household: a worker of its team, a worker holding its regie (both with
 * the worker role: DOMAIN.md, worksOnHousehold), or an auditor or admin where the route says so.
 */
export const mayReadHousehold = (p: Principal, state: HouseholdState, rights: ReadRights = {}): boolean =>
  state.status !== 'unregistered' &&
  (worksOnHousehold(actorOf(p), state) ||
    professionalSees(actorOf(p), state) ||
    (rights.resident === true && isResidentOf(p, state.householdId)) ||
    (rights.auditor === true && p.roles.includes('auditor')) ||
    (rights.admin === true && p.roles.includes('admin')));

/**
 * A household as one principal may read it now: its fold (the decider's state, the version, the
 * texts; common/household-fold.ts), current as of the request (HouseholdViews).
 */
export class HouseholdView {
  constructor(
    readonly fold: HouseholdFold,
    private readonly store: EventStore,
    private readonly views: HouseholdViews,
  ) {}

  get state(): HouseholdState {
    return this.fold.state;
  }

  get version(): number {
    return this.fold.version;
  }

  /**
   * The household's events up to this view's version, for the few lists that show what only the
   * events hold (signals and assessments with their texts): one more read of the stream, made
   * only for a principal admitted already, so a failure here (a lost key) is theirs to see.
   */
  async events(): Promise<RecordedEvent[]> {
    const events = (await this.store.readStream(householdStream(this.fold.state.householdId))).slice(
      0,
      this.fold.version,
    );
    // Erased, its key perhaps not destroyed yet (an erasure pending): no text, as in the fold.
    return this.fold.state.erased ? events.map((event) => ({ ...event, personal: null })) : events;
  }

  /** The answer made of the whole household as JSON, made once per version (HouseholdViews.body). */
  body(render: (fold: HouseholdFold) => unknown): Buffer {
    return this.views.body(this.fold, render);
  }
}

/**
 * The one way a controller reads a household: the one access rule (mayReadHousehold) and the one
 * 404 to anyone else, also when the stream cannot be read (a lost key: refuseOrRethrow).
 */
@Injectable()
export class HouseholdAccess {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly views: HouseholdViews,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(SEALED_EVENT_STORE) private readonly sealed?: SealedEventStore,
  ) {}

  /** The household as folded now, for `principal` (auditors, admins where `rights` say); else the one 404. */
  async view(householdId: string, principal: Principal, rights: ReadRights = {}): Promise<HouseholdView> {
    const admit = (state: HouseholdState) => {
      if (!mayReadHousehold(principal, state, rights)) throw householdNotFound(householdId);
    };
    const fold = await this.views
      .read(householdId)
      .catch((error: unknown) => refuseOrRethrow(error, this.sealed, householdStateOf, admit));
    admit(fold.state);
    // Restricted (AVG art. 18): its workers no longer process it, reading included; an auditor or
    // admin, admitted here for audit only (never as a worker), reads on.
    const restriction = householdRestrictionAt(fold.state, this.clock.now().toISOString());
    const actor = actorOf(principal);
    if (
      restriction &&
      !rights.whileRestricted &&
      (worksOnHousehold(actor, fold.state) || professionalSees(actor, fold.state))
    )
      throw processingRestricted(restriction);
    return new HouseholdView(fold, this.store, this.views);
  }

  /**
   * The household as one of its circle may read it (issue 20): a network member their own, a
   * volunteer one where they are assigned or own an open action (domain: isCircleOf); anyone else
   * the one 404. What they see of it is the caller's to cut down to their own part.
   */
  async circleView(householdId: string, principal: Principal): Promise<HouseholdView> {
    const actor = actorOf(principal);
    const admit = (state: HouseholdState) => {
      if (!isCircleOf(actor, state)) throw householdNotFound(householdId);
    };
    const fold = await this.views
      .read(householdId)
      .catch((error: unknown) => refuseOrRethrow(error, this.sealed, householdStateOf, admit));
    admit(fold.state);
    // Restricted (AVG art. 18): nobody processes it, its circle included; that it is restricted,
    // and on what ground, is the household's own business: to its circle, the one 404.
    if (householdRestrictionAt(fold.state, this.clock.now().toISOString()))
      throw householdNotFound(householdId);
    return new HouseholdView(fold, this.store, this.views);
  }
}

/** The decider's state of a household's events as stored (personal parts sealed), for refuseOrRethrow. */
const householdStateOf = (events: readonly RecordedEvent[]): HouseholdState =>
  events.reduce(
    (s, e) => householdDecider.evolve(s, e as unknown as HouseholdEvent),
    householdDecider.initialState(),
  );

/** The commands an administrator sends to a household: erasure (art. 17) and restriction (art. 18). */
const ADMIN_COMMANDS: ReadonlySet<string> = new Set([
  'EraseHouseholdData',
  'EraseMemberData',
  'RestrictProcessing',
  'LiftRestriction',
]);

/** The commands a resident sends to their own household (issue 20); the decider says what of them. */
const RESIDENT_COMMANDS: ReadonlySet<string> = new Set(['AgreePlan', 'ProposeGoal']);

/**
 * Who may send a household command, decided on the household's state before anything about it
 * reaches the caller (the executor's `admit`):
 * - a reader (its workers, see mayReadHousehold) sends any command; refusals say why, as always;
 * - a resident of the household sends RESIDENT_COMMANDS (the decider limits them to their own part);
 * - the receiver of its pending transfer, or a team lead of the receiver's team, accepts or
 *   declines it (invariant 4): involved, so they are told why a refusal happened too;
 * - any worker may take regie for safety (break-glass, invariant 6) or ask its holder for regie
 *   (the reverse request, invariant 5), and an integrator may post an inbound UWV signal: they act
 *   on a household they cannot see, so any refusal is the one 404;
 * - a registration is about a household that does not exist yet;
 * - a network member or volunteer completes an action in a household whose circle they are in
 *   (isCircleOf); the decider lets them complete only their own, any other is one 404;
 * - anyone else gets the one 404, whether the household exists or not.
 */
export class HouseholdAdmission {
  private standing: 'reader' | 'involved' | 'unseen' | undefined;

  private readonly householdId: string;
  private readonly command: string;

  constructor(
    private readonly intent: {
      readonly type: string;
      readonly householdId: string;
      readonly toWorkerId?: string;
    },
    private readonly principal: Principal,
  ) {
    this.householdId = intent.householdId;
    this.command = intent.type;
  }

  readonly admit = (state: HouseholdState): void => {
    this.standing = this.standingIn(state);
    if (this.standing === undefined) throw householdNotFound(this.householdId);
  };

  /** The error as this caller may see it: to one acting unseen, every refusal is the one 404. */
  seenAs(error: unknown): unknown {
    if (
      this.standing === 'unseen' &&
      (error instanceof DomainError || error instanceof WrongExpectedVersionError)
    )
      return householdNotFound(this.householdId);
    // A restriction (its id and ground) is not the circle's to know: the one 404, as circleView says.
    if (
      error instanceof DomainError &&
      error.code === 'ProcessingRestricted' &&
      (this.principal.roles.includes('network-member') || this.principal.roles.includes('volunteer'))
    )
      return householdNotFound(this.householdId);
    return error;
  }

  private standingIn(state: HouseholdState): 'reader' | 'involved' | 'unseen' | undefined {
    const p = this.principal;
    const actor = actorOf(p);
    if (
      mayReadHousehold(p, state, {
        admin: ADMIN_COMMANDS.has(this.command),
        resident: RESIDENT_COMMANDS.has(this.command),
      })
    )
      return 'reader';
    if (this.command === 'CompleteAction' && isCircleOf(actor, state)) return 'involved';
    switch (this.command) {
      case 'RegisterHousehold':
        return 'involved';
      case 'AcceptRegieTransfer':
      case 'DeclineRegieTransfer': {
        const to = state.pendingTransfer?.to;
        const receiverSide =
          to !== undefined &&
          (to.kind === 'professional'
            ? isProfessional(actor, to)
            : actsAsWorker(actor) &&
              (to.id === p.sub || (p.roles.includes('team-lead') && p.teams.includes(to.teamId))));
        return receiverSide ? 'involved' : undefined;
      }
      case 'TakeOverRegieForSafety':
        return actsAsWorker(actor) ? 'unseen' : undefined;
      case 'RequestRegieTransfer':
        return actsAsWorker(actor) && this.intent.toWorkerId === p.sub ? 'unseen' : undefined;
      case 'RecordWorkIncomeSignal':
        return p.roles.includes('integrator') ? 'unseen' : undefined;
      default:
        return undefined;
    }
  }
}
