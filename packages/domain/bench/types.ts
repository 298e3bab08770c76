/** One benchmark figure, in the shape the team's bench.json uses. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  target?: string;
  meets?: boolean;
  /** The same task done another way, measured in the same run. */
  comparison?: { name: string; value: number; unit: string };
}

/** What every area module (`bench/<area>.ts`) exports; `bench/run.ts` calls each in turn. */
export type BenchArea = () => Promise<BenchResult[]>;
