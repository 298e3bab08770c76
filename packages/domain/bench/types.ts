import type { BenchResult } from '../../../bench/report.js';

export type { BenchResult };

/** What every area module (`bench/<area>.ts`) exports; `bench/run.ts` calls each in turn. */
export type BenchArea = () => Promise<BenchResult[]>;
