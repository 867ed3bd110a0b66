import { conflict, notFound } from '../shared/domain-error';
import type { DomainEvent } from '../shared/event';
import type { CommandActor } from '../shared/event';
import { requireOpenPlan, requirePlanWorker } from './household-access';
import type { HouseholdEvent } from './household.events';
import type { HouseholdState } from './household.state';
import { householdSlice } from './household.slice';

/** The household's own network (sociaal netwerk): people around it who can own actions. */
export const NETWORK_ROLES = ['family', 'friend', 'neighbour', 'teacher', 'other'] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];

// ---- events -------------------------------------------------------------------------------------

/** The name is personal data and lives in `personal` only. */
export type NetworkMemberAdded = DomainEvent<
  'NetworkMemberAdded',
  { networkMemberId: string; role: NetworkRole; addedBy: string; addedAt: string }
>;
export type NetworkMemberRemoved = DomainEvent<
  'NetworkMemberRemoved',
  { networkMemberId: string; removedBy: string; removedAt: string }
>;
export type NetworkEvent = NetworkMemberAdded | NetworkMemberRemoved;
export const NETWORK_EVENT_TYPES = [
  'NetworkMemberAdded',
  'NetworkMemberRemoved',
] as const satisfies readonly NetworkEvent['type'][];

// ---- commands -----------------------------------------------------------------------------------

interface Base {
  readonly householdId: string;
  readonly actor: CommandActor;
  readonly at: string;
}
export interface AddNetworkMember extends Base {
  readonly type: 'AddNetworkMember';
  readonly networkMemberId: string;
  readonly role: NetworkRole;
  readonly name: string;
}
export interface RemoveNetworkMember extends Base {
  readonly type: 'RemoveNetworkMember';
  readonly networkMemberId: string;
}
export type NetworkCommand = AddNetworkMember | RemoveNetworkMember;
export const NETWORK_COMMAND_TYPES = [
  'AddNetworkMember',
  'RemoveNetworkMember',
] as const satisfies readonly NetworkCommand['type'][];

// ---- state --------------------------------------------------------------------------------------

export interface NetworkMember {
  readonly networkMemberId: string;
  readonly role: NetworkRole;
  /** Removed members stay known, so their id is never reused and their past actions keep an owner. */
  readonly removed: boolean;
}
export type NetworkState = Readonly<Record<string, NetworkMember>>;

export const evolveNetwork = (state: HouseholdState, event: NetworkEvent): HouseholdState => {
  const { networkMemberId } = event.data;
  switch (event.type) {
    case 'NetworkMemberAdded':
      return {
        ...state,
        network: {
          ...state.network,
          [networkMemberId]: { networkMemberId, role: event.data.role, removed: false },
        },
      };
    case 'NetworkMemberRemoved': {
      const member = state.network[networkMemberId];
      return member
        ? { ...state, network: { ...state.network, [networkMemberId]: { ...member, removed: true } } }
        : state;
    }
  }
};

// ---- decide -------------------------------------------------------------------------------------

export const decideNetwork = (command: NetworkCommand, state: HouseholdState): HouseholdEvent[] => {
  requireOpenPlan(state);
  requirePlanWorker(command.actor, state);
  const existing = state.network[command.networkMemberId];
  switch (command.type) {
    case 'AddNetworkMember':
      if (existing) {
        throw conflict(
          'NetworkMemberAlreadyExists',
          `network member id ${command.networkMemberId} is already used in this household`,
        );
      }
      return [
        {
          type: 'NetworkMemberAdded',
          data: {
            networkMemberId: command.networkMemberId,
            role: command.role,
            addedBy: command.actor.id,
            addedAt: command.at,
          },
          personal: { name: command.name },
        },
      ];
    case 'RemoveNetworkMember': {
      if (!existing) {
        throw notFound(
          'NetworkMemberNotFound',
          `network member ${command.networkMemberId} is not in this household`,
        );
      }
      if (existing.removed) {
        throw conflict(
          'NetworkMemberAlreadyRemoved',
          `network member ${command.networkMemberId} was already removed`,
        );
      }
      // Invariant 10: every open action keeps one owner, so its owner cannot leave before it is done.
      const owned = Object.values(state.actions)
        .filter((a) => !a.completed && a.owner.kind === 'network' && a.owner.id === command.networkMemberId)
        .map((a) => a.actionId);
      if (owned.length > 0) {
        throw conflict(
          'NetworkMemberOwnsActions',
          `invariant 10: network member ${command.networkMemberId} owns open actions ${owned.join(', ')}; complete them first`,
          10,
          { actions: owned },
        );
      }
      return [
        {
          type: 'NetworkMemberRemoved',
          data: {
            networkMemberId: command.networkMemberId,
            removedBy: command.actor.id,
            removedAt: command.at,
          },
        },
      ];
    }
  }
};

// ---- the slice ---------------------------------------------------------------------------------

export const networkSlice = householdSlice({
  commands: NETWORK_COMMAND_TYPES,
  events: NETWORK_EVENT_TYPES,
  decide: decideNetwork,
  evolve: evolveNetwork,
});
