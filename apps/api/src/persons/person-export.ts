import { assessedMember, type HouseholdEvent, type HouseholdState } from '@eenplan/domain';
import type { RecordedEvent } from '@eenplan/event-store/event-store.port';

/**
 * The answer to a request for access (AVG art. 15) of one person: everything eenplan holds about
 * that person, and nothing about anyone else, as JSON with Dutch labels (the person reads it, or a
 * worker reads it to them).
 *
 * What is "about" a person is decided per event type, in one table (`ABOUT`), which must name every
 * household event type (it does not compile otherwise): either how the event concerns a member (and
 * what of it to show), or why it is not about one person (the plan of the household as a whole, the
 * people around it, the workers' own acts). Of an event's personal part only the person's own part
 * (`personal.persons[memberId]`, and their name from a registration) is ever shown: the rest may
 * name others. docs/PERSONS.md "Access to one's own data" says the same for people.
 */

export interface ExportEntry {
  /** What happened, in Dutch. */
  readonly soort: string;
  /** When it was recorded (ISO 8601, UTC). */
  readonly vastgelegdOp: string;
  /** Who recorded it (a worker's, admin's or system's id: staff are named by their id). */
  readonly vastgelegdDoor: string;
  /** The event's facts about this person, with Dutch labels. */
  readonly gegevens: Readonly<Record<string, unknown>>;
}

/** What the export remembers while it reads the stream: the restrictions that concern the person. */
interface ExportContext {
  readonly restrictions: Set<string>;
}

/** How one event type concerns a member: the Dutch label and the facts, or null when not this member. */
interface About<E extends HouseholdEvent> {
  readonly soort: string;
  readonly gegevens: (
    event: E,
    memberId: string,
    own: Readonly<Record<string, unknown>> | null,
    seen: ExportContext,
  ) => Record<string, unknown> | null;
}

type ByType = {
  readonly [T in HouseholdEvent['type']]: About<HouseholdEvent & { type: T }> | { readonly niet: string };
};

const HOUSEHOLD_PLAN =
  'het plan van het huishouden als geheel (doelen, acties, notities): op te vragen als huishouden';
const PEOPLE_AROUND = 'mensen en organisaties rond het huishouden (netwerk, vrijwilligers, verwijzingen)';
const REGIE = 'wie de regie over het plan had (medewerkers): de regiegeschiedenis van het huishouden';
const MEASUREMENTS = 'contactmomenten en vragen van het huishouden als geheel';
const MELDCODE =
  'de meldcode huiselijk geweld en kindermishandeling en het veiligheidsplan: over het huishouden als geheel, ' +
  'en wat anderen signaleerden of zeiden (AVG art. 15 lid 4: de rechten van anderen)';

/** Every household event type: how it is about one person, or why it is not. */
const ABOUT: ByType = {
  HouseholdRegistered: {
    soort: 'Aangemeld als lid van het huishouden',
    gegevens: (e, m, own) => {
      const member = e.data.members.find((x) => x.memberId === m);
      if (!member) return null;
      const legacyNames = (e.personal as { memberNames?: Record<string, unknown> } | undefined)?.memberNames;
      return {
        rol: ROLE_NL[member.role] ?? member.role,
        geboortejaar: member.birthYear,
        ...(member.birthMonth === undefined ? {} : { geboortemaand: member.birthMonth }),
        naam: own?.['name'] ?? legacyNames?.[m] ?? null,
        wijk: e.data.district,
        team: e.data.teamId,
      };
    },
  },
  PlanAgreed: {
    soort: 'Instemming met het plan',
    gegevens: (e, m) => (e.data.agreedBy === m ? { planversie: e.data.planRevision } : null),
  },
  RegieReturnedToHousehold: {
    soort: 'Regie teruggenomen door het huishouden',
    gegevens: (e, m) =>
      e.data.agreedBy === m ? { vanMedewerker: e.data.from.kind === 'worker' ? e.data.from.id : null } : null,
  },
  UwvConsentGiven: {
    soort: 'Toestemming gegeven voor signalen van en naar UWV',
    gegevens: (e, m) => (e.data.agreedBy === m ? { ontvanger: 'UWV', gegevenOp: e.data.givenAt } : null),
  },
  UwvConsentWithdrawn: {
    soort: 'Toestemming ingetrokken voor signalen van en naar UWV',
    gegevens: (e, m) =>
      e.data.withdrawnBy === m ? { ontvanger: 'UWV', ingetrokkenOp: e.data.withdrawnAt } : null,
  },
  HouseholdDataErased: {
    soort: 'Persoonsgegevens van het huishouden gewist',
    gegevens: (e) => ({ grond: e.data.ground, gewistOp: e.data.erasedAt }),
  },
  MemberDataErased: {
    soort: 'Persoonsgegevens van betrokkene gewist',
    gegevens: (e, m) => (e.data.memberId === m ? { grond: e.data.ground, gewistOp: e.data.erasedAt } : null),
  },
  MemberJoined: {
    soort: 'Lid geworden van het huishouden',
    gegevens: (e, m, own) =>
      e.data.memberId === m
        ? {
            reden: e.data.reason === 'birth' ? 'geboorte' : 'verhuizing naar het huishouden',
            op: e.data.on,
            rol: ROLE_NL[e.data.role] ?? e.data.role,
            geboortejaar: e.data.birthYear,
            ...(e.data.birthMonth === undefined ? {} : { geboortemaand: e.data.birthMonth }),
            naam: own?.['name'] ?? null,
          }
        : null,
  },
  MemberLeft: {
    soort: 'Vertrokken uit het huishouden',
    gegevens: (e, m) =>
      e.data.memberId === m ? { reden: LEAVE_NL[e.data.reason] ?? e.data.reason, op: e.data.on } : null,
  },
  AuthoritySet: {
    soort: 'Gezag vastgelegd',
    // The holders by id and kind only: a holder's name is about the holder.
    gegevens: (e, m) =>
      e.data.memberId === m
        ? {
            gezagdragers: e.data.holders.map((h) =>
              h.kind === 'member'
                ? { soort: 'lid van het huishouden', lidId: h.memberId }
                : { soort: 'buiten het huishouden', id: h.holderId },
            ),
          }
        : null,
  },
  PlanAgreementRecorded: {
    soort: 'Instemming met het plan (van één persoon)',
    gegevens: (e, m) =>
      e.data.by.kind === 'member' && e.data.by.memberId === m ? { planversie: e.data.planRevision } : null,
  },
  ProcessingRestricted: {
    soort: 'Verwerking beperkt (AVG art. 18)',
    gegevens: (e, m, _own, seen) => {
      if (e.data.memberId !== undefined && e.data.memberId !== m) return null;
      seen.restrictions.add(e.data.restrictionId);
      return {
        beperkingId: e.data.restrictionId,
        geldtVoor: e.data.memberId === undefined ? 'het hele huishouden' : 'betrokkene',
        grond: e.data.ground,
        ...(e.data.until === undefined ? {} : { tot: e.data.until }),
      };
    },
  },
  RestrictionLifted: {
    soort: 'Beperking van de verwerking opgeheven',
    gegevens: (e, _m, _own, seen) =>
      seen.restrictions.has(e.data.restrictionId) ? { beperkingId: e.data.restrictionId } : null,
  },
  PersonalDataCorrected: {
    soort: 'Gegevens gecorrigeerd (AVG art. 16)',
    // Corrections of a goal or an action are of the household's plan: not in one person's export.
    gegevens: (e, m, own) =>
      e.data.memberId === m && (e.data.field === 'memberName' || e.data.field === 'memberBirth')
        ? {
            veld: e.data.field === 'memberName' ? 'naam' : 'geboortedatum',
            nieuweWaarde: e.data.field === 'memberName' ? (own?.['name'] ?? null) : (e.data.birth ?? null),
          }
        : null,
  },
  ConsentGiven: {
    soort: 'Toestemming gegeven',
    // Who gave it by id and kind (a holder's name is about the holder).
    gegevens: (e, m) =>
      e.data.memberId === m
        ? {
            toestemmingId: e.data.consentId,
            doel: PURPOSE_NL[e.data.purpose] ?? e.data.purpose,
            ontvanger: e.data.recipient,
            gegevenDoor: e.data.givenBy.map(partyNl),
            vanaf: e.data.from,
            tot: e.data.until,
          }
        : null,
  },
  ConsentWithdrawn: {
    soort: 'Toestemming ingetrokken',
    gegevens: (e, m) =>
      e.data.memberId === m
        ? {
            toestemmingId: e.data.consentId,
            doel: PURPOSE_NL[e.data.purpose] ?? e.data.purpose,
            ontvanger: e.data.recipient,
            ingetrokkenDoor: e.data.withdrawnBy.map(partyNl),
            vanaf: e.data.on,
          }
        : null,
  },
  GoalProposed: {
    soort: 'Doel voorgesteld voor het plan',
    // The proposal's text is in the proposer's own part.
    gegevens: (e, m, own) =>
      e.data.by === m
        ? {
            voorstelId: e.data.proposalId,
            levensdomein: e.data.lifeDomain,
            tekst: typeof own?.['text'] === 'string' ? own['text'] : null,
            voorgesteldOp: e.data.proposedAt,
          }
        : null,
  },
  ReviewMeetingHeld: {
    soort: 'Aanwezig bij een evaluatieoverleg over het plan',
    // That the person attended is about them; what was said and decided is the household's plan.
    gegevens: (e, m) =>
      e.data.attendees.some((a) => a.kind === 'member' && a.id === m)
        ? { overlegId: e.data.meetingId, op: e.data.on }
        : null,
  },
  GoalAdded: { niet: HOUSEHOLD_PLAN },
  ActionAdded: { niet: HOUSEHOLD_PLAN },
  GoalNoteAdded: { niet: HOUSEHOLD_PLAN },
  GoalStatusSet: { niet: HOUSEHOLD_PLAN },
  GoalTargetDateSet: { niet: HOUSEHOLD_PLAN },
  PlanEvaluationDateSet: { niet: HOUSEHOLD_PLAN },
  PlanEvaluationOverdue: { niet: HOUSEHOLD_PLAN },
  ReassessmentOverdue: {
    soort: 'Herhaling van de ZRM-meting te laat',
    gegevens: (e, m) =>
      e.data.memberId === m ? { laatsteMeting: e.data.lastAssessedOn, herhalingOp: e.data.dueOn } : null,
  },
  ActionCompleted: { niet: HOUSEHOLD_PLAN },
  PlanClosed: { niet: HOUSEHOLD_PLAN },
  PlanReopened: { niet: HOUSEHOLD_PLAN },
  RegieTransferRequested: { niet: REGIE },
  RegieTransferAccepted: { niet: REGIE },
  RegieTransferDeclined: { niet: REGIE },
  RegieTransferCancelled: { niet: REGIE },
  RegieTakenOverForSafety: { niet: REGIE },
  SafetyTakeoverConfirmed: { niet: REGIE },
  SafetyTakeoverRejected: { niet: REGIE },
  SafetyTakeoverConfirmationOverdue: { niet: REGIE },
  NetworkMemberAdded: { niet: PEOPLE_AROUND },
  NetworkMemberRemoved: { niet: PEOPLE_AROUND },
  VolunteerAssigned: { niet: PEOPLE_AROUND },
  VolunteerAssignmentEnded: { niet: PEOPLE_AROUND },
  ReferralRequested: { niet: PEOPLE_AROUND },
  ReferralAccepted: { niet: PEOPLE_AROUND },
  ReferralCompleted: { niet: PEOPLE_AROUND },
  ReferralWithdrawn: { niet: PEOPLE_AROUND },
  CheckInCadenceScheduled: { niet: MEASUREMENTS },
  CheckInCadenceEnded: { niet: MEASUREMENTS },
  CheckInContactRecorded: { niet: MEASUREMENTS },
  CheckInOverdue: { niet: MEASUREMENTS },
  QuestionRegistered: { niet: MEASUREMENTS },
  MeldcodeTrackStarted: { niet: MELDCODE },
  MeldcodeConsultationRecorded: { niet: MELDCODE },
  MeldcodeConversationRecorded: { niet: MELDCODE },
  MeldcodeWeighingRecorded: { niet: MELDCODE },
  MeldcodeDecisionRecorded: { niet: MELDCODE },
  MeldcodeTrackClosed: { niet: MELDCODE },
  SafetyPlanRecorded: { niet: MELDCODE },
  AssessmentRecorded: {
    // Household-wide assessments from before the ZRM per adult measure nobody in particular: left out.
    soort: 'ZRM-meting (zelfredzaamheid)',
    gegevens: (e, m) =>
      assessedMember(e.data) === m
        ? {
            gemetenOp: e.data.assessedOn,
            scores: e.data.scores,
            notities: typeof e.personal?.['notes'] === 'string' ? e.personal['notes'] : null,
          }
        : null,
  },
  WorkIncomeSignalRecorded: {
    // Signals from before the signal named its member (v1) are about the household as a whole: left out.
    soort: 'Signaal over werk en inkomen',
    gegevens: (e, m) =>
      e.data.memberId === m
        ? {
            signaalId: e.data.signalId,
            richting: e.data.direction === 'inbound' ? 'van UWV' : 'naar UWV',
            soortSignaal: e.data.category,
            gedeeldMetUwv: e.data.publication.publish,
          }
        : null,
  },
  InboundSignalRefused: { niet: 'geweigerde signalen: er is niets over iemand vastgelegd' },
  // Issue 19: a child protection measure is about the minors it names (the court order's reference
  // is in the household's part, not theirs).
  ChildProtectionMeasureRecorded: {
    soort: 'Kinderbeschermingsmaatregel vastgelegd',
    gegevens: (e, m) =>
      e.data.minors.includes(m)
        ? {
            maatregelId: e.data.measureId,
            maatregel: e.data.kind,
            gecertificeerdeInstelling: e.data.organisationId,
            vanaf: e.data.from,
            tot: e.data.until,
          }
        : null,
  },
  ChildProtectionMeasureEnded: {
    niet: 'het einde van een maatregel noemt niemand; de maatregel zelf staat bij de minderjarigen die hij betreft',
  },
};

const ROLE_NL: Readonly<Record<string, string>> = { parent: 'ouder', child: 'kind', adult: 'volwassene' };
const PURPOSE_NL: Readonly<Record<string, string>> = {
  referral: 'verwijzing naar een organisatie',
  'uwv-signals': 'signalen van en naar UWV',
  'network-sharing': 'delen met iemand uit het netwerk',
  'regie-outside-organisation': 'regie bij een medewerker buiten het team',
};
const partyNl = (p: { kind: string; memberId?: string; holderId?: string }) =>
  p.kind === 'member'
    ? { soort: 'lid van het huishouden', lidId: p.memberId }
    : { soort: 'gezagdrager', id: p.holderId };
const LEAVE_NL: Readonly<Record<string, string>> = {
  'moved-out': 'verhuisd',
  death: 'overleden',
  other: 'anders',
};

/** The event types that are about one person, and the Dutch reasons the others are left out. */
export const exportCoverage = () => ({
  aboutAPerson: Object.keys(ABOUT).filter((t) => !('niet' in ABOUT[t as HouseholdEvent['type']])),
  leftOut: [...new Set(Object.values(ABOUT).flatMap((a) => ('niet' in a ? [a.niet] : [])))],
});

/** A person's own personal part of an event: `personal.persons[memberId]`, never anyone else's. */
const ownPart = (personal: unknown, memberId: string): Readonly<Record<string, unknown>> | null => {
  const persons = (personal as { persons?: Record<string, unknown> } | null | undefined)?.persons;
  const own = persons?.[memberId];
  return own !== null && typeof own === 'object' ? (own as Record<string, unknown>) : null;
};

export interface PersonExportInput {
  readonly householdId: string;
  readonly memberId: string;
  /** The household's events, personal parts opened (erased ones null). */
  readonly events: readonly RecordedEvent[];
  readonly state: HouseholdState;
  /** The person's name as read now (corrections applied), null when erased or unknown. */
  readonly name: string | null;
  readonly madeAt: string;
  /** "Who viewed the file": the access log's newest entries on the household, and the route for more. */
  readonly accessLog: { readonly entries: readonly Record<string, unknown>[]; readonly meer: string | null };
}

/** The export as JSON with Dutch labels: the person, every event about them, and what the AVG asks to say. */
export const personExport = (input: PersonExportInput) => {
  const { memberId, state } = input;
  const member = state.members[memberId]!;
  const gebeurtenissen: ExportEntry[] = [];
  const seen: ExportContext = { restrictions: new Set() };
  for (const recorded of input.events) {
    const about = ABOUT[recorded.type as HouseholdEvent['type']];
    if (!about || 'niet' in about) continue;
    const gegevens = (about.gegevens as About<HouseholdEvent>['gegevens'])(
      recorded as unknown as HouseholdEvent,
      memberId,
      ownPart(recorded.personal, memberId),
      seen,
    );
    if (gegevens === null) continue;
    gebeurtenissen.push({
      soort: about.soort,
      vastgelegdOp: recorded.metadata.recordedAt,
      vastgelegdDoor: recorded.metadata.actor.id,
      gegevens,
    });
  }
  const { leftOut } = exportCoverage();
  return {
    verzoek: {
      grondslag: 'AVG artikel 15: recht op inzage',
      huishouden: input.householdId,
      betrokkene: memberId,
      opgesteldOp: input.madeAt,
    },
    persoon: {
      lidId: memberId,
      naam: input.name,
      rol: ROLE_NL[member.role] ?? member.role,
      geboortejaar: member.birthYear,
      ...(member.birthMonth === undefined ? {} : { geboortemaand: member.birthMonth }),
      gezag: (member.authority ?? []).map((h) =>
        h.kind === 'member'
          ? { soort: 'lid van het huishouden', lidId: h.memberId }
          : { soort: 'buiten het huishouden', id: h.holderId },
      ),
      vertrokken: member.left ? { op: member.left.on, reden: member.left.reason } : null,
    },
    gebeurtenissen,
    inzageInHetDossier: {
      toelichting: 'wie het dossier van het huishouden bekeek of wijzigde, nieuwste eerst (NEN 7513)',
      regels: input.accessLog.entries,
      meer: input.accessLog.meer,
    },
    nietOpgenomen: {
      toelichting:
        'gegevens over het huishouden als geheel of over anderen staan niet in dit overzicht van één persoon; ' +
        'ze zijn op te vragen bij het wijkteam',
      soorten: leftOut,
    },
    verwerking: {
      verwerkingsverantwoordelijke: 'de gemeente, via het sociale wijkteam',
      doelen: [
        'ondersteuning van het huishouden met één plan en één regisseur (Wmo 2015, Jeugdwet, Participatiewet)',
        'verantwoording: wie wanneer regie had en wie het dossier bekeek',
      ],
      ontvangers:
        'medewerkers van het wijkteam; organisaties waarnaar is verwezen en UWV alleen met toestemming of een wettelijke grondslag',
      bewaartermijn: 'zie GET /v1/retention/policy en docs/PERSONS.md "Retention"',
      bron: 'vastgelegd door het wijkteam, met het huishouden',
      rechten: [
        'inzage (art. 15)',
        'correctie (art. 16)',
        'wissen (art. 17)',
        'beperking van de verwerking (art. 18)',
        'bezwaar (art. 21)',
        'een klacht bij de Autoriteit Persoonsgegevens',
      ],
    },
  };
};
