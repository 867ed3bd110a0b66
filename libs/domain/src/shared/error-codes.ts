/**
 * Every refusal the domain can give, in one typed table: its code (stable, clients match on it),
 * its kind (the API maps kind to an HTTP status: conflict 409, forbidden 403, not-found 404,
 * invalid 400), the DOMAIN.md invariants it protects, and what its message says (`…` stands for
 * the values the message names). The refusal helpers in domain-error.ts accept only these codes,
 * and only with their kind and invariants: a typo or a code under the wrong kind does not compile.
 * docs/errors.md is written from this table (`npm run docs:errors`).
 */
export type DomainErrorKind = 'conflict' | 'forbidden' | 'not-found' | 'invalid';

export interface DomainErrorSpec {
  readonly kind: DomainErrorKind;
  /** The invariants (DOMAIN.md) a refusal with this code protects; a call names one of them. */
  readonly invariants?: readonly number[];
  readonly meaning: string;
}

export const DOMAIN_ERRORS = {
  ActionAlreadyCompleted: { kind: 'conflict', meaning: 'action … is already completed' },
  ActionAlreadyExists: { kind: 'conflict', meaning: 'action … already exists' },
  ActionLimitReached: {
    kind: 'conflict',
    meaning:
      "a household's plan holds at most the configured number of actions (details name maxActionsPerHousehold)",
  },
  ActionNotFound: { kind: 'not-found', meaning: 'action … does not exist' },
  AgreeOnlyForYourself: {
    kind: 'forbidden',
    meaning:
      "a resident records only their own agreement with the plan (body {} or their own memberId); others' agreement is recorded by the household's workers",
  },
  AgreedByRequired: {
    kind: 'conflict',
    invariants: [5],
    meaning: 'the household holds regie, so agreedBy must name the member who agreed',
  },
  AlreadyRegieHolder: { kind: 'conflict', invariants: [1], meaning: 'worker … already holds regie' },
  AlreadyRestricted: {
    kind: 'conflict',
    meaning: 'restriction … of the same household or member is in force already (AVG art. 18)',
  },
  AssessmentAlreadyRecorded: {
    kind: 'conflict',
    meaning: 'assessment … is already recorded; a measurement is never changed',
  },
  AssessmentOutOfOrder: {
    kind: 'conflict',
    meaning: 'assessedOn: … is before the latest assessment (…); progress is measured in order',
  },
  AssignmentAlreadyEnded: { kind: 'conflict', meaning: 'assignment … has already ended' },
  AssignmentAlreadyExists: { kind: 'conflict', meaning: 'assignment … already exists in this household' },
  AssignmentIdAlreadyUsed: {
    kind: 'conflict',
    meaning: 'assignment … of household … already holds … hours of volunteer …',
  },
  AssignmentNotFound: { kind: 'not-found', meaning: 'assignment … does not exist in this household' },
  AuthorityHolderNotEligible: {
    kind: 'conflict',
    meaning: 'a member who holds authority is a current member aged 18 or over on the day (art. 1:246 BW)',
  },
  BirthNotOnJoinDate: {
    kind: 'invalid',
    meaning: 'on: a member who joins by birth joins in the month (or year) of birth',
  },
  CadenceIdAlreadyUsed: { kind: 'conflict', meaning: 'cadence id … was used before' },
  CadenceStartsInPast: { kind: 'invalid', meaning: 'startsOn: … is before today (…)' },
  ChildProtectionMeasureRuns: {
    kind: 'conflict',
    meaning:
      'measure … runs: regie lies with a jeugdbeschermer of its certified institution (details: measureId, organisationId)',
  },
  ConfirmerIsTaker: {
    kind: 'forbidden',
    invariants: [6],
    meaning: 'a safety takeover is confirmed or rejected by a team lead who is not the taker',
  },
  ConsentAlreadyGiven: {
    kind: 'conflict',
    invariants: [15],
    meaning: 'consent for sharing with UWV is already given (by …)',
  },
  ConsentAlreadyWithdrawn: { kind: 'conflict', meaning: 'consent … was withdrawn on …' },
  ConsentDateInvalid: {
    kind: 'invalid',
    meaning:
      'from/until: no calendar date, from before today (consent is not backdated), or until before from',
  },
  ConsentIdAlreadyUsed: { kind: 'conflict', meaning: 'consent id … was used before' },
  ConsentNotFound: { kind: 'not-found', meaning: 'consent … does not exist in this household' },
  ConsentRecipientInvalid: {
    kind: 'invalid',
    meaning:
      "recipient: consent for uwv-signals goes to 'uwv', for network-sharing to a member of the household's network",
  },
  ConsentRequired: {
    kind: 'conflict',
    meaning:
      'sharing needs a consent in force from every member it concerns (details name purpose, recipient and the members without one), or a legal ground',
  },
  ContactAlreadyRecorded: { kind: 'conflict', meaning: 'contact … is already recorded' },
  ContactInFuture: { kind: 'invalid', meaning: 'contactOn: … is after today (…)' },
  CorrectionAlreadyExists: { kind: 'conflict', meaning: 'correction … already exists' },
  CorrectionTargetNotFound: {
    kind: 'not-found',
    meaning: 'the member, goal or action a correction names is not in this household',
  },
  CorrectionTargetRequired: {
    kind: 'invalid',
    meaning: 'a correction of … names the member, goal or action it corrects',
  },
  DistrictNotServed: { kind: 'invalid', meaning: 'district: team … does not serve district …' },
  DuplicateGoal: { kind: 'invalid', meaning: 'goals[…].goalId: a closure names each goal once' },
  DuplicateMember: { kind: 'invalid', meaning: 'members: member ids must be unique' },
  EmptyLegalBasis: { kind: 'invalid', meaning: 'legalBasis: name the law, or leave it out' },
  ErasureGroundNotAReference: {
    kind: 'invalid',
    meaning:
      'the erasure ground is no reference (a request number or article, 3 to … characters, naming no one): the detail says what is wrong',
  },
  GoalAlreadyExists: { kind: 'conflict', meaning: 'goal … already exists' },
  GoalProposalAlreadyExists: { kind: 'conflict', meaning: 'goal proposal … already exists' },
  GoalProposalLimitReached: {
    kind: 'conflict',
    meaning:
      'a household holds at most the configured number of goal proposals, as of goals (details name maxGoalsPerHousehold)',
  },
  GoalLimitReached: {
    kind: 'conflict',
    meaning:
      "a household's plan holds at most the configured number of goals (details name maxGoalsPerHousehold)",
  },
  GoalNotFound: {
    kind: 'conflict',
    invariants: [10],
    meaning: 'an action, a note, a status or a target date belongs to a goal, and goal … does not exist',
  },
  GoalNoteAlreadyExists: { kind: 'conflict', meaning: 'note … already exists' },
  PlanEvaluationDateUnchanged: { kind: 'conflict', meaning: 'the plan is to be evaluated by … already' },
  GoalStatusUnchanged: { kind: 'conflict', meaning: 'goal … has that status already' },
  GoalTargetDateUnchanged: { kind: 'conflict', meaning: 'goal … has that target date already' },
  GroundNotAReference: {
    kind: 'invalid',
    meaning:
      'the ground of a restriction or correction is no reference (a request number or article, naming no one): the detail says what is wrong',
  },
  HouseholdAlreadyRegistered: { kind: 'conflict', meaning: 'household … is already registered' },
  HouseholdErased: {
    kind: 'conflict',
    meaning: "this household's personal data was erased; it takes no further changes",
  },
  HouseholdHoldsRegie: { kind: 'conflict', invariants: [7], meaning: 'the household already holds regie' },
  HouseholdNotFound: { kind: 'not-found', meaning: 'household is not registered' },
  IncompleteAssessment: {
    kind: 'invalid',
    meaning:
      'scores: each life domain is scored once, with a whole score in range; the detail lists each field and what is wrong',
  },
  InvalidAssessmentDate: { kind: 'invalid', meaning: 'assessedOn: … is not a date on or before today (…)' },
  InvalidAuthorityHolders: {
    kind: 'invalid',
    meaning: 'holders: one or two holders of authority, each named once, never the child themselves',
  },
  InvalidBirthDate: {
    kind: 'invalid',
    meaning:
      '…: the birth date is not real on the day of the act: after it, before 1900, or a month outside 1..12',
  },
  InvalidCadence: { kind: 'invalid', meaning: 'everyWeeks: must be a whole number of weeks from 1 to …' },
  InvalidMemberDate: { kind: 'invalid', meaning: 'on: … is not a date on or before today (…)' },
  InvalidConsultation: {
    kind: 'invalid',
    meaning:
      'consultedRole: a consultation of a colleague names colleague or aandachtsfunctionaris; one of Veilig Thuis names none',
  },
  InvalidCorrectionValue: {
    kind: 'invalid',
    meaning: 'value: … (too long, empty, or no birth YYYY or YYYY-MM that can be real)',
  },
  InvalidNorm: { kind: 'invalid', meaning: 'householdsPerWorker: must be a whole number from 1 to …' },
  InvalidMeetingDate: { kind: 'invalid', meaning: 'on: … is not a date on or before today (…)' },
  DuplicateDecision: { kind: 'invalid', meaning: 'decisions: a decision id is named twice in one meeting' },
  UnknownAttendee: {
    kind: 'invalid',
    meaning: 'attendees[…].id: … is no member or network member of this household',
  },
  ReviewMeetingAlreadyRecorded: { kind: 'conflict', meaning: 'review meeting … is already recorded' },
  InvalidEvaluationDate: { kind: 'invalid', meaning: 'evaluateBy: … is not a date on or after today (…)' },
  InvalidTargetDate: { kind: 'invalid', meaning: 'targetDate: … is not a date on or after today (…)' },
  InvalidQuestionDate: { kind: 'invalid', meaning: 'askedOn: … is not a date on or before today (…)' },
  MeldcodeHelpRequired: {
    kind: 'conflict',
    meaning:
      'the weighing (step 4) of track … found help possible and reporting not necessary: the decision organises help or reports (afwegingskader); close the track to end it without either',
  },
  MeldcodeReportRequired: {
    kind: 'conflict',
    meaning:
      'the weighing (step 4) of track … found reporting necessary or help not possible: the decision reports to Veilig Thuis (afwegingskader)',
  },
  MeldcodeStepAlreadyRecorded: {
    kind: 'conflict',
    meaning: 'step … of meldcode track … was recorded already (details name step and currentStep)',
  },
  MeldcodeStepOutOfOrder: {
    kind: 'conflict',
    meaning:
      'step … of the meldcode before an earlier one: track … is at step … and steps happen in order (details name step and currentStep)',
  },
  MeldcodeTrackAlreadyOpen: {
    kind: 'conflict',
    meaning: 'meldcode track … is open for this household: one at a time (details name openTrackId)',
  },
  MeldcodeTrackOpen: {
    kind: 'conflict',
    meaning:
      'meldcode track … is open: decide or close it before erasing the household, so the track ends recorded (details name openTrackId)',
  },
  MeldcodeTrackEnded: {
    kind: 'conflict',
    meaning: 'meldcode track … was decided or closed; new signals start a new track',
  },
  MeldcodeTrackIdAlreadyUsed: { kind: 'conflict', meaning: 'meldcode track id … was used before' },
  MeldcodeTrackNotFound: { kind: 'not-found', meaning: 'meldcode track … does not exist for this household' },
  MeasureAlreadyEnded: { kind: 'conflict', meaning: 'measure … ended at …' },
  MeasureAlreadyRunning: {
    kind: 'conflict',
    meaning: 'measure … already concerns member … in that period (details: measureId)',
  },
  MeasureIdAlreadyUsed: { kind: 'conflict', meaning: 'measure id … was used before' },
  MeasureNotFound: { kind: 'not-found', meaning: 'measure … does not exist in this household' },
  MeasurePeriodInvalid: { kind: 'invalid', meaning: 'from … until …: two days, until not before from' },
  MemberDataAlreadyErased: {
    kind: 'conflict',
    meaning: 'the personal data of member … was erased on …',
  },
  MemberStillInHousehold: {
    kind: 'conflict',
    meaning: 'member … still belongs to the household: only a member who left is erased on their own',
  },
  LastMemberCannotLeave: {
    kind: 'conflict',
    meaning: "member … is the household's last member; close the plan instead",
  },
  MemberAlreadyExists: {
    kind: 'conflict',
    meaning: 'member id … is already used in this household (also by a member who left)',
  },
  MemberAlreadyLeft: { kind: 'conflict', meaning: 'member … left the household on …' },
  MemberLimitReached: {
    kind: 'conflict',
    meaning:
      'a household holds at most 30 members at a time and 60 over its life (details name maxCurrentMembers and maxMembers)',
  },
  MemberNotFound: {
    kind: 'not-found',
    meaning: 'member … is not and never was a member of this household (also: an id in the path)',
  },
  MemberHasLeft: {
    kind: 'conflict',
    meaning:
      'member … left the household on … and no longer acts as its member (agrees, consents, is assessed)',
  },
  NetworkMemberAlreadyExists: {
    kind: 'conflict',
    meaning: 'network member id … is already used in this household',
  },
  NetworkMemberAlreadyRemoved: { kind: 'conflict', meaning: 'network member … was already removed' },
  NetworkMemberNotFound: { kind: 'not-found', meaning: 'network member … is not in this household' },
  NetworkMemberOwnsActions: {
    kind: 'conflict',
    invariants: [10],
    meaning: 'network member … owns open actions …; complete them first',
  },
  NoCapacity: {
    kind: 'conflict',
    meaning:
      'the party has no capacity for what is asked on the day (WGBO 7:450, Jeugdwet 7.3.4, UAVG 5): the detail names what is missing',
  },
  NoCheckInCadence: {
    kind: 'conflict',
    invariants: [16],
    meaning: 'the household has no check-in cadence running',
  },
  NoConsentToWithdraw: {
    kind: 'conflict',
    invariants: [15],
    meaning: 'there is no consent for sharing with UWV to withdraw',
  },
  NotAMinor: {
    kind: 'conflict',
    meaning: 'member … is not certainly under 18 on the day: parental authority ends at 18 (art. 1:246 BW)',
  },
  NotAJeugdbeschermer: {
    kind: 'conflict',
    meaning:
      'jeugdbeschermerId: professional … of the certified institution is registered as another kind, not as jeugdbeschermer (details: professionalId, kind)',
  },
  NotAWorkerId: {
    kind: 'conflict',
    meaning: '… acts as …; ids of auditors, integrators and admins never become workers',
  },
  NotAdmin: {
    kind: 'forbidden',
    meaning:
      "only an administrator erases a household's or a member's personal data, restricts its processing or lifts a restriction",
  },
  NotAnAdultMember: {
    kind: 'conflict',
    meaning: 'member … is under 18 on … (age …); the ZRM measures one adult',
  },
  NotHouseholdResident: {
    kind: 'forbidden',
    meaning: 'only a resident of the household (a current member of 16 or over, by the token) may do this',
  },
  NotHouseholdTeam: {
    kind: 'forbidden',
    invariants: [5],
    meaning: 'only workers of team … or the regie holder …',
  },
  NotHouseholdTeamLead: {
    kind: 'forbidden',
    invariants: [6],
    meaning: 'only an active team lead of team … confirms or rejects its safety takeovers',
  },
  NotIntegrator: {
    kind: 'forbidden',
    invariants: [14],
    meaning: 'only an integrator posts inbound signals from UWV',
  },
  NotReferralOrganisation: {
    kind: 'forbidden',
    meaning: "referral … is to organisation …; only that organisation's professionals accept or complete it",
  },
  NotRegieHolder: {
    kind: 'forbidden',
    invariants: [5, 7],
    meaning: 'only the regie holder (…) closes the plan',
  },
  NotTeamLead: {
    kind: 'forbidden',
    invariants: [12],
    meaning: "only a team lead records a volunteer's VOG date",
  },
  NotTransferCanceller: {
    kind: 'forbidden',
    invariants: [4],
    meaning: 'only the requester or the current regie holder cancels a transfer',
  },
  NotTransferDecider: {
    kind: 'forbidden',
    invariants: [4, 5],
    meaning: "only the receiver or a team lead of the receiver's team accepts or declines",
  },
  NothingToCorrect: { kind: 'conflict', meaning: '… is … already: there is nothing to correct' },
  OrganisationAlreadyRegistered: { kind: 'conflict', meaning: 'organisation … is already registered' },
  OrganisationNotFound: { kind: 'not-found', meaning: 'organisation … is not registered' },
  OwnerIdRequired: { kind: 'invalid', meaning: 'owner.id: an action owned by a … names it' },
  OwnerNotLinked: {
    kind: 'conflict',
    invariants: [10],
    meaning: 'a … owns an action only through its link to this household; owner.id must be …, and … is not',
  },
  PlanAgreementAlreadyRecorded: {
    kind: 'conflict',
    invariants: [11],
    meaning: '… already agreed with revision …; the agreement of … is still missing',
  },
  PlanAlreadyAgreed: { kind: 'conflict', invariants: [11], meaning: 'revision … is already agreed' },
  PlanClosed: { kind: 'conflict', invariants: [9], meaning: 'the plan is already closed' },
  PlanEmpty: { kind: 'conflict', invariants: [11], meaning: 'a plan without goals cannot be agreed' },
  PlanNotClosed: {
    kind: 'conflict',
    invariants: [9],
    meaning: 'close the plan before erasing the household, so its regie history ends complete',
  },
  ProcessingRestricted: {
    kind: 'conflict',
    meaning:
      'processing of this household or member is restricted (AVG art. 18, restriction …); only storage, audit and erasure go on until it is lifted (details name restrictionId)',
  },
  ProfessionalAlreadyInactive: { kind: 'conflict', meaning: 'professional … is already inactive' },
  ProfessionalAlreadyRegistered: {
    kind: 'conflict',
    meaning: 'professional … is already registered by organisation …',
  },
  ProfessionalHoldsRegie: {
    kind: 'conflict',
    invariants: [8],
    meaning: 'professional … still holds regie of households …; transfer or return regie first',
  },
  ProfessionalNotActive: {
    kind: 'conflict',
    invariants: [1],
    meaning: 'professional … is not active and cannot hold regie',
  },
  ProfessionalNotFound: { kind: 'not-found', meaning: 'professional … is not registered by organisation …' },
  QuestionAlreadyRegistered: { kind: 'conflict', meaning: 'question … is already registered' },
  ReferralAlreadyExists: { kind: 'conflict', meaning: 'referral … already exists in this household' },
  ReferralNotFound: { kind: 'not-found', meaning: 'referral … does not exist in this household' },
  ReferralStatusConflict: { kind: 'conflict', meaning: 'referral … is …; it can be … only when …' },
  RefusedSignalsBounded: {
    kind: 'conflict',
    invariants: [14],
    meaning: '… refused inbound signals are recorded already; no more are',
  },
  RestrictionAlreadyExists: { kind: 'conflict', meaning: 'restriction … already exists' },
  RestrictionNotFound: { kind: 'not-found', meaning: 'restriction … does not exist' },
  RestrictionNotInForce: {
    kind: 'conflict',
    meaning: 'restriction … is no longer in force (lifted, or past its until)',
  },
  RestrictionUntilNotLater: { kind: 'invalid', meaning: 'until: … is not after now (…)' },
  SafetyPlanReviewInPast: { kind: 'invalid', meaning: 'reviewOn: … is before today (…)' },
  SafetyPlanRevisionMismatch: {
    kind: 'conflict',
    meaning:
      'a new safety plan names the revision it replaces, the current one (none for the first plan); details name currentRevision',
  },
  SafetyTakeoverAlreadyDecided: {
    kind: 'conflict',
    invariants: [6],
    meaning: 'safety takeover … was already …; it is confirmed or rejected once',
  },
  SafetyTakeoverNotFound: {
    kind: 'not-found',
    meaning: 'safety takeover … does not exist for this household',
  },
  SignalAlreadyRecorded: { kind: 'conflict', meaning: 'signal … is already recorded' },
  SignalAlreadyRefused: { kind: 'conflict', invariants: [14], meaning: 'signal … was refused before' },
  TakeoverIdAlreadyUsed: { kind: 'conflict', meaning: 'takeover id … was used before' },
  TeamAlreadyRegistered: { kind: 'conflict', meaning: 'team … is already registered' },
  TeamNotFound: { kind: 'not-found', meaning: 'team … is not registered' },
  TransferAlreadyPending: {
    kind: 'conflict',
    invariants: [2],
    meaning: 'transfer … is already pending for this household',
  },
  TransferIdAlreadyUsed: { kind: 'conflict', meaning: 'transfer id … was used before' },
  TransferNotFound: { kind: 'not-found', meaning: 'transfer … does not exist for this household' },
  TransferNotPending: { kind: 'conflict', invariants: [2], meaning: 'transfer … is no longer pending' },
  TransferPending: {
    kind: 'conflict',
    invariants: [2, 9],
    meaning: 'transfer … is pending; cancel it before returning regie',
  },
  UnknownAction: { kind: 'invalid', meaning: 'actionId: action … does not exist in this household' },
  UnknownGoal: { kind: 'invalid', meaning: 'goals[…].goalId: the plan has no goal …' },
  UnknownLegalGround: {
    kind: 'invalid',
    meaning: 'legalGround: … is not one of the configured legal grounds (REFERRAL_LEGAL_GROUNDS)',
  },
  UnknownMember: { kind: 'invalid', meaning: '…: … is not a member of this household' },
  UnknownOrganisation: {
    kind: 'invalid',
    meaning: 'organisationId: organisation … is not on the social map',
  },
  UnknownProfessional: { kind: 'invalid', meaning: '…: no organisation has registered professional …' },
  UnknownVolunteer: { kind: 'invalid', meaning: 'volunteerId: no volunteer … is registered' },
  UnknownWorker: { kind: 'invalid', meaning: '…: no team has registered worker …' },
  VogRequired: {
    kind: 'conflict',
    invariants: [12],
    meaning:
      'the household has minors and the volunteer has no VOG on file, or it expired (details: vogValidUntil, assignmentDate)',
  },
  VolunteerAlreadyInactive: { kind: 'conflict', meaning: 'volunteer … is already inactive' },
  VolunteerAlreadyRegistered: { kind: 'conflict', meaning: 'volunteer … is already registered' },
  VolunteerHoursExceeded: {
    kind: 'conflict',
    invariants: [12],
    meaning: 'volunteer … has … hours a week, … of them assigned; … more would exceed that',
  },
  VolunteerNotActive: {
    kind: 'conflict',
    invariants: [12],
    meaning: 'volunteer … is not active and cannot be assigned',
  },
  VolunteerNotFound: { kind: 'not-found', meaning: 'volunteer … is not registered' },
  WorkerAlreadyInactive: { kind: 'conflict', meaning: 'worker … is already inactive' },
  WorkerAlreadyRegistered: { kind: 'conflict', meaning: 'worker … is already registered in team …' },
  WorkerHoldsRegie: {
    kind: 'conflict',
    invariants: [8],
    meaning: 'worker … still holds regie of households …; ',
  },
  WorkerNotActive: {
    kind: 'conflict',
    invariants: [1],
    meaning: 'worker … is not active and cannot hold regie',
  },
  WorkerNotFound: { kind: 'not-found', meaning: 'worker … is not in team …' },
} as const satisfies Record<string, DomainErrorSpec>;

export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;

/** The codes whose kind is `K`. */
export type DomainErrorCodeOf<K extends DomainErrorKind> = {
  [C in DomainErrorCode]: (typeof DOMAIN_ERRORS)[C]['kind'] extends K ? C : never;
}[DomainErrorCode];

/** The invariants a refusal with code `C` may name (never: it names none). */
export type InvariantOf<C extends DomainErrorCode> = (typeof DOMAIN_ERRORS)[C] extends {
  readonly invariants: readonly (infer N)[];
}
  ? N & number
  : never;
