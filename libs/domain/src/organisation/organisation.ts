import { conflict, notFound } from '../shared/domain-error';
import type { CommandActor, Decider, DomainEvent } from '../shared/event';
import type { LifeDomain } from '../shared/life-domains';

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
export type OrganisationEvent = OrganisationRegistered | OrganisationWaitingTimeUpdated;

export interface OrganisationState {
  readonly exists: boolean;
  readonly organisationId: string;
  readonly name: string;
  readonly expertise: Expertise;
  readonly location: string;
  readonly waitingDays: number;
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
export type OrganisationCommand = RegisterOrganisation | UpdateWaitingTime;

const initialState = (): OrganisationState => ({
  exists: false,
  organisationId: '',
  name: '',
  expertise: { lifeDomains: [], tags: [] },
  location: '',
  waitingDays: 0,
});

const evolve = (state: OrganisationState, event: OrganisationEvent): OrganisationState => {
  switch (event.type) {
    case 'OrganisationRegistered': {
      const { organisationId, name, expertise, location, waitingDays } = event.data;
      return { exists: true, organisationId, name, expertise, location, waitingDays };
    }
    case 'OrganisationWaitingTimeUpdated':
      return { ...state, waitingDays: event.data.waitingDays };
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
