/** The median of a non-empty sample (the mean of the middle two when the count is even). */
export function median(values: readonly number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A sample's median with its extremes: the spread a noisy machine put around it. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** The {@link Spread} of a non-empty sample. */
export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}
