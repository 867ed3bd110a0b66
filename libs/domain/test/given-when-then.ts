import { Decider, DomainError, DomainErrorKind } from '@eenplan/domain';

/**
 * The refusal a test expects, in full: a 403 where a 409 belongs, or a refusal that loses the
 * details a client shows, is a different refusal. `invariant` and `details` left out mean the
 * refusal has none.
 */
export interface Refusal {
  readonly code: string;
  readonly kind: DomainErrorKind;
  readonly invariant?: number;
  readonly details?: Record<string, unknown>;
  /** Words the message must contain, where the text tells two refusals of one code apart. */
  readonly message?: string;
}

/**
 * Asserts that `act` refuses with exactly `expected` (code, kind, invariant, details) and a message
 * that says why; returns the error.
 */
export const expectRefusal = (act: () => unknown, expected: Refusal): DomainError => {
  let error: unknown;
  try {
    act();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DomainError);
  const { code, kind, invariant, details, message } = error as DomainError;
  const { message: words, ...refusal } = expected;
  expect({ code, kind, invariant, details }).toEqual(refusal);
  // The API shows the message to the user: a refusal always says why.
  expect(message.trim()).not.toBe('');
  if (words !== undefined) expect(message).toContain(words);
  return error as DomainError;
};

/**
 * Domain tests read as given (events) / when (command) / then (events or a refusal):
 *   spec(householdDecider).given([registered]).when(accept).then([accepted]);
 *   spec(householdDecider).given([registered, requested]).when(request)
 *     .thenRefuses({ code: 'TransferAlreadyPending', kind: 'conflict', invariant: 2 });
 */
export const spec = <C, S, E>(decider: Decider<C, S, E>) => ({
  given: (events: E[]) => ({
    when: (command: C) => {
      const decide = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
      return {
        then: (expected: E[]) => expect(decide()).toEqual(expected),
        thenRefuses: (expected: Refusal) => expectRefusal(decide, expected),
      };
    },
  }),
});

/** The state after a history, for assertions on evolve. */
export const stateAfter = <C, S, E>(decider: Decider<C, S, E>, events: E[]): S =>
  events.reduce(decider.evolve, decider.initialState());
