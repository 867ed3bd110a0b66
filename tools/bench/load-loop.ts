import { now } from './stats';

export interface LoopResult {
  /** Operations that completed inside the measured window. */
  readonly ops: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Latency of each counted operation, ms. */
  readonly latencies: number[];
  readonly errors: number;
  readonly firstError?: string;
  /** Operations completed over the whole loop, warm-up included (for per-operation server counters). */
  readonly total: number;
}

/**
 * Runs `concurrency` workers that each call `op` back to back for `warmupMs + measureMs`.
 * Operations that finish inside the window (after the warm-up) count; the rate is
 * counted / window. `op(worker, n)` gets the worker index and that worker's running count.
 */
export async function closedLoop(
  concurrency: number,
  warmupMs: number,
  measureMs: number,
  op: (worker: number, n: number) => Promise<void>,
): Promise<LoopResult> {
  const start = now();
  const from = start + warmupMs;
  const until = from + measureMs;
  const latencies: number[] = [];
  let errors = 0;
  let total = 0;
  let firstError: string | undefined;
  const worker = async (w: number) => {
    for (let n = 0; now() < until; n++) {
      const t0 = now();
      try {
        await op(w, n);
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
        if (errors > 1000) throw error;
        continue;
      }
      const t1 = now();
      total++;
      if (t1 >= from && t1 <= until) latencies.push(t1 - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const seconds = measureMs / 1000;
  return {
    ops: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    latencies,
    errors,
    firstError,
    total,
  };
}
