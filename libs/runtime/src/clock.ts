/** Time comes from here, never from `new Date()` in handlers, so tests can control it. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
