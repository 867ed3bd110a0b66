/**
 * A seeded random source (mulberry32), so a reliability run that fails can be run again with the
 * same choices: every run prints its seed, and `--seed` repeats it.
 */
export interface Random {
  /** In [0, 1). */
  next(): number;
  /** An integer in [min, max). */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** One of the names, chosen with the given weights. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T;
}

export function createRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min));
  return {
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length)]!;
    },
    weighted: (choices) => {
      const total = choices.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [name, w] of choices) {
        if ((r -= w) < 0) return name;
      }
      return choices[choices.length - 1]![0];
    },
  };
}
