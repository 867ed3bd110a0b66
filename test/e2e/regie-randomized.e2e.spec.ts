/**
 * Randomized regie test (DOMAIN.md invariants 1-9, read model "Regie history").
 *
 * fast-check generates sequences of regie commands from several workers; every run registers a NEW
 * household on the one app of this file, so runs are independent. A small oracle, fed only with the
 * commands the API accepted (2xx) and the instants the TestClock handed out for them, predicts the
 * regie history and the point-in-time holder. For a handful of simple cases the oracle also predicts
 * the answer itself (e.g. a second request while one is pending: 409, invariant 2); everything else
 * may be accepted or refused (4xx, never 5xx), and what was accepted feeds the oracle.
 *
 * Issue 19: a professional of an organisation (p-1, not in any team) takes part: regie is handed
 * to them and back, they decide on transfers to them and on reverse requests while they hold regie,
 * and a break-glass takeover from them is rejected back to them.
 *
 * Reproduce a failure with the seed and path fast-check prints: FC_SEED=<seed> FC_PATH=<path>.
 * FC_RUNS=<n> runs more (or fewer) than the default 20, e.g. for a long soak.
 */
import fc from 'fast-check';
import { bearer, startTestApp, TestApp } from '../support/app';

const TEAM_A = 't-a'; // the households' team
const TEAM_B = 't-b';
const TEAM_LEAD = 'tl-a';
const WORKERS = {
  'w-a1': { teamId: TEAM_A, role: 'generalist' },
  'w-a2': { teamId: TEAM_A, role: 'generalist' },
  'w-a3': { teamId: TEAM_A, role: 'generalist' },
  [TEAM_LEAD]: { teamId: TEAM_A, role: 'team-lead' },
  'w-b1': { teamId: TEAM_B, role: 'specialist' },
  'w-b2': { teamId: TEAM_B, role: 'family-worker' },
} as const;
type WorkerId = keyof typeof WORKERS;
const WORKER_IDS = Object.keys(WORKERS) as WorkerId[];
/** Issue 19: a professional of organisation o-1, outside both teams. */
const ORGANISATION = 'o-1';
const PROFESSIONAL = 'p-1';
type ActorId = WorkerId | typeof PROFESSIONAL;
const isProfessional = (id: ActorId): id is typeof PROFESSIONAL => id === PROFESSIONAL;
/** The actor's team (undefined for the professional) and whether they are a team lead. */
const teamOf = (id: ActorId) => (isProfessional(id) ? undefined : WORKERS[id].teamId);
const isLead = (id: ActorId) => !isProfessional(id) && WORKERS[id].role === 'team-lead';
const MEMBERS = ['m-1', 'm-2'] as const;

const NUM_RUNS = Number(process.env.FC_RUNS ?? 20);
const MIN_STEPS = 15;
const MAX_STEPS = 30;

// ---------------------------------------------------------------------------------------------
// What fast-check generates: steps that name actors relative to the household's state ("the
// holder", "the one who decides on the pending transfer"), so a shrunk sequence still makes sense.
// ---------------------------------------------------------------------------------------------

type ActorRef = ActorId | 'holder' | 'decider' | 'requester' | 'taker';
type TransferRef = 'pending' | 'stale' | 'unknown';
/** Which safety takeover a lead's act is about: the latest, an earlier one, or an id never used. */
type TakeoverRef = 'latest' | 'earlier' | 'unknown';
type Step =
  | { op: 'request'; actor: ActorRef; to: ActorId | 'self'; agreedBy: string | null }
  | { op: 'accept' | 'decline' | 'cancel'; actor: ActorRef; transfer: TransferRef }
  | { op: 'takeover'; actor: ActorRef }
  | { op: 'confirm' | 'reject'; actor: ActorRef; takeover: TakeoverRef }
  | { op: 'return'; actor: ActorRef; agreedBy: string }
  | { op: 'close'; actor: ActorRef }
  | { op: 'reopen'; actor: ActorRef };

const anyWorker = fc.constantFrom<ActorId>(...WORKER_IDS, PROFESSIONAL);
const weighted = <T>(...pairs: [number, fc.Arbitrary<T>][]) =>
  fc.oneof(...pairs.map(([weight, arbitrary]) => ({ weight, arbitrary })));

const agreedByArb = weighted<string | null>(
  [6, fc.constantFrom(...MEMBERS)],
  [1, fc.constant(null)],
  [1, fc.constant('m-9')],
);
const transferArb = weighted<TransferRef>(
  [8, fc.constant('pending' as const)],
  [1, fc.constant('stale' as const)],
  [1, fc.constant('unknown' as const)],
);
const request = (actor: fc.Arbitrary<ActorRef>, to: fc.Arbitrary<ActorId | 'self'>) =>
  fc.record({ op: fc.constant('request' as const), actor, to, agreedBy: agreedByArb });

const stepArb: fc.Arbitrary<Step> = weighted<Step>(
  // The holder hands over (on the household's behalf when it holds regie), a worker asks for regie
  // for themselves (the reverse request), or anyone asks anything. m-9 is no member of the household.
  [3, request(fc.constant('holder' as const), anyWorker)],
  [3, request(anyWorker, fc.constant('self' as const))],
  [1, request(anyWorker, anyWorker)],
  [
    4,
    fc.record({
      op: weighted([3, fc.constant('accept' as const)], [1, fc.constant('decline' as const)]),
      actor: weighted<ActorRef>([5, fc.constant('decider' as const)], [2, anyWorker]),
      transfer: transferArb,
    }),
  ],
  [
    2,
    fc.record({
      op: fc.constant('cancel' as const),
      actor: weighted<ActorRef>(
        [3, fc.constant('requester' as const)],
        [1, fc.constant('holder' as const)],
        [1, anyWorker],
      ),
      transfer: transferArb,
    }),
  ],
  [
    1,
    fc.record({
      op: fc.constant('takeover' as const),
      actor: weighted<ActorRef>([4, anyWorker], [1, fc.constant('holder' as const)]),
    }),
  ],
  [
    2,
    fc.record({
      op: weighted([3, fc.constant('confirm' as const)], [2, fc.constant('reject' as const)]),
      actor: weighted<ActorRef>(
        [5, fc.constant(TEAM_LEAD)],
        [1, fc.constant('taker' as const)],
        [1, anyWorker],
      ),
      takeover: weighted<TakeoverRef>(
        [8, fc.constant('latest' as const)],
        [1, fc.constant('earlier' as const)],
        [1, fc.constant('unknown' as const)],
      ),
    }),
  ],
  [
    2,
    fc.record({
      op: fc.constant('return' as const),
      actor: weighted<ActorRef>([4, fc.constant('holder' as const)], [1, anyWorker]),
      agreedBy: fc.constantFrom(...MEMBERS),
    }),
  ],
  [
    1,
    fc.record({
      op: fc.constant('close' as const),
      actor: weighted<ActorRef>([4, fc.constant('holder' as const)], [1, anyWorker]),
    }),
  ],
  [
    1,
    fc.record({
      op: fc.constant('reopen' as const),
      actor: weighted<ActorId>([3, fc.constantFrom<ActorId>('w-a1', 'w-a2', 'w-a3')], [1, anyWorker]),
    }),
  ],
);

interface RunInput {
  initialRegie: WorkerId | null;
  steps: Step[];
  probes: number[];
}

const runArb: fc.Arbitrary<RunInput> = fc.record({
  initialRegie: fc.constantFrom<WorkerId | null>(null, ...WORKER_IDS),
  steps: fc.array(stepArb, { minLength: MIN_STEPS, maxLength: MAX_STEPS }),
  /** Where to probe GET /v1/regie/holder besides the boundaries: fractions of the run's time span. */
  probes: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 8 }),
});

/**
 * One hand-written run besides the random ones (fast-check's `examples`), so every way regie changes
 * hands and every predicted kind of refusal is exercised on every run of this file.
 */
const walkThrough: RunInput = {
  initialRegie: null,
  steps: [
    { op: 'request', actor: 'holder', to: 'w-a2', agreedBy: 'm-1' }, // on the household's behalf
    { op: 'request', actor: 'w-a3', to: 'self', agreedBy: 'm-1' }, // 409: one already pending (2)
    { op: 'accept', actor: 'decider', transfer: 'pending' }, // transfer to w-a2
    { op: 'request', actor: 'w-b1', to: 'self', agreedBy: null }, // reverse request
    { op: 'accept', actor: 'decider', transfer: 'pending' }, // w-a2 lets w-b1 have it
    { op: 'request', actor: 'holder', to: 'w-a1', agreedBy: null }, // handover, pending...
    { op: 'return', actor: 'holder', agreedBy: 'm-1' }, // 409: transfer pending (2)
    { op: 'takeover', actor: 'w-a3' }, // ...cancelled by a safety takeover (break-glass)
    { op: 'accept', actor: 'w-a1', transfer: 'pending' }, // 409: no longer pending (2)
    { op: 'confirm', actor: 'w-a2', takeover: 'latest' }, // 403: no team lead
    { op: 'reject', actor: TEAM_LEAD, takeover: 'latest' }, // regie back to w-b1, who held it before
    { op: 'confirm', actor: TEAM_LEAD, takeover: 'latest' }, // 409: decided already (6)
    { op: 'confirm', actor: TEAM_LEAD, takeover: 'unknown' }, // 404
    { op: 'takeover', actor: 'w-a1' },
    { op: 'takeover', actor: 'holder' }, // 409: holds regie already (1)
    { op: 'return', actor: 'holder', agreedBy: 'm-1' }, // back to the household...
    { op: 'reject', actor: TEAM_LEAD, takeover: 'latest' }, // ...so the rejection moves nothing
    { op: 'takeover', actor: TEAM_LEAD },
    { op: 'confirm', actor: 'taker', takeover: 'latest' }, // 403: the lead who took over confirms it (6)
    { op: 'return', actor: 'holder', agreedBy: 'm-1' },
    { op: 'takeover', actor: 'w-a3' },
    { op: 'reject', actor: TEAM_LEAD, takeover: 'latest' }, // back to the household, which held it before
    { op: 'takeover', actor: 'w-a1' },
    { op: 'return', actor: 'holder', agreedBy: 'm-2' }, // back to the household
    { op: 'request', actor: 'holder', to: TEAM_LEAD, agreedBy: 'm-1' },
    { op: 'cancel', actor: 'requester', transfer: 'pending' },
    { op: 'takeover', actor: 'w-b2' },
    { op: 'confirm', actor: TEAM_LEAD, takeover: 'latest' }, // the lead confirms: approvedBy from now on
    { op: 'close', actor: 'holder' }, // closure ends w-b2's interval
    { op: 'request', actor: 'holder', to: 'w-a2', agreedBy: 'm-1' }, // 409: closed (9)
    { op: 'reopen', actor: 'w-a1' },
    { op: 'request', actor: 'holder', to: 'w-b1', agreedBy: null }, // 409: agreedBy missing (5)
    { op: 'request', actor: 'holder', to: 'w-b1', agreedBy: 'm-2' },
    { op: 'decline', actor: 'decider', transfer: 'pending' },
    { op: 'request', actor: 'holder', to: TEAM_LEAD, agreedBy: 'm-2' },
    { op: 'accept', actor: 'decider', transfer: 'pending' }, // the team lead holds regie
    { op: 'request', actor: 'holder', to: 'w-a3', agreedBy: null },
    { op: 'accept', actor: TEAM_LEAD, transfer: 'pending' }, // 403: the team lead asked, so cannot accept (4)
    { op: 'accept', actor: 'w-b1', transfer: 'pending' }, // 404: not the receiver, may not see it (16)
    { op: 'accept', actor: 'decider', transfer: 'pending' },
    { op: 'request', actor: 'holder', to: 'w-a2', agreedBy: null },
    { op: 'accept', actor: TEAM_LEAD, transfer: 'pending' }, // the receiver's team lead accepts for w-a2
    { op: 'request', actor: 'holder', to: PROFESSIONAL, agreedBy: null }, // to a professional (issue 19)
    { op: 'accept', actor: TEAM_LEAD, transfer: 'pending' }, // 403: no lead decides for a professional (4)
    { op: 'accept', actor: 'decider', transfer: 'pending' }, // p-1 holds regie
    { op: 'takeover', actor: 'holder' }, // 403: break-glass is a worker's
    { op: 'request', actor: 'w-b2', to: 'self', agreedBy: null }, // reverse request to the professional
    { op: 'decline', actor: 'decider', transfer: 'pending' }, // p-1 declines it
    { op: 'takeover', actor: 'w-a3' }, // break-glass from the professional
    { op: 'reject', actor: TEAM_LEAD, takeover: 'latest' }, // back to p-1
    { op: 'close', actor: 'w-a1' }, // 403: only the holder closes
    { op: 'request', actor: 'holder', to: 'w-a1', agreedBy: null }, // p-1 hands regie back
    { op: 'accept', actor: 'decider', transfer: 'pending' },
  ],
  probes: [0, 0.25, 0.5, 0.75, 1],
};

// ---------------------------------------------------------------------------------------------
// The oracle: state and expected intervals, from accepted commands only.
// ---------------------------------------------------------------------------------------------

type Holder =
  | { kind: 'household' }
  | { kind: 'worker'; id: WorkerId }
  | { kind: 'professional'; id: typeof PROFESSIONAL };
const holderOf = (id: ActorId): Holder =>
  isProfessional(id) ? { kind: 'professional', id } : { kind: 'worker', id };
type Cause =
  | 'registration'
  | 'transfer'
  | 'reverse-request'
  | 'safety-takeover'
  | 'safety-takeover-rejected'
  | 'return-to-household'
  | 'closure';
type Variant = 'handover' | 'on-behalf' | 'reverse';

interface ExpectedInterval {
  holder: {
    kind: 'household' | 'worker' | 'professional';
    id: string;
    teamId?: string;
    organisationId?: string;
  };
  from: string;
  to: string | null;
  cause: Cause;
  transferId?: string;
  requestedBy?: string;
  acceptedBy?: string;
  approvedBy?: string;
  handoverSeconds?: number;
  takeoverId?: string;
  confirmation?: 'awaiting-confirmation' | 'confirmed' | 'rejected';
  rejectedBy?: string;
}

interface Takeover {
  takeoverId: string;
  takenBy: ActorId;
  /** Who held regie before: where a rejection gives it back (no worker is deactivated in this file). */
  from: Holder;
  status: 'awaiting-confirmation' | 'confirmed' | 'rejected';
  interval: ExpectedInterval;
}

interface Pending {
  transferId: string;
  to: ActorId;
  requestedBy: ActorId;
  variant: Variant;
  requestedAt: string;
}

class Oracle {
  open = true;
  holder: Holder;
  pending: Pending | null = null;
  readonly usedTransferIds: string[] = [];
  readonly takeovers: Takeover[] = [];
  /** The takeover the current regie rests on; any other change of hands clears it. */
  regieBy: string | null = null;
  readonly intervals: ExpectedInterval[] = [];
  /** Instants of the accepted commands, registration included. */
  readonly acceptedAt: string[] = [];

  constructor(
    readonly householdId: string,
    initial: WorkerId | null,
    registeredAt: string,
  ) {
    this.holder = initial ? holderOf(initial) : { kind: 'household' };
    this.acceptedAt.push(registeredAt);
    this.begin(this.holder, registeredAt, { cause: 'registration' });
  }

  holderId(): ActorId | null {
    return this.holder.kind === 'household' ? null : this.holder.id;
  }

  /** Who decides on the pending transfer: its receiver, or the holder for a reverse request (invariants 4, 5). */
  decider(): ActorId | null {
    if (!this.pending) return null;
    return this.pending.variant === 'reverse' ? this.holderId() : this.pending.to;
  }

  variantFor(actor: ActorId): Variant {
    if (this.holder.kind === 'household') return 'on-behalf';
    return this.holder.id === actor ? 'handover' : 'reverse';
  }

  private begin(holder: Holder, at: string, extra: Omit<ExpectedInterval, 'holder' | 'from' | 'to'>) {
    const last = this.intervals[this.intervals.length - 1];
    if (last) last.to = at;
    this.regieBy = null;
    this.intervals.push({
      holder:
        holder.kind === 'household'
          ? { kind: 'household', id: this.householdId }
          : holder.kind === 'professional'
            ? { kind: 'professional', id: holder.id, organisationId: ORGANISATION }
            : { kind: 'worker', id: holder.id, teamId: WORKERS[holder.id].teamId },
      from: at,
      to: null,
      ...extra,
    });
    this.holder = holder;
  }

  /** Feeds one accepted command (2xx) recorded at `at`. */
  apply(cmd: Resolved, at: string) {
    this.acceptedAt.push(at);
    switch (cmd.op) {
      case 'request':
        this.pending = {
          transferId: cmd.transferId,
          to: cmd.to,
          requestedBy: cmd.actor,
          variant: this.variantFor(cmd.actor),
          requestedAt: at,
        };
        this.usedTransferIds.push(cmd.transferId);
        return;
      case 'accept': {
        const p = this.pending!;
        this.begin(holderOf(p.to), at, {
          cause: p.variant === 'reverse' ? 'reverse-request' : 'transfer',
          transferId: p.transferId,
          requestedBy: p.requestedBy,
          acceptedBy: cmd.actor,
          handoverSeconds: (Date.parse(at) - Date.parse(p.requestedAt)) / 1000,
        });
        this.pending = null;
        return;
      }
      case 'decline':
      case 'cancel':
        this.pending = null;
        return;
      case 'takeover': {
        const from = this.holder;
        this.begin(holderOf(cmd.actor), at, {
          cause: 'safety-takeover',
          requestedBy: cmd.actor,
          takeoverId: cmd.takeoverId,
          confirmation: 'awaiting-confirmation',
        });
        this.takeovers.push({
          takeoverId: cmd.takeoverId,
          takenBy: cmd.actor,
          from,
          status: 'awaiting-confirmation',
          interval: this.intervals[this.intervals.length - 1]!,
        });
        this.regieBy = cmd.takeoverId;
        this.pending = null;
        return;
      }
      case 'confirm': {
        const taken = this.takeover(cmd.takeoverId)!;
        taken.status = taken.interval.confirmation = 'confirmed';
        taken.interval.approvedBy = cmd.actor;
        return;
      }
      case 'reject': {
        const taken = this.takeover(cmd.takeoverId)!;
        taken.status = taken.interval.confirmation = 'rejected';
        taken.interval.rejectedBy = cmd.actor;
        // Back to the holder before, only while regie still rests on this takeover.
        if (this.regieBy === taken.takeoverId) {
          this.begin(taken.from, at, {
            cause: 'safety-takeover-rejected',
            takeoverId: taken.takeoverId,
            rejectedBy: cmd.actor,
          });
          this.pending = null;
        }
        return;
      }
      case 'return':
        this.begin({ kind: 'household' }, at, { cause: 'return-to-household', requestedBy: cmd.actor });
        return;
      case 'close':
        if (this.holder.kind !== 'household')
          this.begin({ kind: 'household' }, at, { cause: 'closure', requestedBy: cmd.actor });
        this.open = false;
        return;
      case 'reopen':
        this.open = true;
        return;
    }
  }

  takeover(takeoverId: string): Takeover | undefined {
    return this.takeovers.find((x) => x.takeoverId === takeoverId);
  }

  /** The interval holding `at` ([from, to)), or undefined before registration. */
  intervalAt(at: number): ExpectedInterval | undefined {
    return this.intervals.find((i) => Date.parse(i.from) <= at && (i.to === null || at < Date.parse(i.to)));
  }

  /**
   * The answer the API must give, for a few simple cases only; undefined = the oracle does not say
   * (the API may accept or refuse, but never fail with 5xx).
   */
  expect(cmd: Resolved): Expectation | undefined {
    // Issue 16: whoever may not see the household gets the one 404, however the command would fare.
    const holder = this.holderId();
    const pending = this.pending;
    // A route closed to the actor's role refuses before anything is read.
    if ((cmd.op === 'confirm' || cmd.op === 'reject') && !isLead(cmd.actor))
      return { status: 403, why: `${cmd.actor} has no team-lead role` };
    // Issue 19: break-glass and reopening are workers' routes; a professional is refused by role.
    // Closing is the holder's, a professional holder's too (below, as for any reader).
    if (isProfessional(cmd.actor) && (cmd.op === 'takeover' || cmd.op === 'reopen'))
      return { status: 403, why: `${cmd.op} is a worker's, not a professional's` };
    const sees = teamOf(cmd.actor) === TEAM_A || cmd.actor === holder;
    if (sees) return this.expectAsReader(cmd);
    const onReceiversSide =
      pending !== null &&
      (cmd.actor === pending.to ||
        (isLead(cmd.actor) && !isProfessional(pending.to) && teamOf(cmd.actor) === teamOf(pending.to)));
    if ((cmd.op === 'accept' || cmd.op === 'decline') && onReceiversSide) return this.expectAsReader(cmd);
    if (
      cmd.op === 'takeover' ||
      (cmd.op === 'request' && cmd.to === cmd.actor && !isProfessional(cmd.actor))
    ) {
      // Break-glass and asking the holder for regie are open to any worker, but a refusal tells an
      // outsider nothing.
      const expected = this.expectAsReader(cmd);
      return expected && expected.status >= 400
        ? { status: 404, why: `a refused ${cmd.op} by ${cmd.actor}, who may not see the household` }
        : expected;
    }
    return { status: 404, why: `${cmd.actor} may not see the household` };
  }

  private expectAsReader(cmd: Resolved): Expectation | undefined {
    const holder = this.holderId();
    const pending = this.pending;
    if (cmd.op === 'reopen') {
      if (this.open) return { status: 409, invariant: 9, why: 'only a closed plan can be reopened' };
      return teamOf(cmd.actor) === TEAM_A
        ? { status: 200, why: 'the team reopens a closed plan' }
        : undefined;
    }
    // Invariant 6: a lead's act on a takeover, on an open or a closed plan.
    if (cmd.op === 'confirm' || cmd.op === 'reject') {
      const taken = this.takeover(cmd.takeoverId);
      // The route admits only tokens with the team-lead role (the guard, before the domain).
      if (cmd.actor !== TEAM_LEAD) return { status: 403, why: `${cmd.actor} has no team-lead role` };
      if (!taken) return { status: 404, why: 'no such takeover' };
      if (cmd.actor === taken.takenBy)
        return { status: 403, invariant: 6, why: 'the taker decides on their own takeover' };
      if (taken.status !== 'awaiting-confirmation')
        return { status: 409, invariant: 6, why: `the takeover was ${taken.status} already` };
      return { status: 200, why: `the team lead ${cmd.op}s the takeover` };
    }
    if (!this.open) return { status: 409, invariant: 9, why: 'the plan is closed' };
    switch (cmd.op) {
      case 'request':
        if (holder !== null && cmd.to === holder)
          return { status: 409, invariant: 1, why: `${holder} already holds regie` };
        if (holder === null && teamOf(cmd.actor) === TEAM_A && cmd.agreedBy === null) {
          return { status: 409, invariant: 5, why: 'the household holds regie and no agreedBy was given' };
        }
        if (holder !== null && cmd.actor === holder) {
          return pending
            ? { status: 409, invariant: 2, why: `transfer ${pending.transferId} is already pending` }
            : { status: 201, why: 'the holder hands regie to another worker' };
        }
        if (holder !== null && cmd.to === cmd.actor && pending) {
          return {
            status: 409,
            invariant: 2,
            why: `reverse request while transfer ${pending.transferId} is pending`,
          };
        }
        return undefined;
      case 'accept':
      case 'decline':
      case 'cancel':
        if (cmd.transferRef === 'unknown') return { status: 404, why: 'no such transfer' };
        if (cmd.transferRef === 'stale')
          return { status: 409, invariant: 2, why: `transfer ${cmd.transferId} is no longer pending` };
        if (cmd.op === 'cancel') {
          if (cmd.actor === pending!.requestedBy || cmd.actor === holder)
            return { status: 200, why: 'the requester or holder cancels' };
          return { status: 403, why: 'neither requester nor holder cancels' };
        }
        // Invariants 4 and 5: the receiver or a team lead of the receiver's team decides (not a team
        // lead who asked for the handover); on a reverse request the holder decides.
        if (pending!.variant === 'reverse') {
          return cmd.actor === holder
            ? { status: 200, why: 'the holder decides on a reverse request' }
            : { status: 403, why: `only the holder ${holder} decides on a reverse request` };
        }
        if (cmd.actor === pending!.to) return { status: 200, why: 'the receiver decides' };
        if (cmd.actor === TEAM_LEAD && teamOf(pending!.to) === TEAM_A && pending!.requestedBy !== TEAM_LEAD) {
          return { status: 200, why: "a team lead of the receiver's team decides" };
        }
        return {
          status: 403,
          why: `${cmd.actor} is neither the receiver nor a team lead of its team who did not ask`,
        };
      case 'takeover':
        if (cmd.actor === holder)
          return { status: 409, invariant: 1, why: `${cmd.actor} already holds regie` };
        return { status: 200, why: 'break-glass: any active worker takes regie at once' };
      case 'return':
        if (holder === null) return { status: 409, invariant: 7, why: 'the household already holds regie' };
        if (cmd.actor !== holder) return { status: 403, why: `only the holder ${holder} returns regie` };
        if (pending) return { status: 409, invariant: 2, why: `transfer ${pending.transferId} is pending` };
        return { status: 200, why: 'the holder returns regie' };
      case 'close':
        if (holder !== null && cmd.actor !== holder)
          return { status: 403, why: `only the holder ${holder} closes` };
        if (holder !== null && pending)
          return { status: 409, invariant: 9, why: `transfer ${pending.transferId} is pending` };
        if (holder !== null) return { status: 200, why: 'the holder closes the plan' };
        return undefined;
    }
  }
}

interface Expectation {
  status: number;
  invariant?: number;
  why: string;
}

/** A step with its references resolved against the oracle's state, ready to send. */
type Resolved =
  | { op: 'request'; actor: ActorId; to: ActorId; agreedBy: string | null; transferId: string }
  | { op: 'accept' | 'decline' | 'cancel'; actor: ActorId; transferId: string; transferRef: TransferRef }
  | { op: 'takeover'; actor: ActorId; takeoverId: string }
  | { op: 'confirm' | 'reject'; actor: ActorId; takeoverId: string }
  | { op: 'return'; actor: ActorId; agreedBy: string }
  | { op: 'close'; actor: ActorId }
  | { op: 'reopen'; actor: ActorId };

const resolve = (step: Step, o: Oracle, nextId: () => string): Resolved => {
  const actorOf = (ref: ActorRef): ActorId => {
    switch (ref) {
      case 'holder':
        return o.holderId() ?? 'w-a1'; // the household holds regie: a worker of its team acts
      case 'decider':
        return o.decider() ?? 'w-a2';
      case 'requester':
        return o.pending?.requestedBy ?? 'w-a3';
      case 'taker':
        return o.takeovers[o.takeovers.length - 1]?.takenBy ?? 'w-a1';
      default:
        return ref;
    }
  };
  const actor = actorOf(step.actor);
  switch (step.op) {
    case 'request':
      return {
        op: 'request',
        actor,
        to: step.to === 'self' ? actor : step.to,
        agreedBy: step.agreedBy,
        transferId: nextId(),
      };
    case 'accept':
    case 'decline':
    case 'cancel': {
      const stale = o.usedTransferIds.filter((id) => id !== o.pending?.transferId).pop();
      let transferRef: TransferRef = step.transfer;
      if (transferRef === 'pending' && !o.pending) transferRef = stale ? 'stale' : 'unknown';
      if (transferRef === 'stale' && !stale) transferRef = 'unknown';
      const transferId =
        transferRef === 'pending' ? o.pending!.transferId : transferRef === 'stale' ? stale! : nextId();
      return { op: step.op, actor, transferId, transferRef };
    }
    case 'takeover':
      return { op: 'takeover', actor, takeoverId: nextId() };
    case 'confirm':
    case 'reject': {
      const ids = o.takeovers.map((x) => x.takeoverId);
      const takeoverId =
        step.takeover === 'latest'
          ? ids[ids.length - 1]
          : step.takeover === 'earlier'
            ? ids[ids.length - 2]
            : undefined;
      return { op: step.op, actor, takeoverId: takeoverId ?? nextId() };
    }
    case 'return':
      return { op: 'return', actor, agreedBy: step.agreedBy };
    case 'close':
    case 'reopen':
      return { op: step.op, actor };
  }
};

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

let t: TestApp;
const tokens = {} as Record<ActorId | 'admin' | 'auditor', string>;
/** Counted across runs, so the file fails when the generator stops reaching the interesting paths. */
const seen = {
  causes: new Map<string, number>(),
  predicted: new Map<string, number>(),
  accepted: 0,
  refused: 0,
  /** Issue 19: intervals the professional held, and transfers to them the oracle saw accepted. */
  professionalIntervals: 0,
};
const count = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
let householdCounter = 0;

beforeAll(async () => {
  t = await startTestApp();
  tokens.admin = t.token('admin-1', ['admin']);
  tokens.auditor = t.token('auditor-1', ['auditor']);
  for (const [teamId, district] of [
    [TEAM_A, 'noord'],
    [TEAM_B, 'zuid'],
  ] as const) {
    const res = await t
      .http()
      .post('/v1/teams')
      .set(bearer(tokens.admin))
      .send({ teamId, name: `Wijkteam ${district}`, districts: [district] });
    expect(res.status).toBe(201);
  }
  for (const id of WORKER_IDS) {
    const { teamId, role } = WORKERS[id];
    const res = await t
      .http()
      .post(`/v1/teams/${teamId}/workers`)
      .set(bearer(tokens.admin))
      .send({ workerId: id, name: `Werker ${id}`, role, hoursPerWeek: 32 });
    expect(res.status).toBe(201);
    tokens[id] = t.token(id, role === 'team-lead' ? ['worker', 'team-lead'] : ['worker'], [teamId]);
  }
  // Issue 19: the organisation on the social map and its professional.
  const organisation = await t
    .http()
    .post('/v1/organisations')
    .set(bearer(tokens.admin))
    .send({
      organisationId: ORGANISATION,
      name: 'Specialistische jeugdhulp',
      expertise: { lifeDomains: ['mental-health'], tags: [] },
      location: 'noord',
      waitingDays: 0,
    });
  expect(organisation.status).toBe(201);
  const professional = await t
    .http()
    .post(`/v1/organisations/${ORGANISATION}/professionals`)
    .set(bearer(tokens.admin))
    .send({ professionalId: PROFESSIONAL, kind: 'specialist' });
  expect(professional.status).toBe(201);
  tokens[PROFESSIONAL] = t.token(PROFESSIONAL, ['professional'], [], { organisation: ORGANISATION });
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const send = (cmd: Resolved, householdId: string) => {
  const base = `/v1/households/${householdId}`;
  const post = (path: string, body: object) =>
    t
      .http()
      .post(base + path)
      .set(bearer(tokens[cmd.actor]))
      .send(body);
  switch (cmd.op) {
    case 'request':
      return post('/regie/transfers', {
        transferId: cmd.transferId,
        to: isProfessional(cmd.to)
          ? { kind: 'professional', id: cmd.to, organisationId: ORGANISATION }
          : { kind: 'worker', id: cmd.to },
        reason: 'Andere expertise nodig',
        ...(cmd.agreedBy === null ? {} : { agreedBy: cmd.agreedBy }),
      });
    case 'accept':
      return post(`/regie/transfers/${cmd.transferId}/accept`, {});
    case 'decline':
    case 'cancel':
      return post(`/regie/transfers/${cmd.transferId}/${cmd.op}`, { reason: `reden om te ${cmd.op}` });
    case 'takeover':
      return post('/regie/safety-takeover', { takeoverId: cmd.takeoverId, reason: 'Acute zorgen' });
    case 'confirm':
      return post(`/regie/safety-takeover/${cmd.takeoverId}/confirm`, {});
    case 'reject':
      return post(`/regie/safety-takeover/${cmd.takeoverId}/reject`, { reason: 'Geen acuut gevaar' });
    case 'return':
      return post('/regie/return-to-household', { agreedBy: cmd.agreedBy });
    case 'close':
      return post('/close', { outcome: 'Doelen bereikt' });
    case 'reopen':
      return post('/reopen', { reason: 'Nieuwe zorgen' });
  }
};

const describeCmd = (c: Resolved) => {
  const { op, actor, ...rest } = c;
  return `${actor} ${op} ${JSON.stringify(rest)}`;
};

/** One run: a new household, the generated steps, then the assertions (a)-(c). */
const runOnce = async ({ initialRegie, steps, probes }: RunInput) => {
  const householdId = `hh-rand-${++householdCounter}`;
  const trace: string[] = [];
  try {
    const reg = await t
      .http()
      .post('/v1/households')
      .set(bearer(tokens['w-a1']))
      .send({
        householdId,
        teamId: TEAM_A,
        district: 'noord',
        members: [
          { memberId: 'm-1', role: 'parent', birthYear: 1985, name: 'Ouder' },
          // 17 all year: old enough to consent alone (issue 18), as the consents below need.
          { memberId: 'm-2', role: 'child', birthYear: t.clock.peek().getUTCFullYear() - 18, name: 'Kind' },
        ],
        ...(initialRegie ? { regie: { workerId: initialRegie } } : {}),
      });
    expect(reg.status).toBe(201);
    const registeredAt = t.clock.peek().toISOString();
    // Issue 18: regie to team B is outside the household's team, so both members consent to it
    // up front; the model is about regie, not consent (consents.e2e and regie.e2e test that).
    for (const memberId of MEMBERS)
      for (const recipient of [TEAM_B, ORGANISATION]) {
        const consent = await t
          .http()
          .post(`/v1/households/${householdId}/consents`)
          .set(bearer(tokens['w-a1']))
          .send({ memberId, purpose: 'regie-outside-organisation', recipient, givenBy: [{ memberId }] });
        expect(consent.status).toBe(201);
      }
    trace.push(`registered at ${registeredAt}, regie ${initialRegie ?? 'household'}`);
    const oracle = new Oracle(householdId, initialRegie, registeredAt);
    let n = 0;
    const nextId = () => `${householdId}.tr-${++n}`;

    for (const [i, step] of steps.entries()) {
      const cmd = resolve(step, oracle, nextId);
      const expected = oracle.expect(cmd);
      const before = t.clock.peek().getTime();
      const res = await send(cmd, householdId);
      const at = t.clock.peek();
      const ok = res.status >= 200 && res.status < 300;
      trace.push(
        `#${i} ${describeCmd(cmd)} -> ${res.status}${ok ? ` at ${at.toISOString()}` : ` ${res.body?.code} ${res.body?.detail}`}`,
      );
      if (res.status >= 500 || res.status < 200 || (res.status >= 300 && res.status < 400)) {
        throw new Error(`unexpected status ${res.status}: ${JSON.stringify(res.body)}`);
      }
      if (expected) {
        count(
          seen.predicted,
          `${cmd.op} ${expected.status}${expected.invariant ? `/inv${expected.invariant}` : ''}`,
        );
        const got = { status: res.status, invariant: ok ? undefined : res.body?.invariant };
        const want = { status: expected.status, invariant: expected.invariant };
        if (
          got.status !== want.status ||
          (want.invariant !== undefined && got.invariant !== want.invariant)
        ) {
          throw new Error(
            `oracle expected ${JSON.stringify(want)} (${expected.why}), API answered ${JSON.stringify(got)}`,
          );
        }
      }
      if (!ok) {
        seen.refused++;
        continue;
      }
      seen.accepted++;
      // The assumption behind the instants: an accepted command reads the clock exactly once.
      if (at.getTime() !== before + 1000)
        throw new Error(
          `accepted command read the clock ${(at.getTime() - before) / 1000} times, expected once`,
        );
      if (cmd.op === 'request') {
        const variant = oracle.variantFor(cmd.actor);
        if (res.body?.variant !== variant)
          throw new Error(`request variant: API ${res.body?.variant}, oracle ${variant}`);
      }
      oracle.apply(cmd, at.toISOString());
    }
    for (const i of oracle.intervals) count(seen.causes, i.cause);
    seen.professionalIntervals += oracle.intervals.filter((i) => i.holder.kind === 'professional').length;
    const end = t.clock.peek().getTime();

    // (c) the history's own shape: first from = registration, each to = next from, only the last open.
    const history = await t
      .http()
      .get(`/v1/households/${householdId}/regie/history?limit=200`)
      .set(bearer(tokens.auditor));
    expect(history.status).toBe(200);
    expect(history.body.next).toBeNull();
    const intervals = history.body.intervals as ExpectedInterval[];
    trace.push(`history: ${JSON.stringify(intervals.map((i) => [i.holder.id, i.from, i.to, i.cause]))}`);
    trace.push(
      `oracle:  ${JSON.stringify(oracle.intervals.map((i) => [i.holder.id, i.from, i.to, i.cause]))}`,
    );
    expect(intervals.length).toBeGreaterThan(0);
    expect(intervals[0]!.from).toBe(registeredAt);
    intervals.forEach((interval, k) => {
      const next = intervals[k + 1];
      if (next) {
        expect({ k, to: interval.to }).toEqual({ k, to: next.from });
        expect(Date.parse(interval.from)).toBeLessThan(Date.parse(next.from));
      } else {
        expect({ k, to: interval.to }).toEqual({ k, to: null });
      }
    });
    // The instants really are the accepted commands' instants.
    for (const interval of intervals) expect(oracle.acceptedAt).toContain(interval.from);

    // (a) the history equals the oracle's intervals.
    const pick = (i: ExpectedInterval) => {
      const { holder, from, to, cause, transferId, requestedBy, acceptedBy, approvedBy, handoverSeconds } = i;
      const { takeoverId, confirmation, rejectedBy } = i;
      const defined = Object.entries({
        transferId,
        requestedBy,
        acceptedBy,
        approvedBy,
        handoverSeconds,
        takeoverId,
        confirmation,
        rejectedBy,
      }).filter(([, v]) => v !== undefined);
      return { holder, from, to, cause, ...Object.fromEntries(defined) };
    };
    expect(intervals.map(pick)).toEqual(oracle.intervals.map(pick));

    // (b) the holder at chosen instants: before registration, on and just before every boundary,
    // inside intervals, after the last change.
    const t0 = Date.parse(registeredAt);
    const instants = new Set<number>([t0 - 86_400_000, t0 - 1, end + 1, end + 365 * 86_400_000]);
    for (const i of oracle.intervals) {
      instants.add(Date.parse(i.from));
      instants.add(Date.parse(i.from) - 1);
    }
    for (const p of probes) instants.add(Math.floor(t0 - 5_000 + p * (end + 5_000 - (t0 - 5_000))));
    for (const ms of [...instants].sort((x, y) => x - y)) {
      const at = new Date(ms).toISOString();
      const res = await t
        .http()
        .get('/v1/regie/holder')
        .query({ householdId, at })
        .set(bearer(tokens.auditor));
      const want = oracle.intervalAt(ms);
      if (!want) {
        expect({ at, status: res.status }).toEqual({ at, status: 404 });
        continue;
      }
      expect({ at, status: res.status }).toEqual({ at, status: 200 });
      expect({ at, holder: res.body.holder, since: res.body.since, cause: res.body.cause }).toEqual({
        at,
        holder: want.holder,
        since: want.from,
        cause: want.cause,
      });
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`household ${householdId}\n  ${trace.join('\n  ')}\n${message}`);
  }
};

describe('regie under random command sequences (invariants 1-9)', () => {
  it(`history and point-in-time holder match an oracle of the accepted commands (${NUM_RUNS} runs)`, async () => {
    await fc.assert(fc.asyncProperty(runArb, runOnce), {
      numRuns: NUM_RUNS,
      examples: [[walkThrough]],
      ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
      // A failing run shrinks by re-running on new households; bound that so a failure is reported, not timed out.
      interruptAfterTimeLimit: 100_000,
      markInterruptAsFailure: true,
    });
    // Every way regie changes hands and every kind of prediction was exercised (the walk-through
    // guarantees it), so a change that makes the oracle silent cannot pass unnoticed.
    for (const cause of [
      'registration',
      'transfer',
      'reverse-request',
      'safety-takeover',
      'safety-takeover-rejected',
      'return-to-household',
      'closure',
    ]) {
      expect({ cause, seen: (seen.causes.get(cause) ?? 0) > 0 }).toEqual({ cause, seen: true });
    }
    for (const key of [
      'request 201',
      'request 409/inv2',
      'request 409/inv5',
      'request 409/inv9',
      'accept 200',
      'accept 403',
      'accept 404',
      'accept 409/inv2',
      'decline 200',
      'cancel 200',
      'return 200',
      'return 409/inv2',
      'takeover 200',
      'takeover 409/inv1',
      'confirm 200',
      'confirm 403',
      'confirm 403/inv6',
      'confirm 409/inv6',
      'confirm 404',
      'reject 200',
      'close 200',
      'reopen 200',
      'takeover 403',
      'close 403',
    ]) {
      expect({ key, seen: (seen.predicted.get(key) ?? 0) > 0 }).toEqual({ key, seen: true });
    }
    // The professional held regie (by transfer, and again after a rejected takeover from them).
    expect(seen.professionalIntervals).toBeGreaterThanOrEqual(2);
    // Most random commands may be refused, but not nearly all: then the runs would test little.
    expect(seen.accepted).toBeGreaterThan((seen.accepted + seen.refused) / 5);
  }, 150_000);
});
