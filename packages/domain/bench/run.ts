// Runs each area's benchmark module (bench/<area>.ts exporting `run(): Promise<BenchResult[]>`)
// one after another against the built package, then writes test-output/bench.json and a table.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

import type { BenchArea, BenchResult } from './types.js';

const areas = ['attack', 'artifacts', 'query'];
const results: BenchResult[] = [];
for (const area of areas) {
  const module = new URL(`./${area}.ts`, import.meta.url);
  if (!existsSync(module)) continue;
  const { run } = (await import(module.href)) as { run: BenchArea };
  results.push(...(await run()));
}

const outputDir = new URL('../test-output/', import.meta.url);
mkdirSync(outputDir, { recursive: true });
writeFileSync(
  new URL('bench.json', outputDir),
  `${JSON.stringify({ package: '@d3soar/domain', results }, null, 2)}\n`,
);
const format = (value: number) => (Number.isInteger(value) ? value : Number(value.toPrecision(4)));
console.table(
  results.map(({ name, value, unit, target, meets, comparison }) => ({
    name,
    value: `${format(value).toLocaleString('en-US')} ${unit}`,
    target: target ?? '',
    meets: meets === undefined ? '' : meets ? 'yes' : 'NO',
    comparison: comparison
      ? `${comparison.name}: ${format(comparison.value).toLocaleString('en-US')} ${comparison.unit}`
      : '',
  })),
);
