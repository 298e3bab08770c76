// Runs every package's benchmark one at a time (parallel runs would skew each other's figures
// on a small machine), then gathers their results into one summary: bench/results.json.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Workspace packages (not the root, whose `bench` script runs this file) with a `bench` script. */
function packagesWithBench() {
  const listed = JSON.parse(
    execFileSync('pnpm', ['-r', 'ls', '--depth', '-1', '--json'], { cwd: root, encoding: 'utf8' }),
  );
  return listed
    .map((pkg) => ({ name: pkg.name, dir: pkg.path }))
    .filter(({ dir }) => dir !== root)
    .filter(({ dir }) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return typeof manifest.scripts?.bench === 'string';
    });
}

function formatNumber(value) {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toPrecision(4);
}

const summary = { generatedAt: new Date().toISOString(), node: process.version, packages: [] };
for (const { name, dir } of packagesWithBench()) {
  console.log(`\n▶ ${name}`);
  execFileSync('pnpm', ['run', 'bench'], { cwd: dir, stdio: 'inherit' });
  const file = join(dir, 'test-output', 'bench.json');
  if (!existsSync(file)) throw new Error(`${name}: its bench script wrote no ${file}`);
  summary.packages.push(JSON.parse(readFileSync(file, 'utf8')));
}

writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);

const rows = summary.packages.flatMap((pkg) =>
  pkg.results.map((r) => ({
    package: pkg.package,
    measure: r.name,
    value: `${formatNumber(r.value)} ${r.unit}`,
    'compared with': r.comparison
      ? `${r.comparison.name}: ${formatNumber(r.comparison.value)} ${r.comparison.unit}`
      : '',
    target: r.target ?? '',
    meets: r.meets === undefined ? '' : r.meets ? 'yes' : 'NO',
  })),
);
console.log('\nSummary (also in bench/results.json):');
console.table(rows);
