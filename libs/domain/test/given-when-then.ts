import { Decider, DomainError, DomainErrorKind } from '@eenplan/domain';

/**
 * Domain tests read as given (events) / when (command) / then (events or a refusal):
 *   spec(householdDecider).given([registered]).when(accept).then([accepted]);
 *   spec(householdDecider).given([registered, requested]).when(request).thenRefuses('TransferAlreadyPending', 2);
 */
export const spec = <C, S, E>(decider: Decider<C, S, E>) => ({
  given: (events: E[]) => ({
    when: (command: C) => {
      const decide = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
      return {
        then: (expected: E[]) => expect(decide()).toEqual(expected),
        /** `kind` when given is checked too: a 403 where a 409 belongs is a different refusal. */
        thenRefuses: (code: string, invariant?: number, kind?: DomainErrorKind) => {
          let error: unknown;
          try {
            decide();
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe(code);
          if (invariant !== undefined) expect((error as DomainError).invariant).toBe(invariant);
          if (kind !== undefined) expect((error as DomainError).kind).toBe(kind);
          return error as DomainError;
        },
      };
    },
  }),
});

/** The state after a history, for assertions on evolve. */
export const stateAfter = <C, S, E>(decider: Decider<C, S, E>, events: E[]): S =>
  events.reduce(decider.evolve, decider.initialState());
