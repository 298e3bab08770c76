// Runs every package's benchmark one at a time (parallel runs would skew each other's figures
// on a small machine), then gathers their results into one summary: bench/results.json.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchTableRows, type BenchResult } from './report.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Workspace packages (not the root, whose `bench` script runs this file) with a `bench` script. */
function packagesWithBench(): { name: string; dir: string }[] {
  const listed = JSON.parse(
    execFileSync('pnpm', ['-r', 'ls', '--depth', '-1', '--json'], { cwd: root, encoding: 'utf8' }),
  ) as { name: string; path: string }[];
  return listed
    .map((pkg) => ({ name: pkg.name, dir: pkg.path }))
    .filter(({ dir }) => dir !== root)
    .filter(({ dir }) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
      };
      return typeof manifest.scripts?.bench === 'string';
    });
}

const summary = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  packages: [] as { package: string; results: BenchResult[] }[],
};
for (const { name, dir } of packagesWithBench()) {
  console.log(`\n▶ ${name}`);
  execFileSync('pnpm', ['run', 'bench'], { cwd: dir, stdio: 'inherit' });
  const file = join(dir, 'test-output', 'bench.json');
  if (!existsSync(file)) throw new Error(`${name}: its bench script wrote no ${file}`);
  summary.packages.push(
    JSON.parse(readFileSync(file, 'utf8')) as { package: string; results: BenchResult[] },
  );
}

writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);

const rows = summary.packages.flatMap((pkg) => benchTableRows(pkg.results, pkg.package));
console.log('\nSummary (also in bench/results.json):');
console.table(rows);
