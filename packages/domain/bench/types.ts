import type { BenchResult } from '../../../bench/report.js';

export type { BenchResult };

/**
 * What every area module (`bench/<area>.ts`) exports; `bench/run.ts` calls each in turn and awaits
 * the result, so an area that measures synchronously need not be async.
 */
export type BenchArea = () => BenchResult[] | Promise<BenchResult[]>;
