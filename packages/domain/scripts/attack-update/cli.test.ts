import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { attackDomains } from '../../src/attack/catalog-data.js';
import { decodeCatalogText } from '../../src/attack/catalog-text.js';
import type { AttackDomain } from '../../src/attack/types.js';
import {
  committedCatalogData,
  loadAttackBundle,
  type StixTestBundle,
  type StixTestObject,
} from '../../src/test-support/attack-data.js';
import { runAttackUpdate } from './cli.js';
import { committedDataDir, dataModulePath, readDataModule } from './data-module.js';

let work: string;
let out: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'd3soar-attack-update-'));
  out = join(work, 'out');
  mkdirSync(out);
  // The command rewrites a copy of the committed catalog, never the repository's own.
  for (const domain of attackDomains) {
    copyFileSync(dataModulePath(domain), dataModulePath(domain, out));
  }
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

async function update(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runAttackUpdate([...argv, '--out', out], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { status, stdout, stderr };
}

const written = (domain: AttackDomain) =>
  decodeCatalogText(readDataModule(dataModulePath(domain, out)) ?? '', domain);
const outFile = (domain: AttackDomain) => readFileSync(dataModulePath(domain, out), 'utf8');
const facts = (domain: AttackDomain, data = written(domain)) => ({
  version: data.version,
  tactics: data.tactics,
  techniques: data.techniques,
});

function writeBundle(name: string, bundle: StixTestBundle, gzip = false): string {
  const path = join(work, name);
  const json = Buffer.from(JSON.stringify(bundle));
  writeFileSync(path, gzip ? gzipSync(json) : json);
  return path;
}

/** The enterprise bundle of "v19.0", with one change of each kind the summary reports. */
function changedEnterprise(): StixTestBundle {
  const bundle = loadAttackBundle('enterprise');
  const techniqueNamed = (id: string) =>
    bundle.objects.find(
      (object) =>
        object.type === 'attack-pattern' && object.external_references?.[0]?.external_id === id,
    ) as StixTestObject;
  const renamed = techniqueNamed('T1001');
  const revoked = techniqueNamed('T1005');
  const deprecated = techniqueNamed('T1006');
  const objects = bundle.objects.map((object): StixTestObject => {
    if (object === renamed) return { ...object, name: 'Data Obfuscation, Renamed' };
    if (object === revoked) return { ...object, revoked: true };
    if (object === deprecated) return { ...object, x_mitre_deprecated: true };
    if (object.type === 'x-mitre-tactic' && object.x_mitre_shortname === 'defense-evasion') {
      return { ...object, name: 'Stealth' };
    }
    return object;
  });
  const added: StixTestObject = {
    type: 'attack-pattern',
    id: 'attack-pattern--00000000-0000-4000-a000-000000000001',
    name: 'Brand New Technique',
    external_references: [{ source_name: 'mitre-attack', external_id: 'T1999' }],
    kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }],
  };
  const replacement: StixTestObject = {
    type: 'relationship',
    id: 'relationship--00000000-0000-4000-a000-000000000002',
    relationship_type: 'revoked-by',
    source_ref: revoked.id,
    target_ref: added.id,
  };
  return { ...bundle, x_attack_version: '19.0', objects: [...objects, added, replacement] };
}

describe('pnpm attack:update --from <dir>', () => {
  it('rewrites every domain found, reporting no changes for the same data', async () => {
    const dir = join(work, 'bundles');
    mkdirSync(dir);
    for (const domain of attackDomains) {
      writeFileSync(
        join(dir, `${domain}-attack-18.1.json`),
        JSON.stringify(loadAttackBundle(domain)),
      );
    }
    const { status, stdout } = await update('--from', dir);
    expect(status).toBe(0);
    for (const domain of attackDomains) {
      expect(stdout).toContain(`${domain}: ATT&CK v18.1 → v18.1\n  no changes`);
      expect(facts(domain)).toEqual(facts(domain, committedCatalogData(domain)));
      expect(outFile(domain)).toContain(`"source":"${domain}-attack-18.1.json"`);
    }
  });

  it('lists tactics and techniques added, revoked (with the replacement), deprecated, renamed', async () => {
    const dir = join(work, 'bundles');
    mkdirSync(dir);
    writeFileSync(join(dir, 'enterprise-attack.json'), JSON.stringify(changedEnterprise()));
    const before = outFile('mobile');
    const { status, stdout } = await update('--from', dir);
    expect(status).toBe(0);
    expect(stdout).toContain('enterprise: ATT&CK v18.1 → v19.0');
    expect(stdout).toContain('tactics renamed (1): TA0005 "Defense Evasion" → "Stealth"');
    expect(stdout).toContain('techniques added (1): T1999 Brand New Technique');
    expect(stdout).toMatch(/techniques revoked \(1\): T1005 .* → T1999/);
    expect(stdout).toMatch(/techniques deprecated \(1\): T1006 /);
    expect(stdout).toContain(
      'techniques renamed (1): T1001 "Data Obfuscation" → "Data Obfuscation, Renamed"',
    );
    expect(written('enterprise').version).toBe('19.0');
    expect(written('enterprise').techniques.some(([id]) => id === 'T1999')).toBe(true);
    // A directory with only one domain leaves the others alone.
    expect(outFile('mobile')).toBe(before);
  });
});

describe('pnpm attack:update --from <file>', () => {
  it('reads a gzipped bundle and updates only its domain, each domain keeping its version', async () => {
    const ics = { ...loadAttackBundle('ics'), x_attack_version: '18.2' };
    const path = writeBundle('ics.json.gz', ics, true);
    const enterpriseBefore = outFile('enterprise');
    const { status, stdout, stderr } = await update('--from', path);
    expect(status).toBe(0);
    expect(stdout).toContain('ics: ATT&CK v18.1 → v18.2');
    expect(stderr).toContain('reading ATT&CK from ics.json.gz');
    expect(written('ics').version).toBe('18.2');
    expect(outFile('enterprise')).toBe(enterpriseBefore);
  });

  it('takes the version from the file name or --version when the bundle states none', async () => {
    const { x_attack_version: _version, ...unversioned } = loadAttackBundle('mobile');
    const named = writeBundle('mobile-attack-17.0.json', unversioned);
    expect((await update('--from', named)).status).toBe(0);
    expect(written('mobile').version).toBe('17.0');
    const anonymous = writeBundle('bundle.json', unversioned);
    const refused = await update('--from', anonymous);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      'bundle.json does not say which ATT&CK version it is; pass --version',
    );
    expect((await update('--from', anonymous, '--version', '16.1')).status).toBe(0);
    expect(written('mobile').version).toBe('16.1');
  });

  it.each([
    ['a truncated bundle', '{"type":"bundle","objects":[{"type":"x-mitre-tactic"', /is not JSON/],
    ['JSON that is not a bundle', '{"hello":"world"}', /is not an ATT&CK bundle: .*`objects`/],
    [
      'a bundle without ATT&CK',
      '{"type":"bundle","objects":[{"type":"malware","id":"malware--1"}]}',
      /is not an ATT&CK bundle/,
    ],
  ])('refuses %s in one line naming the file, and changes nothing', async (_, text, message) => {
    const path = join(work, 'enterprise-attack-18.1.json');
    writeFileSync(path, text);
    const before = attackDomains.map(outFile);
    const { status, stderr } = await update('--from', path);
    expect(status).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('enterprise-attack-18.1.json');
    const errorLines = stderr.split('\n').filter((line) => line.startsWith('attack:update:'));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain('The committed catalog is unchanged.');
    expect(attackDomains.map(outFile)).toEqual(before);
  });
});

describe('pnpm attack:update over HTTP', () => {
  let server: Server;
  let base: string;
  const routes = new Map<string, { body: Buffer; headers?: Record<string, string> }>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      const route = routes.get(request.url ?? '');
      if (route === undefined) {
        response.writeHead(404).end('not found');
        return;
      }
      response.writeHead(200, { 'content-length': route.body.length, ...route.headers });
      response.end(route.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => routes.clear());

  const json = (bundle: unknown) => Buffer.from(JSON.stringify(bundle));

  it('downloads a bundle served plain, as a .gz file, or with Content-Encoding: gzip', async () => {
    const bundle = { ...loadAttackBundle('enterprise'), x_attack_version: '18.2' };
    routes.set('/enterprise-attack.json', { body: json(bundle) });
    routes.set('/enterprise-attack.json.gz', { body: gzipSync(json(bundle)) });
    routes.set('/encoded/enterprise-attack.json', {
      body: gzipSync(json(bundle)),
      headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' },
    });
    for (const path of [
      '/enterprise-attack.json',
      '/enterprise-attack.json.gz',
      '/encoded/enterprise-attack.json',
    ]) {
      const { status, stdout, stderr } = await update('--from', `${base}${path}`);
      expect(status, stderr).toBe(0);
      expect(stdout).toContain('enterprise: ATT&CK');
      expect(stderr).toContain(`downloaded ${base}${path}`);
      expect(outFile('enterprise')).toContain(`"source":"${base}${path}"`);
      expect(facts('enterprise')).toEqual({
        ...facts('enterprise', committedCatalogData('enterprise')),
        version: '18.2',
      });
    }
  });

  it('with no --from, takes the latest version in index.json of the mirror and every domain', async () => {
    const index = {
      collections: attackDomains.map((domain) => ({
        name: `${domain === 'ics' ? 'ICS' : domain.charAt(0).toUpperCase() + domain.slice(1)} ATT&CK`,
        versions: ['9.0', '18.1', '19.0'].map((version) => ({
          version,
          url: `https://example.org/${domain}-attack/${domain}-attack-${version}.json`,
        })),
      })),
    };
    routes.set('/mirror/index.json', { body: json(index) });
    for (const domain of attackDomains) {
      routes.set(`/mirror/${domain}-attack/${domain}-attack-19.0.json`, {
        body: json({ ...loadAttackBundle(domain), x_attack_version: '19.0' }),
      });
    }
    const { status, stdout, stderr } = await update('--mirror', `${base}/mirror/`);
    expect(status, stderr).toBe(0);
    expect(stderr).toContain('latest ATT&CK');
    for (const domain of attackDomains) {
      expect(stdout).toContain(`${domain}: ATT&CK v18.1 → v19.0`);
      expect(written(domain).version).toBe('19.0');
    }
  });

  it('fails in one line on a missing file or an unreachable host, changing nothing', async () => {
    const before = attackDomains.map(outFile);
    const missing = await update('--from', `${base}/nothing-here.json`);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`cannot download ${base}/nothing-here.json: HTTP 404`);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await update('--from', `http://127.0.0.1:${port}/enterprise-attack.json`);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([
      `attack:update: cannot download http://127.0.0.1:${port}/enterprise-attack.json: connection refused. The committed catalog is unchanged.`,
    ]);
    expect(attackDomains.map(outFile)).toEqual(before);
  });
});

describe('the attack:update command line', () => {
  it('runs as a program: exit status 1 and one line on stderr for a bad input', async () => {
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
    const run = promisify(execFile);
    const error = await run(tsx, [cli, '--from', join(work, 'absent'), '--out', out]).catch(
      (failure: unknown) => failure,
    );
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr.trim()).toMatch(
      /^attack:update: \S+absent does not exist\./,
    );
    // Nothing was written into the repository's own catalog by this test file.
    expect(readDataModule(dataModulePath('enterprise', committedDataDir))).toContain(
      '"domain":"enterprise"',
    );
  });

  it('refuses unknown flags and --from with --mirror as usage errors', async () => {
    expect((await update('--form', 'x')).status).toBe(2);
    expect((await update('--from', 'x', '--mirror', 'http://127.0.0.1:1')).status).toBe(2);
    expect((await update('--version', 'latest')).status).toBe(2);
  });
});
