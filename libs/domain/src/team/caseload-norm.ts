import { invalid } from '../shared/domain-error';
import type { CommandActor, DomainEvent } from '../shared/event';

/**
 * The team's caseload norm: how many households one worker holds regie of, as the team agreed.
 * Caseloads count against it; it is a yardstick, not a limit, so nothing is refused for exceeding it.
 */
export const MAX_NORM = 500;

export type TeamCaseloadNormSet = DomainEvent<
  'TeamCaseloadNormSet',
  { teamId: string; householdsPerWorker: number; setBy: string }
>;

export interface SetCaseloadNorm {
  readonly type: 'SetCaseloadNorm';
  readonly teamId: string;
  readonly householdsPerWorker: number;
  readonly actor: CommandActor;
  readonly at: string;
}

export const decideCaseloadNorm = (command: SetCaseloadNorm, teamId: string): TeamCaseloadNormSet[] => {
  const n = command.householdsPerWorker;
  if (!Number.isInteger(n) || n < 1 || n > MAX_NORM) {
    throw invalid('InvalidNorm', `householdsPerWorker: must be a whole number from 1 to ${MAX_NORM}`, {
      field: 'householdsPerWorker',
    });
  }
  return [{ type: 'TeamCaseloadNormSet', data: { teamId, householdsPerWorker: n, setBy: command.actor.id } }];
};
