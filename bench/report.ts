// One format for every package's benchmark figures, so bench/run.ts can gather them into
// bench/results.json. Package benchmarks import this file; it is not part of any published package.
import { mkdirSync, writeFileSync } from 'node:fs';

/** One figure: what was measured, and the figure it is compared with, from the same run. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The target the figure must meet, in words (e.g. `>= 5,000 req/s`). */
  target?: string;
  meets?: boolean;
  comparison?: { name: string; value: number; unit: string };
}

function format(value: number): string {
  const rounded = Number.isInteger(value) ? value : Number(value.toPrecision(4));
  return rounded.toLocaleString('en-US');
}

/** The figures as table rows, readable in a terminal; `package` adds a first column. */
export function benchTableRows(results: BenchResult[], packageName?: string) {
  return results.map(({ name, value, unit, target, meets, comparison }) => ({
    ...(packageName === undefined ? {} : { package: packageName }),
    measure: name,
    value: `${format(value)} ${unit}`,
    'compared with': comparison
      ? `${comparison.name}: ${format(comparison.value)} ${comparison.unit}`
      : '',
    target: target ?? '',
    meets: meets === undefined ? '' : meets ? 'yes' : 'NO',
  }));
}

/**
 * Writes `<package>/test-output/bench.json` and prints the figures as a table.
 * @param packageDir the package's folder, as a file URL ending in `/`.
 */
export function writeBenchReport(
  packageName: string,
  packageDir: URL,
  results: BenchResult[],
): void {
  const outputDir = new URL('test-output/', packageDir);
  mkdirSync(outputDir, { recursive: true });
  writeFileSync(
    new URL('bench.json', outputDir),
    `${JSON.stringify({ package: packageName, results }, null, 2)}\n`,
  );
  console.table(benchTableRows(results));
}
