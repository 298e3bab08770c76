// Careful manual timing for throughput figures: warm up, then time several rounds of a batch and
// report the median rate (robust to a round disturbed by GC or a neighbour on a shared machine).
// Competing variants are measured in interleaved rounds, so a slow spell of the machine hits all
// of them alike instead of whichever happened to run then.

/** Keeps results alive so the optimiser cannot drop the measured work. */
let sink = 0;

/** Options of {@link measureRates}. */
export interface MeasureOptions {
  /** Timed rounds per variant; the median is reported. Default 7. */
  readonly rounds?: number;
  /** Target length of one round, in ms. Default 200. */
  readonly roundMs?: number;
}

function batchesForRound(batch: () => number, roundMs: number): number {
  let batches = 1;
  const warmUpEnd = performance.now() + roundMs;
  while (performance.now() < warmUpEnd) {
    for (let i = 0; i < batches; i += 1) sink += batch();
    batches *= 2;
  }
  const start = performance.now();
  for (let i = 0; i < batches; i += 1) sink += batch();
  const perBatch = (performance.now() - start) / batches;
  return Math.max(1, Math.round(roundMs / Math.max(perBatch, 1e-6)));
}

/**
 * Items per second for each named batch (each processes `itemsPerBatch` items and returns any
 * number derived from its results), measured in interleaved rounds after a warm-up.
 */
export function measureRates<K extends string>(
  itemsPerBatch: number,
  batches: Record<K, () => number>,
  { rounds = 7, roundMs = 200 }: MeasureOptions = {},
): Record<K, number> {
  const names = Object.keys(batches) as K[];
  const sizes = new Map(names.map((name) => [name, batchesForRound(batches[name], roundMs)]));
  const rates = new Map<K, number[]>(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const name of names) {
      const batch = batches[name];
      const count = sizes.get(name) ?? 1;
      const start = performance.now();
      for (let i = 0; i < count; i += 1) sink += batch();
      const seconds = (performance.now() - start) / 1000;
      rates.get(name)?.push((itemsPerBatch * count) / seconds);
    }
  }
  if (sink === Number.MIN_VALUE) console.log(sink);
  const result = {} as Record<K, number>;
  for (const name of names) {
    const sorted = (rates.get(name) ?? []).sort((a, b) => a - b);
    result[name] = sorted[Math.floor(sorted.length / 2)] ?? 0;
  }
  return result;
}

/** Items per second for one batch; see {@link measureRates}. */
export function measureRate(
  itemsPerBatch: number,
  batch: () => number,
  options?: MeasureOptions,
): number {
  return measureRates(itemsPerBatch, { batch }, options).batch;
}
