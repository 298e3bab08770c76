// Where `attack:update` reads MITRE's bundles from: a directory, a file, a URL, or MITRE's
// `attack-stix-data` repository (or a mirror of it). Every input becomes bytes with a label that
// names it in messages; unpacking and reading happen in ./bundle.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

import { attackDomains } from '../../src/attack/catalog-data.js';
import type { AttackDomain } from '../../src/attack/types.js';
import { megabytes, type Progress } from './progress.js';

/** A bundle as read, before unpacking. */
export interface BundleInput {
  /** The file name or URL, as messages and the provenance line name it. */
  readonly label: string;
  readonly bytes: Buffer;
  /** The domain its name says (`enterprise-attack-18.1.json`), if any. */
  readonly domainFromName?: AttackDomain;
  /** The ATT&CK version its name says, if any. */
  readonly versionFromName?: string;
}

/** MITRE's repository of ATT&CK in STIX 2.1, as raw files. */
export const mitreBaseUrl =
  'https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master';

const bundleName = /^(enterprise|mobile|ics)-attack(?:-(\d+(?:\.\d+)*))?\.json(?:\.gz)?$/;

function namedFacts(name: string): Pick<BundleInput, 'domainFromName' | 'versionFromName'> {
  const match = bundleName.exec(name);
  if (match === null) return {};
  const [, domain, version] = match;
  return {
    domainFromName: domain as AttackDomain,
    ...(version === undefined ? {} : { versionFromName: version }),
  };
}

/** The bundles of a directory (one per domain at most), or the single file given. */
export function readLocal(path: string, progress: Progress): BundleInput[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new Error(`${path} does not exist`);
  }
  if (!isDirectory) {
    progress.step(`reading ${path}`);
    return [{ label: basename(path), bytes: readFileSync(path), ...namedFacts(basename(path)) }];
  }
  const names = readdirSync(path).filter((name) => bundleName.test(name));
  for (const domain of attackDomains) {
    const mine = names.filter((name) => namedFacts(name).domainFromName === domain);
    if (mine.length > 1) {
      throw new Error(`${path} holds several ${domain} bundles (${mine.join(', ')}); keep one`);
    }
  }
  if (names.length === 0) {
    throw new Error(
      `${path} holds no ATT&CK bundle (expected files named like enterprise-attack-18.1.json, ` +
        'mobile-attack.json or ics-attack-18.1.json.gz)',
    );
  }
  return names.sort().map((name) => {
    progress.step(`reading ${join(path, name)}`);
    return { label: name, bytes: readFileSync(join(path, name)), ...namedFacts(name) };
  });
}

/** Downloads one URL, showing progress; any failure is one sentence naming the URL. */
export async function download(url: string, progress: Progress): Promise<BundleInput> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10 * 60_000) });
  } catch (error) {
    throw new Error(`cannot download ${url}: ${networkCause(error)}`, { cause: error });
  }
  if (!response.ok || response.body === null) {
    throw new Error(
      `cannot download ${url}: HTTP ${response.status} ${response.statusText}`.trim(),
    );
  }
  const total = Number(response.headers.get('content-length') ?? NaN);
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    // fetch unpacks `Content-Encoding: gzip` itself; a `.gz` file served as-is is unpacked later.
    const reader = response.body.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      // Node's types give fetch's body chunks as `any`; the Fetch standard says they are bytes.
      const chunk: unknown = next.value;
      if (!(chunk instanceof Uint8Array)) throw new TypeError('the response body is not bytes');
      chunks.push(chunk);
      received += chunk.length;
      progress.bytes(`downloading ${url}`, received, total);
    }
  } catch (error) {
    throw new Error(`cannot download ${url}: ${networkCause(error)}`, { cause: error });
  }
  progress.done(`downloaded ${url} (${megabytes(received)})`);
  const name = basename(new URL(url).pathname);
  return { label: url, bytes: Buffer.concat(chunks), ...namedFacts(name) };
}

/** MITRE's index of releases (`index.json` of attack-stix-data), the versions per domain. */
export async function listedVersions(
  baseUrl: string,
  progress: Progress,
): Promise<Record<AttackDomain, string[]>> {
  const url = `${baseUrl}/index.json`;
  const { bytes } = await download(url, progress);
  let index: unknown;
  try {
    index = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`${url} is not JSON; is ${baseUrl} a copy of MITRE's attack-stix-data?`);
  }
  const collections = (index as { collections?: unknown }).collections;
  const versions: Record<AttackDomain, string[]> = { enterprise: [], mobile: [], ics: [] };
  for (const collection of Array.isArray(collections) ? (collections as unknown[]) : []) {
    const { name, versions: listed } = (collection ?? {}) as { name?: unknown; versions?: unknown };
    const domain = attackDomains.find(
      (candidate) => typeof name === 'string' && name.toLowerCase().startsWith(candidate),
    );
    if (domain === undefined || !Array.isArray(listed)) continue;
    for (const entry of listed as unknown[]) {
      const version = (entry as { version?: unknown } | null)?.version;
      if (typeof version === 'string') versions[domain].push(version);
    }
  }
  if (versions.enterprise.length === 0) {
    throw new Error(`${url} lists no Enterprise ATT&CK versions`);
  }
  return versions;
}

/** Where MITRE's repository keeps a domain's bundle of a version. */
export function releaseUrl(baseUrl: string, domain: AttackDomain, version: string): string {
  return `${baseUrl}/${domain}-attack/${domain}-attack-${version}.json`;
}

/** Orders `18.1` after `9.0`. */
export function compareVersions(left: string, right: string): number {
  const a = left.split('.').map(Number);
  const b = right.split('.').map(Number);
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') {
    const known: Record<string, string> = {
      ENOTFOUND: 'host not found (offline?)',
      EAI_AGAIN: 'host not found (offline?)',
      ECONNREFUSED: 'connection refused',
      ECONNRESET: 'connection reset',
      ETIMEDOUT: 'timed out',
    };
    return known[cause.code] ?? cause.code;
  }
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  return error instanceof Error ? error.message : String(error);
}
