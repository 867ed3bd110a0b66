/**
 * Wake-ups for an adapter's waiting readers (`waitForEvents`): fired by this process's appends, by
 * the adapter's notifications from other processes (NOTIFY, a subscription), or by close().
 */
export class Wakeups {
  private count = 0;
  private readonly sleepers = new Set<() => void>();

  get generation(): number {
    return this.count;
  }

  fire(): void {
    this.count++;
    for (const wake of [...this.sleepers]) wake();
  }

  /** Sleeps `ms`, or less when a wake-up comes (or came) after generation `since`. */
  sleep(ms: number, since: number): Promise<void> {
    if (this.count !== since) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}

/** Resolves when `work` does or after `ms`, whichever first; never rejects after the deadline. */
export function withDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))));
  // Once the deadline has won, a late failure of `work` has nobody left to tell.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
