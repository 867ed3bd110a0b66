import { conflict, notFound } from '../shared/domain-error';
import type { CommandActor, Decider, DomainEvent } from '../shared/event';
import type { LifeDomain } from '../shared/life-domains';
import type { ProfessionalFacts, ProfessionalKind } from '../household/household.commands';

export const organisationStream = (organisationId: string) => `organisation-${organisationId}`;

/**
 * The social map (sociale kaart): organisations with their expertise (life domains and free tags),
 * their location and their waiting time in days. An organisation is not a person: its name is not
 * personal data.
 */
export interface Expertise {
  readonly lifeDomains: LifeDomain[];
  readonly tags: string[];
}

export type OrganisationRegistered = DomainEvent<
  'OrganisationRegistered',
  {
    organisationId: string;
    name: string;
    expertise: Expertise;
    location: string;
    waitingDays: number;
    registeredBy: string;
    registeredAt: string;
  }
>;
export type OrganisationWaitingTimeUpdated = DomainEvent<
  'OrganisationWaitingTimeUpdated',
  { organisationId: string; waitingDays: number; updatedBy: string; updatedAt: string }
>;
/**
 * Issue 19, the specialist circle: the organisation registers one of its professionals (a
 * specialist, family worker, personal supporter or jeugdbeschermer), who may then receive regie
 * and act on referrals to the organisation. Their id is their login (`sub`); no name is kept.
 */
export type ProfessionalRegistered = DomainEvent<
  'ProfessionalRegistered',
  {
    organisationId: string;
    professionalId: string;
    kind: ProfessionalKind;
    registeredBy: string;
    registeredAt: string;
  }
>;
export type ProfessionalDeactivated = DomainEvent<
  'ProfessionalDeactivated',
  { organisationId: string; professionalId: string; deactivatedBy: string; deactivatedAt: string }
>;
export type OrganisationEvent =
  OrganisationRegistered | OrganisationWaitingTimeUpdated | ProfessionalRegistered | ProfessionalDeactivated;

export interface ProfessionalState {
  readonly kind: ProfessionalKind;
  readonly active: boolean;
}

export interface OrganisationState {
  readonly exists: boolean;
  readonly organisationId: string;
  readonly name: string;
  readonly expertise: Expertise;
  readonly location: string;
  readonly waitingDays: number;
  /** Its professionals by id (issue 19); a deactivated one stays, inactive. */
  readonly professionals: Readonly<Record<string, ProfessionalState>>;
}

interface Base {
  readonly organisationId: string;
  readonly actor: CommandActor;
  readonly at: string;
}
export interface RegisterOrganisation extends Base {
  readonly type: 'RegisterOrganisation';
  readonly name: string;
  readonly expertise: Expertise;
  readonly location: string;
  readonly waitingDays: number;
}
export interface UpdateWaitingTime extends Base {
  readonly type: 'UpdateWaitingTime';
  readonly waitingDays: number;
}
export interface RegisterProfessional extends Base {
  readonly type: 'RegisterProfessional';
  readonly professionalId: string;
  readonly kind: ProfessionalKind;
}
export interface DeactivateProfessional extends Base {
  readonly type: 'DeactivateProfessional';
  readonly professionalId: string;
  /** The households whose regie they hold now (the caller looks them up): invariant 8 for professionals. */
  readonly householdsWithRegie: readonly string[];
}
export type OrganisationCommand =
  RegisterOrganisation | UpdateWaitingTime | RegisterProfessional | DeactivateProfessional;

/** What a household decision needs to know of a professional of this organisation; undefined for an unknown one. */
export const professionalFacts = (
  state: OrganisationState,
  professionalId: string,
): ProfessionalFacts | undefined => {
  const p =
    state.exists && Object.hasOwn(state.professionals, professionalId)
      ? state.professionals[professionalId]
      : undefined;
  return p && { professionalId, organisationId: state.organisationId, kind: p.kind, active: p.active };
};

const initialState = (): OrganisationState => ({
  exists: false,
  organisationId: '',
  name: '',
  expertise: { lifeDomains: [], tags: [] },
  location: '',
  waitingDays: 0,
  professionals: {},
});

const evolve = (state: OrganisationState, event: OrganisationEvent): OrganisationState => {
  switch (event.type) {
    case 'OrganisationRegistered': {
      const { organisationId, name, expertise, location, waitingDays } = event.data;
      return { exists: true, organisationId, name, expertise, location, waitingDays, professionals: {} };
    }
    case 'OrganisationWaitingTimeUpdated':
      return { ...state, waitingDays: event.data.waitingDays };
    case 'ProfessionalRegistered':
      return {
        ...state,
        professionals: {
          ...state.professionals,
          [event.data.professionalId]: { kind: event.data.kind, active: true },
        },
      };
    case 'ProfessionalDeactivated': {
      const known = state.professionals[event.data.professionalId];
      return known
        ? {
            ...state,
            professionals: {
              ...state.professionals,
              [event.data.professionalId]: { ...known, active: false },
            },
          }
        : state;
    }
  }
};

const decide = (command: OrganisationCommand, state: OrganisationState): OrganisationEvent[] => {
  const { actor, at } = command;
  if (command.type === 'RegisterOrganisation') {
    if (state.exists) {
      throw conflict(
        'OrganisationAlreadyRegistered',
        `organisation ${command.organisationId} is already registered`,
      );
    }
    return [
      {
        type: 'OrganisationRegistered',
        data: {
          organisationId: command.organisationId,
          name: command.name,
          expertise: {
            lifeDomains: [...new Set(command.expertise.lifeDomains)],
            tags: [...new Set(command.expertise.tags)],
          },
          location: command.location,
          waitingDays: command.waitingDays,
          registeredBy: actor.id,
          registeredAt: at,
        },
      },
    ];
  }
  if (!state.exists) {
    throw notFound('OrganisationNotFound', `organisation ${command.organisationId} is not registered`);
  }
  if (command.type === 'RegisterProfessional') {
    if (Object.hasOwn(state.professionals, command.professionalId)) {
      throw conflict(
        'ProfessionalAlreadyRegistered',
        `professional ${command.professionalId} is already registered by organisation ${state.organisationId}`,
      );
    }
    return [
      {
        type: 'ProfessionalRegistered',
        data: {
          organisationId: state.organisationId,
          professionalId: command.professionalId,
          kind: command.kind,
          registeredBy: actor.id,
          registeredAt: at,
        },
      },
    ];
  }
  if (command.type === 'DeactivateProfessional') {
    const known = Object.hasOwn(state.professionals, command.professionalId)
      ? state.professionals[command.professionalId]
      : undefined;
    if (!known) {
      throw notFound(
        'ProfessionalNotFound',
        `professional ${command.professionalId} is not registered by organisation ${state.organisationId}`,
      );
    }
    if (!known.active) {
      throw conflict(
        'ProfessionalAlreadyInactive',
        `professional ${command.professionalId} is already inactive`,
      );
    }
    if (command.householdsWithRegie.length > 0) {
      throw conflict(
        'ProfessionalHoldsRegie',
        `invariant 8: professional ${command.professionalId} still holds regie of households ${command.householdsWithRegie.join(', ')}; ` +
          'transfer or return regie first',
        8,
        { households: [...command.householdsWithRegie] },
      );
    }
    return [
      {
        type: 'ProfessionalDeactivated',
        data: {
          organisationId: state.organisationId,
          professionalId: command.professionalId,
          deactivatedBy: actor.id,
          deactivatedAt: at,
        },
      },
    ];
  }
  return [
    {
      type: 'OrganisationWaitingTimeUpdated',
      data: {
        organisationId: state.organisationId,
        waitingDays: command.waitingDays,
        updatedBy: actor.id,
        updatedAt: at,
      },
    },
  ];
};

export const organisationDecider: Decider<OrganisationCommand, OrganisationState, OrganisationEvent> = {
  initialState,
  evolve,
  decide,
};
