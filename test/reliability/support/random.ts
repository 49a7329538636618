/**
 * Seeded, reproducible randomness for the reliability suites. Every suite prints its seed; every case gets its own
 * generator derived from (seed, case index), so one failing case can be regenerated alone.
 *
 *   KDCR_SEED=12345   run with that seed (default: a fixed one, so `npm test` is reproducible)
 *   KDCR_SEED=random  a fresh seed (printed)
 */

/** mulberry32: small, fast, good enough for mutation choices. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** [0, 1) */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  pick<T>(xs: readonly T[]): T {
    if (!xs.length) throw new RangeError('pick from an empty list');
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Mixes a suite seed and a case index into the seed of that case (splitmix-style). */
export function caseSeed(seed: number, index: number): number {
  let z = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export const DEFAULT_SEED = 20261123;

/** The suite seed: $KDCR_SEED, `random`, or the fixed default. */
export function suiteSeed(): number {
  const v = process.env['KDCR_SEED'];
  if (v === 'random') return (Math.random() * 2 ** 32) >>> 0;
  if (v && /^\d+$/.test(v)) return Number(v) >>> 0;
  return DEFAULT_SEED;
}
