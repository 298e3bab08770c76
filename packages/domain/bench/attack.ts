// Benchmarks @d3soar/domain/attack (the BUILT package) against the way other ATT&CK libraries
// work: parse a whole STIX bundle, then scan its objects. Both sides run in this one process run,
// on the same machine, one after another. The bundle is rebuilt from the committed catalog (the
// same objects MITRE publishes, without their descriptions), so the benchmark runs in a clone with
// nothing beside it; MITRE's published bundle, about a hundred times larger, would only make the scan
// side slower.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { getAttackCatalog, type AttackCatalog } from '@d3soar/domain/attack';

import { committedCatalogData, stixBundleFromCatalog } from '../src/test-support/attack-data.js';
import type { BenchResult } from './types.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
/** What the comparisons were measured against. */
const anchor = 'rebuilt STIX bundle';
const coldRuns = 11;
/** `catalog.search` reads at most this many characters (see the README). */
const maxQueryLength = 160;

interface StixObject {
  type: string;
  id: string;
  name?: string;
  revoked?: boolean;
  external_references?: { source_name: string; external_id?: string }[];
}

export function run(): BenchResult[] {
  const catalog = getAttackCatalog('enterprise');
  const fullJson = Buffer.from(
    JSON.stringify(stixBundleFromCatalog(committedCatalogData('enterprise'))),
  );
  // Users download MITRE's JSON unpacked; the scan side reads it as such.
  const fullPath = join(tmpdir(), `d3soar-bench-enterprise-attack-${process.pid}.json`);
  writeFileSync(fullPath, fullJson);
  try {
    const bundle = JSON.parse(fullJson.toString('utf8')) as { objects: StixObject[] };
    return [
      {
        name: 'machine load average (1 min) when the benchmark started; 2 cores',
        value: loadavg()[0] ?? NaN,
        unit: 'runnable',
      },
      ...coldStart(fullPath),
      ...lookupRates(catalog, bundle.objects),
      ...searchLatency(catalog, bundle.objects),
      ...catalogSize(fullJson),
      {
        name: 'machine load average (1 min) when the ATT&CK benchmark ended',
        value: loadavg()[0] ?? NaN,
        unit: 'runnable',
      },
    ];
  } finally {
    rmSync(fullPath, { force: true });
  }
}

/** Fresh processes: time and retained heap from `import` to the first answered lookup. */
function coldStart(fullPath: string): BenchResult[] {
  const measure = (body: string) => {
    const script = `
      globalThis.gc();
      const before = process.memoryUsage().heapUsed;
      const start = performance.now();
      ${body}
      const ms = performance.now() - start;
      globalThis.gc();
      process.stdout.write(JSON.stringify({ ms, heap: process.memoryUsage().heapUsed - before, found }));`;
    // A module file, as in a real program: with `node -e`, the first import() would also pay for
    // starting Node's ESM loader, which a file entry point has already done. It sits inside the
    // package so that `@d3soar/domain/attack` resolves to the built package.
    const scriptPath = join(packageDir, 'test-output', `cold-start-${process.pid}.mjs`);
    mkdirSync(dirname(scriptPath), { recursive: true });
    writeFileSync(scriptPath, script);
    try {
      const samples = Array.from({ length: coldRuns }, () => {
        const output = execFileSync(process.execPath, ['--expose-gc', scriptPath], {
          encoding: 'utf8',
        });
        return JSON.parse(output) as { ms: number; heap: number; found: string };
      });
      return {
        ms: median(samples.map((sample) => sample.ms)),
        bestMs: Math.min(...samples.map((sample) => sample.ms)),
        mb: median(samples.map((sample) => sample.heap)) / 2 ** 20,
        found: samples[0]?.found,
      };
    } finally {
      rmSync(scriptPath, { force: true });
    }
  };
  const ours = measure(`
    const { getAttackCatalog } = await import('@d3soar/domain/attack');
    const found = getAttackCatalog('enterprise').technique('T1078.004').id;`);
  const scan = measure(`
    const { readFileSync } = await import('node:fs');
    const bundle = JSON.parse(readFileSync(${JSON.stringify(fullPath)}, 'utf8'));
    const found = bundle.objects.find((o) => o.type === 'attack-pattern' &&
      o.external_references?.some((r) => r.source_name === 'mitre-attack' && r.external_id === 'T1078.004'))
      ?.external_references[0].external_id;`);
  if (ours.found !== scan.found)
    throw new Error(`cold lookups disagree: ${ours.found} ${scan.found}`);
  return [
    {
      name: `import to first lookup, enterprise (median of ${coldRuns} fresh processes)`,
      value: ours.ms,
      unit: 'ms',
      target: '<= 25 ms',
      meets: ours.ms <= 25,
      comparison: { name: `parse ${anchor} JSON, then scan`, value: scan.ms, unit: 'ms' },
    },
    {
      name: `import to first lookup, enterprise (best of ${coldRuns})`,
      value: ours.bestMs,
      unit: 'ms',
      comparison: { name: `parse ${anchor} JSON, then scan`, value: scan.bestMs, unit: 'ms' },
    },
    {
      name: 'heap retained after first lookup, enterprise',
      value: ours.mb,
      unit: 'MB',
      comparison: { name: `parsed ${anchor}`, value: scan.mb, unit: 'MB' },
    },
  ];
}

function lookupRates(catalog: AttackCatalog, objects: StixObject[]): BenchResult[] {
  const live = catalog.techniques.filter((technique) => !technique.deprecated);
  const ids = live.map((technique) => technique.id);
  const d3Names = live.map((technique) => technique.d3Name);
  const patterns = objects.filter((object) => object.type === 'attack-pattern');
  const attackId = (object: StixObject) =>
    object.external_references?.find((ref) => ref.source_name === 'mitre-attack')?.external_id;

  // What a scanning library does per lookup: walk the objects for the ID or the names.
  const scanId = (id: string) =>
    objects.find(
      (object) =>
        object.type === 'attack-pattern' &&
        !object.revoked &&
        object.external_references?.some(
          (ref) => ref.source_name === 'mitre-attack' && ref.external_id === id,
        ),
    );
  const scanD3Name = (d3Name: string) => {
    const [parentName, subName] = d3Name.toLowerCase().split(': ');
    const named = (name: string | undefined) =>
      patterns.filter((object) => !object.revoked && object.name?.toLowerCase() === name);
    if (subName === undefined) return named(parentName)[0];
    const parentId = attackId(named(parentName)[0] ?? { type: '', id: '' });
    return named(subName).find((object) => attackId(object)?.startsWith(`${parentId}.`));
  };

  const idRate = opsPerSecond(ids, (id) => catalog.technique(id).id);
  const nameRate = opsPerSecond(d3Names, (name) => catalog.technique(name).id);
  // Typed the way people do: these miss the canonical spellings and are normalised every time.
  const sloppyNames = d3Names.map((name) => ` ${name.toLowerCase().replace(': ', ' :')}`);
  const sloppyRate = opsPerSecond(sloppyNames, (name) => catalog.technique(name).id);
  const scanIdRate = opsPerSecond(ids, (id) => attackId(scanId(id) ?? { type: '', id: '' }));
  const scanNameRate = opsPerSecond(d3Names, (name) =>
    attackId(scanD3Name(name) ?? { type: '', id: '' }),
  );
  return [
    {
      name: 'ID lookups (technique IDs)',
      value: idRate,
      unit: 'ops/s',
      target: '>= 5,000,000 ops/s',
      meets: idRate >= 5e6,
      comparison: { name: `scan of parsed ${anchor}`, value: scanIdRate, unit: 'ops/s' },
    },
    {
      name: 'name lookups (d3Names)',
      value: nameRate,
      unit: 'ops/s',
      target: '>= 1,000,000 ops/s',
      meets: nameRate >= 1e6,
      comparison: { name: `scan of parsed ${anchor}`, value: scanNameRate, unit: 'ops/s' },
    },
    {
      name: 'name lookups (d3Names in lower case, irregular spacing)',
      value: sloppyRate,
      unit: 'ops/s',
      target: '>= 1,000,000 ops/s',
      meets: sloppyRate >= 1e6,
    },
  ];
}

function searchLatency(catalog: AttackCatalog, objects: StixObject[]): BenchResult[] {
  // Typos (a dropped letter) and partial names derived from every technique, plus the issue's.
  const queries: { text: string; id: string }[] = [
    { text: 'valid acounts cloud', id: catalog.technique('Valid Accounts: Cloud Accounts').id },
    {
      text: 'powershel',
      id: catalog.technique('Command and Scripting Interpreter: PowerShell').id,
    },
  ];
  for (const { d3Name, id } of catalog.techniques) {
    queries.push({ text: d3Name.slice(0, 3) + d3Name.slice(4), id });
    queries.push({ text: d3Name.split(' ').slice(0, 2).join(' ').slice(0, -1), id });
  }
  const firstStart = performance.now();
  catalog.search('warm up');
  const firstMs = performance.now() - firstStart;
  const timed = (texts: readonly string[]) => {
    for (const text of texts) catalog.search(text); // let the JIT settle first
    const passes = [1, 2, 3].map(() =>
      texts.map((text) => {
        const start = performance.now();
        catalog.search(text);
        return performance.now() - start;
      }),
    );
    // Each query's median over the passes: what the query costs, with a busy machine's
    // interruptions (another process, a GC pause) mostly left out.
    const medians = texts.map((_, index) => median(passes.map((pass) => pass[index] ?? NaN)));
    return { all: passes.flat(), medians };
  };
  const { all: latencies, medians } = timed(queries.map(({ text }) => text));
  const long = timed(longTypoQueries(catalog, 300));
  const found = queries.filter(({ text, id }) =>
    catalog.search(text).some((result) => result.id === id),
  ).length;

  // The scanning way: case-insensitive substring match over every technique name.
  const named = objects.flatMap((object) => {
    const id = object.external_references?.find((ref) => ref.source_name === 'mitre-attack');
    return object.type === 'attack-pattern' && !object.revoked && object.name && id?.external_id
      ? [{ name: object.name.toLowerCase(), id: id.external_id }]
      : [];
  });
  const scan = (text: string) => {
    const needle = text.toLowerCase();
    return named.filter((entry) => entry.name.includes(needle)).slice(0, 10);
  };
  const scanLatencies = queries.map(({ text }) => {
    const start = performance.now();
    scan(text);
    return performance.now() - start;
  });
  const scanFound = queries.filter(({ text, id }) =>
    scan(text).some((entry) => entry.id === id),
  ).length;
  const p99 = percentile(latencies, 0.99);
  return [
    {
      name: `search p99 (${queries.length} typo and partial queries, 3 passes)`,
      value: p99,
      unit: 'ms',
      target: '<= 1 ms',
      meets: p99 <= 1,
      comparison: {
        name: `substring scan of ${anchor} names, p99`,
        value: percentile(scanLatencies, 0.99),
        unit: 'ms',
      },
    },
    { name: 'search p50', value: percentile(latencies, 0.5), unit: 'ms' },
    {
      name: "search p99 of each query's median of the 3 passes (less sensitive to a busy machine)",
      value: percentile(medians, 0.99),
      unit: 'ms',
    },
    {
      name: `search p99, ${long.medians.length} long queries of misspelt words (160 characters, 3 passes)`,
      value: percentile(long.all, 0.99),
      unit: 'ms',
      target: '<= 1 ms',
      meets: percentile(long.all, 0.99) <= 1,
    },
    {
      name: 'search p50, long queries of misspelt words',
      value: percentile(long.all, 0.5),
      unit: 'ms',
    },
    {
      name: 'search: intended technique among the top 10 (same queries)',
      value: (100 * found) / queries.length,
      unit: '%',
      comparison: {
        name: `substring scan of ${anchor} names`,
        value: (100 * scanFound) / queries.length,
        unit: '%',
      },
    },
    { name: 'first search (builds the search index)', value: firstMs, unit: 'ms' },
  ];
}

/**
 * Queries of {@link maxQueryLength} characters made of technique-name words, each missing one
 * letter: the worst case for fuzzy matching, which expands misspelt words. A fixed seed keeps the
 * set the same from run to run.
 */
function longTypoQueries(catalog: AttackCatalog, count: number): string[] {
  const words = catalog.techniques
    .flatMap((technique) => technique.d3Name.split(/[^\p{L}]+/u))
    .filter((word) => word.length >= 4);
  let seed = 1;
  const random = (below: number) => {
    seed = (seed * 48271) % 2147483647;
    return seed % below;
  };
  return Array.from({ length: count }, () => {
    let query = '';
    while (query.length < maxQueryLength) {
      const word = words[random(words.length)] ?? '';
      const cut = random(word.length);
      query += `${word.slice(0, cut)}${word.slice(cut + 1)} `;
    }
    return query.slice(0, maxQueryLength);
  });
}

/** The committed catalog data as shipped (the built modules), gzipped as in the packed tarball. */
function catalogSize(bundleJson: Buffer): BenchResult[] {
  const gzippedKb = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length / 1000;
  const dataKb = (domain: string) =>
    gzippedKb(readFileSync(join(packageDir, 'dist', 'attack', 'data', `${domain}.js`)));
  const enterpriseKb = dataKb('enterprise');
  const allKb = enterpriseKb + dataKb('mobile') + dataKb('ics');
  return [
    {
      name: 'catalog data modules, gzipped (enterprise + mobile + ics)',
      value: allKb,
      unit: 'kB',
      target: '<= 50 kB',
      meets: allKb <= 50,
      comparison: {
        name: `enterprise ${anchor}, gzipped`,
        value: gzippedKb(bundleJson),
        unit: 'kB',
      },
    },
    { name: 'enterprise catalog data alone, gzipped', value: enterpriseKb, unit: 'kB' },
    packedSize(),
  ];
}

/** The whole package as `npm pack` would publish it (all subpaths, for context). */
function packedSize(): BenchResult {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: packageDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [pack] = JSON.parse(output) as { size: number; unpackedSize: number }[];
  return {
    name: 'whole package tarball (npm pack, all subpaths)',
    value: (pack?.size ?? NaN) / 1000,
    unit: 'kB',
  };
}

function opsPerSecond(inputs: readonly string[], lookup: (input: string) => unknown): number {
  let sink = 0;
  const time = (rounds: number) => {
    const start = performance.now();
    for (let round = 0; round < rounds; round++) {
      for (const input of inputs) sink += lookup(input) === undefined ? 0 : 1;
    }
    return performance.now() - start;
  };
  time(1);
  let rounds = 1;
  let elapsed = time(rounds);
  while (elapsed < 300) {
    rounds *= 2;
    elapsed = time(rounds);
  }
  if (sink === 0) throw new Error('lookups found nothing');
  return (rounds * inputs.length) / (elapsed / 1000);
}

function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? NaN;
}
