import { conflict, invalid, notFound } from '../shared/domain-error';
import type { DomainEvent } from '../shared/event';
import { dateInNl, isCalendarDate } from '../shared/calendar';
import { requireMember, requireOpenPlan, requirePlanWorker, requireRegistered } from './household-access';
import { requireActiveProfessional } from './household-access';
import type { HouseholdCommandBase, ProfessionalFacts } from './household.commands';
import type { HouseholdEvent, RegieHolder } from './household.events';
import type { HouseholdState } from './household.state';
import { householdSlice } from './household.slice';
import { ageOn, birthOf } from './persons';
import type { OrganisationFacts } from './referrals';

/**
 * Compulsory frameworks (issue 19): a child protection measure (kinderbeschermingsmaatregel)
 * recorded on the household. Only the ondertoezichtstelling (OTS, art. 1:255 BW) so far: a court
 * order (its reference is personal data), a period, the minors it concerns and the certified
 * institution (gecertificeerde instelling) carrying it out, an organisation on the social map.
 *
 * While a measure runs (recorded, not ended, today within its period) regie lies with a
 * jeugdbeschermer of that institution: a transfer to anyone else, and a return to the household,
 * are refused (409 ChildProtectionMeasureRuns); a transfer to the institution's jeugdbeschermer
 * needs no consent, the measure being the legal ground. A safety takeover (break-glass) stays open.
 *
 * Recording a measure names its jeugdbeschermer (a registered, active professional of kind
 * jeugdbeschermer of the institution) and, when the measure runs on the day it is recorded, requests
 * the warm transfer of regie to them in the same append (variant handover, no consent: the measure
 * is the ground), unless they already hold regie or a transfer to them is already pending. A transfer
 * pending to anyone else is cancelled in that append, as a safety takeover cancels one: it could no
 * longer be accepted while the measure runs. The jeugdbeschermer accepts as any professional does.
 */

export const MEASURE_KINDS = ['OTS'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

// ---- commands
export interface RecordChildProtectionMeasure extends HouseholdCommandBase {
  readonly type: 'RecordChildProtectionMeasure';
  readonly measureId: string;
  readonly kind: MeasureKind;
  /** The court order's reference (zaaknummer): personal data, sealed. */
  readonly courtOrderReference: string;
  readonly from: string;
  readonly until: string;
  readonly organisationId: string;
  readonly minors: readonly string[];
  /** The certified institution as its stream has it; undefined when not on the social map. */
  readonly organisation?: OrganisationFacts;
  /** The institution's jeugdbeschermer who is to hold regie while the measure runs. */
  readonly jeugdbeschermerId: string;
  /** The transfer of regie to them, requested in the same append (made by the server). */
  readonly transferId: string;
  /** The jeugdbeschermer as the institution's stream has them; undefined when it did not register them. */
  readonly jeugdbeschermer?: ProfessionalFacts;
}

export interface EndChildProtectionMeasure extends HouseholdCommandBase {
  readonly type: 'EndChildProtectionMeasure';
  readonly measureId: string;
  readonly reason: string;
}

export type ChildProtectionCommand = RecordChildProtectionMeasure | EndChildProtectionMeasure;

// ---- events
export type ChildProtectionMeasureRecorded = DomainEvent<
  'ChildProtectionMeasureRecorded',
  {
    measureId: string;
    kind: MeasureKind;
    organisationId: string;
    minors: string[];
    from: string;
    until: string;
    /** Optional: measures recorded before the jeugdbeschermer was named have none. */
    jeugdbeschermerId?: string;
    recordedBy: string;
    recordedAt: string;
  }
>;
export type ChildProtectionMeasureEnded = DomainEvent<
  'ChildProtectionMeasureEnded',
  { measureId: string; endedBy: string; endedAt: string }
>;
export type ChildProtectionEvent = ChildProtectionMeasureRecorded | ChildProtectionMeasureEnded;

export const CHILD_PROTECTION_EVENT_TYPES = [
  'ChildProtectionMeasureRecorded',
  'ChildProtectionMeasureEnded',
] as const satisfies readonly ChildProtectionEvent['type'][];
export const CHILD_PROTECTION_COMMAND_TYPES = [
  'RecordChildProtectionMeasure',
  'EndChildProtectionMeasure',
] as const satisfies readonly ChildProtectionCommand['type'][];

// ---- state
export interface ChildProtectionMeasure {
  readonly measureId: string;
  readonly kind: MeasureKind;
  readonly organisationId: string;
  readonly minors: readonly string[];
  readonly from: string;
  readonly until: string;
  /** null for measures recorded before the jeugdbeschermer was named. */
  readonly jeugdbeschermerId: string | null;
  readonly endedAt: string | null;
}
export type ChildProtectionState = Readonly<Record<string, ChildProtectionMeasure>>;

/** The measure running on `at`'s day (recorded, not ended, the day within its period), if any. */
export const runningMeasure = (state: HouseholdState, at: string): ChildProtectionMeasure | undefined => {
  const day = dateInNl(at);
  return Object.values(state.childProtection ?? {}).find(
    (m) => m.endedAt === null && m.from <= day && day <= m.until,
  );
};

/**
 * Regie while a measure runs: only to a jeugdbeschermer of its institution (regie.ts asks this for
 * every transfer request and return). `to` undefined: the household (a return to it).
 */
export const requireRegieUnderMeasure = (
  state: HouseholdState,
  at: string,
  to: RegieHolder,
  kind?: string,
): ChildProtectionMeasure | undefined => {
  const measure = runningMeasure(state, at);
  if (!measure) return undefined;
  const withInstitution =
    to.kind === 'professional' && to.organisationId === measure.organisationId && kind === 'jeugdbeschermer';
  if (!withInstitution) {
    throw conflict(
      'ChildProtectionMeasureRuns',
      `measure ${measure.measureId} (${measure.kind}, until ${measure.until}) runs: regie lies with a jeugdbeschermer of organisation ${measure.organisationId}`,
      undefined,
      { measureId: measure.measureId, organisationId: measure.organisationId },
    );
  }
  return measure;
};

/** The measure's jeugdbeschermer: registered by its institution (400), active (409), of that kind (409). */
const requireJeugdbeschermer = (
  command: RecordChildProtectionMeasure,
  organisationId: string,
): ProfessionalFacts => {
  const facts = requireActiveProfessional(
    command.jeugdbeschermer,
    command.jeugdbeschermerId,
    'jeugdbeschermerId',
  );
  if (facts.organisationId !== organisationId)
    throw invalid(
      'UnknownProfessional',
      `jeugdbeschermerId: organisation ${organisationId} has not registered professional ${command.jeugdbeschermerId}`,
      { field: 'jeugdbeschermerId' },
    );
  if (facts.kind !== 'jeugdbeschermer')
    throw conflict(
      'NotAJeugdbeschermer',
      `jeugdbeschermerId: professional ${facts.professionalId} of organisation ${organisationId} is registered as ${facts.kind}, not as jeugdbeschermer`,
      undefined,
      { professionalId: facts.professionalId, kind: facts.kind },
    );
  return facts;
};

/**
 * What recording a measure does to regie: when it runs today, the warm transfer to its
 * jeugdbeschermer is requested (the measure is the ground: no consent), a transfer pending to
 * anyone else cancelled first. Nothing when they hold regie or a transfer to them is pending, or
 * when the measure does not run today (it starts later, or was recorded after it ran).
 */
const regieToJeugdbeschermer = (
  command: RecordChildProtectionMeasure,
  state: HouseholdState,
  jeugdbeschermer: ProfessionalFacts,
): HouseholdEvent[] => {
  const { actor, at } = command;
  const day = dateInNl(at);
  if (day < command.from || command.until < day) return [];
  const to = {
    kind: 'professional' as const,
    id: jeugdbeschermer.professionalId,
    organisationId: jeugdbeschermer.organisationId,
  };
  const isThem = (h: RegieHolder) =>
    h.kind === 'professional' && h.id === to.id && h.organisationId === to.organisationId;
  if (isThem(state.regie)) return [];
  const pending = state.pendingTransfer;
  if (pending && pending.variant !== 'reverse' && isThem(pending.to)) return [];
  if (state.transferIds.includes(command.transferId))
    throw conflict('TransferIdAlreadyUsed', `transfer id ${command.transferId} was used before`);
  const cancelled: HouseholdEvent[] = pending
    ? [
        {
          type: 'RegieTransferCancelled',
          data: { transferId: pending.transferId, cancelledBy: actor.id, cause: 'cancelled' },
          personal: {
            reason: `child protection measure ${command.measureId} recorded: regie goes to its jeugdbeschermer`,
          },
        },
      ]
    : [];
  return [
    ...cancelled,
    {
      type: 'RegieTransferRequested',
      data: {
        transferId: command.transferId,
        from: state.regie,
        to,
        requestedBy: actor.id,
        variant: 'handover',
        agreedBy: null,
        requestedAt: at,
      },
      personal: {
        reason: `child protection measure ${command.measureId} (${command.kind}, ${command.from} .. ${command.until})`,
        handoverNotes: null,
      },
    },
  ];
};

// ---- decide
export const decideChildProtection = (
  command: ChildProtectionCommand,
  state: HouseholdState,
): HouseholdEvent[] => {
  const { actor, at } = command;
  switch (command.type) {
    case 'RecordChildProtectionMeasure': {
      requireOpenPlan(state);
      requirePlanWorker(actor, state);
      if (Object.hasOwn(state.childProtection ?? {}, command.measureId))
        throw conflict('MeasureIdAlreadyUsed', `measure id ${command.measureId} was used before`);
      if (!isCalendarDate(command.from) || !isCalendarDate(command.until) || command.until < command.from)
        throw invalid('MeasurePeriodInvalid', `from ${command.from} .. until ${command.until} is no period`, {
          field: 'until',
        });
      if (!command.organisation)
        throw invalid(
          'UnknownOrganisation',
          `organisationId: organisation ${command.organisationId} is not on the social map`,
          { field: 'organisationId' },
        );
      const minors = [...new Set(command.minors)];
      for (const memberId of minors) {
        const member = requireMember(state, memberId, 'minors');
        if (ageOn(birthOf(member), command.from) >= 18)
          throw conflict(
            'NotAMinor',
            `member ${memberId} is not under 18 on ${command.from}: a child protection measure concerns minors`,
          );
        const running = Object.values(state.childProtection ?? {}).find(
          (m) =>
            m.endedAt === null &&
            m.minors.includes(memberId) &&
            m.from <= command.until &&
            command.from <= m.until,
        );
        if (running)
          throw conflict(
            'MeasureAlreadyRunning',
            `measure ${running.measureId} already concerns member ${memberId} in that period`,
            undefined,
            { measureId: running.measureId },
          );
      }
      const jeugdbeschermer = requireJeugdbeschermer(command, command.organisation.organisationId);
      const recorded: HouseholdEvent = {
        type: 'ChildProtectionMeasureRecorded',
        data: {
          measureId: command.measureId,
          kind: command.kind,
          organisationId: command.organisation.organisationId,
          minors,
          from: command.from,
          until: command.until,
          jeugdbeschermerId: jeugdbeschermer.professionalId,
          recordedBy: actor.id,
          recordedAt: at,
        },
        personal: { courtOrderReference: command.courtOrderReference },
      };
      return [recorded, ...regieToJeugdbeschermer(command, state, jeugdbeschermer)];
    }
    case 'EndChildProtectionMeasure': {
      requireRegistered(state);
      requirePlanWorker(actor, state);
      const measure = Object.hasOwn(state.childProtection ?? {}, command.measureId)
        ? state.childProtection[command.measureId]
        : undefined;
      if (!measure)
        throw notFound('MeasureNotFound', `measure ${command.measureId} does not exist in this household`);
      if (measure.endedAt !== null)
        throw conflict('MeasureAlreadyEnded', `measure ${measure.measureId} ended at ${measure.endedAt}`);
      return [
        {
          type: 'ChildProtectionMeasureEnded',
          data: { measureId: measure.measureId, endedBy: actor.id, endedAt: at },
          personal: { reason: command.reason },
        },
      ];
    }
  }
};

// ---- evolve
export const evolveChildProtection = (state: HouseholdState, event: ChildProtectionEvent): HouseholdState => {
  const measures = state.childProtection ?? {};
  switch (event.type) {
    case 'ChildProtectionMeasureRecorded': {
      const { measureId, kind, organisationId, minors, from, until } = event.data;
      const jeugdbeschermerId = event.data.jeugdbeschermerId ?? null;
      return {
        ...state,
        childProtection: {
          ...measures,
          [measureId]: {
            measureId,
            kind,
            organisationId,
            minors,
            from,
            until,
            jeugdbeschermerId,
            endedAt: null,
          },
        },
      };
    }
    case 'ChildProtectionMeasureEnded': {
      const measure = measures[event.data.measureId];
      return measure
        ? {
            ...state,
            childProtection: {
              ...measures,
              [measure.measureId]: { ...measure, endedAt: event.data.endedAt },
            },
          }
        : state;
    }
  }
};

export const childProtectionSlice = householdSlice({
  commands: CHILD_PROTECTION_COMMAND_TYPES,
  events: CHILD_PROTECTION_EVENT_TYPES,
  decide: decideChildProtection,
  evolve: evolveChildProtection,
});
