// `pnpm attack:update`: rewrites the committed ATT&CK catalog (src/attack/data/<domain>.ts) from
// MITRE's STIX bundles, and prints what changed. Nothing is written unless every input was read:
// each file is replaced through a temporary file, so an error leaves the catalog as it was.
import { realpathSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { attackDomains } from '../../src/attack/catalog-data.js';
import { decodeCatalogText, encodeCatalogText } from '../../src/attack/catalog-text.js';
import { readBundleInput, type ReadBundle } from './bundle.js';
import { describeChanges } from './changes.js';
import {
  committedDataDir,
  dataModulePath,
  readDataModule,
  renderDataModule,
  writeFileAtomically,
} from './data-module.js';
import { createProgress, megabytes, type Progress } from './progress.js';
import {
  compareVersions,
  download,
  listedVersions,
  mitreBaseUrl,
  readLocal,
  releaseUrl,
  type BundleInput,
} from './sources.js';

const usage = `Usage: pnpm attack:update [--from <dir | file | url>] [--version <x.y>] [--mirror <url>]

Rewrites the committed ATT&CK catalog of @d3soar/domain from MITRE's STIX bundles and prints
what changed.

  --from <dir>     every <domain>-attack[-<version>].json[.gz] in the directory
  --from <file>    one bundle (plain or gzipped, STIX 2.0 or 2.1): only its domain is updated
  --from <url>     one bundle downloaded from the URL: only its domain is updated
  (no --from)      the three domains of --version from MITRE's attack-stix-data repository
  --version <x.y>  the ATT&CK version (default: the latest in the repository's index.json); with
                   --from, the version to record when the bundle does not state its own
  --mirror <url>   a copy of attack-stix-data to download from instead of MITRE's
  --out <dir>      write the catalog files into another directory (default: the package's)
`;

export interface UpdateIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
}

/** Runs the command; resolves to its exit status (0 done, 1 failed, 2 usage). */
export async function runAttackUpdate(argv: readonly string[], io: UpdateIo): Promise<number> {
  let options: { from?: string; version?: string; mirror?: string; out?: string; help?: boolean };
  try {
    options = parseArgs({
      args: [...argv],
      options: {
        from: { type: 'string' },
        version: { type: 'string' },
        mirror: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    io.stderr.write(`attack:update: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (options.help === true) {
    io.stdout.write(usage);
    return 0;
  }
  if (options.from !== undefined && options.mirror !== undefined) {
    io.stderr.write('attack:update: give --from or --mirror, not both\n');
    return 2;
  }
  if (options.version !== undefined && !/^\d+(?:\.\d+)*$/.test(options.version)) {
    io.stderr.write(
      `attack:update: --version takes a version such as 18.1; got ${options.version}\n`,
    );
    return 2;
  }
  const progress = createProgress(io.stderr);
  const outDir = options.out ?? committedDataDir;
  try {
    const inputs = await gatherInputs(options, progress);
    const read: ReadBundle[] = inputs.map((input) => {
      progress.step(`reading ATT&CK from ${input.label} (${megabytes(input.bytes.length)})`);
      return readBundleInput(
        input,
        options.version === undefined ? {} : { version: options.version },
      );
    });
    const seen = new Set<string>();
    for (const { data, provenance } of read) {
      if (seen.has(data.domain)) {
        throw new Error(`two inputs hold ${data.domain} ATT&CK (the second: ${provenance.source})`);
      }
      seen.add(data.domain);
    }
    // Everything is prepared before the first file is replaced.
    const writes = read.map(({ data, provenance }) => {
      const path = dataModulePath(data.domain, outDir);
      const committed = readDataModule(path);
      const before =
        committed === undefined ? undefined : decodeCatalogText(committed, relative('.', path));
      return {
        path,
        text: renderDataModule(encodeCatalogText(data, provenance)),
        changes: describeChanges(before, data),
      };
    });
    for (const { path, text, changes } of writes) {
      writeFileAtomically(path, text);
      io.stdout.write(`${changes.join('\n')}\n  wrote ${relative('.', path)}\n`);
    }
    return 0;
  } catch (error) {
    io.stderr.write(
      `attack:update: ${(error as Error).message}. The committed catalog is unchanged.\n`,
    );
    return 1;
  }
}

async function gatherInputs(
  options: { from?: string; version?: string; mirror?: string },
  progress: Progress,
): Promise<BundleInput[]> {
  const { from } = options;
  if (from !== undefined) {
    return /^https?:\/\//i.test(from)
      ? [await download(from, progress)]
      : readLocal(from, progress);
  }
  const base = (options.mirror ?? mitreBaseUrl).replace(/\/+$/, '');
  let version = options.version;
  if (version === undefined) {
    const listed = await listedVersions(base, progress);
    const latest = [...listed.enterprise].sort(compareVersions).at(-1);
    if (latest === undefined)
      throw new Error(`${base}/index.json lists no enterprise ATT&CK version`);
    version = latest;
    progress.step(`the latest ATT&CK in ${base}/index.json is v${version}`);
  }
  const inputs: BundleInput[] = [];
  for (const domain of attackDomains) {
    inputs.push(await download(releaseUrl(base, domain, version), progress));
  }
  return inputs;
}

const invokedDirectly =
  process.argv[1] !== undefined &&
  realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) {
  process.exitCode = await runAttackUpdate(process.argv.slice(2), process);
}
