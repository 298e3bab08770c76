// Runs each area's benchmark module (bench/<area>.ts exporting `run(): Promise<BenchResult[]>`)
// one after another against the built package, then writes test-output/bench.json and a table.
import { existsSync } from 'node:fs';
import { writeBenchReport } from '../../../bench/report.js';

import type { BenchArea, BenchResult } from './types.js';

const areas = ['attack', 'artifacts', 'query'];
const results: BenchResult[] = [];
for (const area of areas) {
  const module = new URL(`./${area}.ts`, import.meta.url);
  if (!existsSync(module)) continue;
  const { run } = (await import(module.href)) as { run: BenchArea };
  results.push(...(await run()));
}

writeBenchReport('@d3soar/domain', new URL('../', import.meta.url), results);
