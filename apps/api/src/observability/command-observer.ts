/**
 * The AggregateExecutor reports every command here (when the observability module is loaded), so
 * metrics and logs see commands without the executor knowing about either.
 */
export const COMMAND_OBSERVER = Symbol('COMMAND_OBSERVER');

export interface CommandOutcome {
  /** The command's type (e.g. `RequestRegieTransfer`); 'unknown' when it failed before it was built. */
  readonly command: string;
  readonly streamId: string;
  readonly outcome: 'accepted' | 'rejected' | 'conflict' | 'failed';
  /** The domain error's stable code when refused. */
  readonly code?: string;
  readonly seconds: number;
  readonly attempts: number;
  readonly version?: number;
}

export interface CommandObserver {
  commandFinished(outcome: CommandOutcome): void;
}
