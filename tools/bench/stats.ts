/** Small numeric helpers for the benchmark: percentiles, rates and human-readable numbers. */

/** Nearest-rank percentile of an ascending array (p in 0..100); NaN when empty. */
export const percentile = (sorted: readonly number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
};

export const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

export interface Distribution {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export const distribution = (values: readonly number[]): Distribution => {
  const sorted = ascending(values);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
};

/** 12345.6 -> "12,346"; below 100 keeps one decimal. */
export const num = (n: number): string => {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) < 100 ? n.toFixed(1) : Math.round(n).toLocaleString('en');
};

export const ms = (n: number): string =>
  Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms` : 'n/a';

export const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis));

/** Milliseconds since an arbitrary origin, sub-millisecond resolution. */
export const now = (): number => performance.now();
