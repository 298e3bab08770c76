import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMockD3, mockDefaults, type MockD3 } from '@d3soar/mock-server';
import { navigatorLayerSchema } from '@d3soar/domain/attack';
import { Ajv2020 } from 'ajv/dist/2020.js';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repeatedPhrase } from './test-support/repeated-phrase.js';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(appDir, 'bin', 'd3soar-sample.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The parent's environment without any D3 configuration, so the embedded mock serves. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('D3_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Every line the CLI wrote to stderr during this file's runs: checked at the end. */
const stderrLines: string[] = [];
const collect = (stderr: string): void => {
  stderrLines.push(...stderr.split('\n').filter((line) => line.trim() !== ''));
};

/** Runs the built CLI as a user would, and reports its exit code and output. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: cleanEnv(env), cwd: appDir, timeout: 20_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        collect(stderr);
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs the CLI with `--json` and parses stdout, failing with stderr when it did not succeed. */
async function cliJson<T>(args: string[], env: Record<string, string> = {}): Promise<T> {
  const run = await cli([...args, '--json'], env);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

/** Runs `fn` in a new temporary folder, removed afterwards whatever happens. */
async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'd3soar-sample-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `count` distinct public IPv4 addresses starting `first.`: a large indicator list. */
const addresses = (count: number, first: number): string[] =>
  Array.from({ length: count }, (_, n) => `${first}.${n >> 16}.${(n >> 8) & 255}.${n & 255}`);

/** Checks a written layer against the layer format's fields we use. */
const validateLayer = new Ajv2020({ strict: true }).compile(navigatorLayerSchema);

/** An ATT&CK tactic name as its shortname (`Defense Evasion` → `defense-evasion`). */
const shortname = (name: string): string => name.toLowerCase().replace(/ /g, '-');

/** A stack frame line, as Node prints them under an uncaught error. */
const stackFrame = /^\s+at .+/m;

function expectUsageError(run: Run, ...mentions: string[]): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(stackFrame);
  for (const mention of mentions) expect(run.stderr).toContain(mention);
}

beforeAll(() => {
  if (!existsSync(join(appDir, 'dist', 'cli.js'))) {
    throw new Error('the CLI is not built: run `pnpm --filter @d3soar/sample run build` first');
  }
});

describe('--help', { timeout: 30_000 }, () => {
  it.each([
    ['tag-events', '--event <ids>'],
    ['save-artifacts', '--incident <number>'],
  ])('%s marks its required flags', async (command, flag) => {
    const run = await cli([command, '--help']);
    expect(run.code).toBe(0);
    const line = run.stdout.split('\n').find((candidate) => candidate.trim().startsWith(flag));
    expect(line).toContain('(required)');
    const optional = run.stdout.split('\n').find((candidate) => candidate.includes('--dry-run'));
    expect(optional).not.toContain('(required)');
  });
});

describe('demo', { timeout: 60_000, concurrent: true }, () => {
  it('runs the three commands against the embedded mock and exits 0', async () => {
    // Wide enough that no heading wraps.
    const run = await cli(['demo'], { COLUMNS: '200' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const sections = [
      '1. Tag events with tactics and techniques (SetEventTechniques)',
      '2. Save artifacts to an incident (SaveArtifactForIncident)',
      '3. Trigger the external action on a searched incident (TriggerIncidentExternalAction)',
    ];
    const positions = sections.map((section) => run.stdout.indexOf(section));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(run.stdout).toContain('embedded mock D3');
  });

  it.each(['80', '100'])('fits every line it prints into COLUMNS=%s', async (columns) => {
    const run = await cli(['demo'], { COLUMNS: columns });
    expect(run.code).toBe(0);
    const lines = `${run.stdout}${run.stderr}`.split('\n');
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.filter((line) => line.length > Number(columns))).toEqual([]);
  });

  it('prints one JSON document whose parts agree with each other', async () => {
    const report = await cliJson<DemoJson>(['demo']);
    const tagging = report.tagEvents;

    // Every event came back with exactly the pairs the local pairing predicted.
    expect(tagging.events.map((event) => event.eventId)).toEqual(tagging.eventIds);
    const predicted = tagging.pairs.map((pair) => `${pair.tactic}|${pair.technique}`).sort();
    for (const event of tagging.events) {
      expect(event.pairs.map((pair) => `${pair.tactic}|${pair.technique}`).sort()).toEqual(
        predicted,
      );
    }
    // A revoked ID was followed to a live technique that is not itself in the chain.
    const revoked = tagging.resolved.techniques.find((t) => t.replaces.length > 0);
    expect(revoked).toBeDefined();
    expect(revoked?.replaces[0]?.id).toBe(revoked?.input);
    expect(revoked?.replaces.map((r) => r.id)).not.toContain(revoked?.id);
    // Unpaired techniques are warned about, and none of their IDs appear in the pairs.
    expect(tagging.unpaired.length).toBeGreaterThan(0);
    for (const technique of tagging.unpaired) {
      expect(
        tagging.warnings.some(
          (warning) =>
            warning.code === 'unpaired-technique' && warning.message.includes(technique.id),
        ),
      ).toBe(true);
      expect(tagging.pairs.some((pair) => pair.techniqueId === technique.id)).toBe(false);
    }
    expect(tagging.typoRejected.message).toContain(tagging.typoRejected.input);
    expect(tagging.typoRejected.suggestions.length).toBeGreaterThan(0);

    // Artifacts: one answer per input; the second save of the same identities updates them all.
    const { first, second } = report.saveArtifacts;
    expect(first.saved).toHaveLength(first.artifacts.length);
    expect(second.saved).toHaveLength(second.artifacts.length);
    expect(second.saved.every((saved) => saved.updateOrAdd === 'Update')).toBe(true);
    expect(first.artifacts.some((artifact) => artifact.valueType)).toBe(true);
    expect(first.artifacts.some((artifact) => !artifact.valueType)).toBe(true);

    // Trigger: D3 acted on the oldest matching incident and each playbook ran once with our data.
    const trig = report.trigger;
    expect(trig.searchConditions).toHaveProperty('Severity');
    expect(trig.result.incidentNumber).toBe(trig.matchingIncidents[0]?.number);
    expect(trig.recordedRuns.map((run) => run.runtimeId).sort()).toEqual(
      trig.result.playbooks.map((playbook) => playbook.runtimeId).sort(),
    );
    for (const run of trig.recordedRuns) expect(run.triggerData).toEqual(trig.triggerData);
  });
});

describe('commands against the embedded mock', { timeout: 60_000, concurrent: true }, () => {
  it('tag-events tags the given events with the resolved pairs', async () => {
    const report = await cliJson<TagJson>([
      'tag-events',
      '--event',
      '60250,60251',
      '--event',
      '60252',
      '--tactic',
      'TA0001',
      '--tactic',
      'Persistence',
      '--technique',
      'Valid Accounts: Cloud Accounts',
      '--technique',
      't1205.001',
    ]);
    expect(report.dryRun).toBe(false);
    expect(report.eventIds).toEqual([60250, 60251, 60252]);
    expect(report.events.map((event) => event.eventId)).toEqual(report.eventIds);
    expect(report.send.tactics).toEqual(report.resolved.tactics.map((tactic) => tactic.name));
    expect(report.send.techniques).toEqual(report.resolved.techniques.map((t) => t.d3Name));
    for (const event of report.events) {
      expect(event.pairs.map((pair) => pair.technique).sort()).toEqual(
        report.pairs.map((pair) => pair.technique).sort(),
      );
    }
  });

  it('tag-events reports the batches D3 refused, keeps the rest, and exits 1', async () => {
    const unknown = Array.from({ length: 500 }, (_, index) => index + 1);
    const known = [60250, 60251];
    const run = await cli([
      'tag-events',
      '--event',
      `1-500,${known.join(',')}`,
      '--technique',
      'T1569',
      '--json',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`${unknown.length} of ${unknown.length + known.length} events`);
    const report = JSON.parse(run.stdout) as TagJson & {
      failedBatches: { eventIds: number[]; error: string }[];
    };
    expect(report.failedBatches.flatMap((batch) => batch.eventIds)).toEqual(unknown);
    expect(report.events.map((event) => event.eventId)).toEqual(known);
  });

  it('tag-events --as id sends ATT&CK IDs', async () => {
    const report = await cliJson<TagJson>([
      'tag-events',
      '--event',
      '60250',
      '--tactic',
      'Execution',
      '--technique',
      'System Services',
      '--as',
      'id',
      '--dry-run',
    ]);
    expect(report.send.tactics).toEqual(report.resolved.tactics.map((tactic) => tactic.id));
    expect(report.send.techniques).toEqual(report.resolved.techniques.map((t) => t.id));
  });

  it('save-artifacts saves field objects from a file and bare values, with detected types', async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, 'artifacts.json');
      const fields = [
        { UserName: 'svc-backup' },
        { URL: 'https://example.org/a', Reputation: 'Low' },
      ];
      await writeFile(file, JSON.stringify(fields));
      const values = ['8.8.4.4', 'd41d8cd98f00b204e9800998ecf8427e'];
      const args = ['save-artifacts', '--incident', '20220114-11', '--file', file];
      for (const value of values) args.push('--value', value);
      const report = await cliJson<SaveJson>(args);
      expect(report.artifacts.map((artifact) => artifact.input)).toEqual([...fields, ...values]);
      expect(report.saved).toHaveLength(fields.length + values.length);
      // Bare values were classified; field objects were not.
      expect(report.artifacts.map((artifact) => artifact.valueType !== undefined)).toEqual([
        false,
        false,
        true,
        true,
      ]);
      report.artifacts.forEach((artifact, index) => {
        expect(report.saved[index]?.name).toBe(artifact.identity.value);
      });
    });
  });

  it('save-artifacts sends 30,000 indicators from a file in batches, as its dry run said', async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, 'indicators.json');
      const values = addresses(30_000, 11);
      await writeFile(file, JSON.stringify(values));
      const args = ['save-artifacts', '--incident', '20220114-11', '--file', file];
      const dry = await cliJson<SaveJson>([...args, '--dry-run']);
      const real = await cliJson<SaveJson>(args);
      expect(dry.batches).toBe(60);
      expect(real.batches).toBe(dry.batches);
      expect(real.saved).toHaveLength(values.length);
      expect(real.failedBatches).toBeUndefined();
    });
  });

  it('tag-events --navigator-layer writes a layer listing each tagged technique under its tactic', async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, 'out.json');
      const args = ['tag-events', '--event', '60250-60252', '--tactic', 'TA0003'];
      args.push('--tactic', 'Execution', '--technique', 'T1078.004', '--technique', 'T1569');
      const report = await cliJson<TagJson>([...args, '--navigator-layer', file]);
      const layer = JSON.parse(await readFile(file, 'utf8')) as {
        techniques: { techniqueID: string; tactic: string; score: number }[];
      };
      expect(validateLayer(layer)).toBe(true);
      const cells = layer.techniques.map((cell) => [cell.techniqueID, cell.tactic, cell.score]);
      // Each pair D3 stored, on every one of the three events.
      expect(cells.sort()).toEqual(
        report.pairs.map((pair) => [pair.techniqueId, shortname(pair.tactic), 3]).sort(),
      );
      expect(cells).toContainEqual(['T1569', 'execution', 3]);
    });
  });

  it('tag-events --navigator-layer into a folder that does not exist fails before sending', async () => {
    const run = await cli([
      'tag-events',
      '--event',
      '60250',
      '--technique',
      'T1569',
      '--navigator-layer',
      join(tmpdir(), 'no-such-folder-d3soar', 'out.json'),
    ]);
    expectUsageError(run, '--navigator-layer', 'does not exist');
  });

  it('save-artifacts reads a text file, leaving out a line it cannot read by its number', async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, 'iocs.txt');
      await writeFile(
        file,
        '# indicators from the report\n8.8.4.4\nnot an indicator\nevil-example[.]com\n',
      );
      const args = ['save-artifacts', '--incident', '20220114-11', '--file', file];
      const run = await cli(args);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/^warning: iocs\.txt line 3: .*not an indicator.*left out$/m);
      const report = await cli([...args, '--json']);
      const json = JSON.parse(report.stdout) as SaveJson & { skipped: { source: string }[] };
      expect(json.artifacts.map((artifact) => artifact.input)).toEqual([
        '8.8.4.4',
        'evil-example[.]com',
      ]);
      expect(json.skipped.map((line) => line.source)).toEqual(['iocs.txt line 3']);
      const strict = await cli([...args, '--strict']);
      expectUsageError(strict, '--strict', 'iocs.txt line 3');
    });
  });

  it('save-artifacts says a file holds no artifacts, rather than asking for one', async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, 'empty.json');
      await writeFile(file, '[]');
      const run = await cli(['save-artifacts', '--incident', '20220114-11', '--file', file]);
      expectUsageError(run, `--file: '${file}' holds no artifacts`);
    });
  });

  it("a trigger dry run names the embedded mock's limit on $regex searches, and only for it", async () => {
    const args = ['trigger', '--title-regex', '^Incident', '--dry-run', '--json'];
    const embedded = await cliJson<{ embeddedMockLimits?: string[] }>(args);
    expect(embedded.embeddedMockLimits?.join()).toMatch(/\$regex may take at most \d+ ms/);
    const remote = await cliJson<{ embeddedMockLimits?: string[] }>([
      ...args,
      '--base-url',
      'https://d3.example.invalid/MainApp/VSOC',
    ]);
    expect(remote.embeddedMockLimits).toBeUndefined();
  });

  it('shows JSON in a narrow terminal exactly as it is sent: no wrapping, spacing kept', async () => {
    const value = 'keep   the   spacing of this value, which is longer than the terminal';
    const run = await cli(
      ['trigger', '--where', 'Status=Open', '--data', `note=${value}`, '--dry-run'],
      {
        COLUMNS: '40',
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`  "note": ${JSON.stringify(value)}\n`);
  });

  it('trigger builds the conditions from the flags and reports the playbooks run', async () => {
    const report = await cliJson<TriggerJson>([
      'trigger',
      '--where',
      'Severity=Critical',
      '--where',
      'Severity=High',
      '--since',
      '2023-09-01',
      '--until',
      '2023-09-21T00:00:00Z',
      '--title-regex',
      '/^incident title/i',
      '--data',
      'Ticket=SOC-1',
      '--data',
      'Note=a=b',
    ]);
    expect(report.searchConditions).toEqual({
      Severity: { $in: ['Critical', 'High'] },
      // --since and --until are the vendor's exclusive $gt and $lt.
      CreatedUtcTime: {
        $gt: { $date: '2023-09-01T00:00:00Z' },
        $lt: { $date: '2023-09-21T00:00:00Z' },
      },
      Title: { $regex: '^incident title', $options: 'i' },
    });
    // `/…/i` asked for $options, an extension: the report says so.
    expect(report.warnings).toEqual([
      expect.objectContaining({ code: 'extension-operator', path: 'where.Title.$options' }),
    ]);
    expect(report.triggerData).toEqual({ Ticket: 'SOC-1', Note: 'a=b' });
    expect(report.result.playbooks.length).toBeGreaterThan(0);
    expect(report.result.incidentNumber).not.toBe('');
  });
});

describe('warnings', { timeout: 60_000, concurrent: true }, () => {
  it('shows them on stderr beside a table, and sends all the same', async () => {
    // T1569 is in no requested tactic: D3 stores nothing for it, which is worth saying.
    const warned = await cli([
      'tag-events',
      '--event',
      '60250',
      '--tactic',
      'Initial Access',
      '--technique',
      'T1569',
    ]);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/^warning: --technique 'T1569': .*\(unpaired-technique\)$/m);
    expect(warned.stdout).not.toContain('warning:');
    expect(warned.stdout).toContain('D3 answered: 1 event(s) tagged');
  });

  it('with --strict, stops before sending: exit 2, one line naming each warning', async () => {
    const run = await cli([
      'trigger',
      '--where',
      'Severity=High',
      '--title-regex',
      '/phish/i',
      '--strict',
    ]);
    expectUsageError(run, '--strict', '--title-regex: ', 'extension-operator');
    // Without a warning, --strict changes nothing.
    const clean = await cli(['trigger', '--where', 'Severity=High', '--strict', '--dry-run']);
    expect(clean.code).toBe(0);
  });
});

describe('bad input', { timeout: 60_000, concurrent: true }, () => {
  it('refuses a --redis-url that is not redis:// without repeating it', async () => {
    const run = await cli(
      [
        'tag-events',
        '--event',
        '60250',
        '--technique',
        'T1569',
        '--redis-url',
        'http://:pw-4711@cache',
      ],
      {
        D3_BASE_URL: 'https://d3.example.invalid/MainApp/VSOC',
        D3_USERNAME: 'a',
        D3_SITE: 's',
        D3_API_KEY: 'k-1234567890',
      },
    );
    expectUsageError(run, '--redis-url', 'redis://');
    expect(run.stderr).not.toContain('pw-4711');
  });

  it('names an unknown technique and suggests the closest one, without a stack trace', async () => {
    const run = await cli(['tag-events', '--event', '60250', '--technique', 'Powershel']);
    expectUsageError(run, 'Powershel', 'PowerShell');
    expect(run.stderr).toMatch(/did you mean/i);
  });

  it('refuses an event ID that is not an integer', async () => {
    const run = await cli(['tag-events', '--event', '60250,12a', '--technique', 'T1569']);
    expectUsageError(run, '--event', "'12a'");
  });

  it('refuses a malformed --since', async () => {
    const run = await cli(['trigger', '--where', 'Status=Open', '--since', 'last tuesday']);
    expectUsageError(run, '--since', "'last tuesday'");
  });

  it('reports a missing required flag', async () => {
    const run = await cli(['save-artifacts', '--value', '8.8.8.8']);
    expectUsageError(run, '--incident');
  });

  it('refuses a trigger without any search condition', async () => {
    const run = await cli(['trigger', '--data', 'a=b']);
    expectUsageError(run, '--where');
  });

  it('names an indicator it cannot classify', async () => {
    const run = await cli(['save-artifacts', '--incident', '20220114-11', '--value', '!!!']);
    expectUsageError(run, '!!!');
  });

  it('refuses an unknown command with exit code 2 and one line on stderr', async () => {
    const run = await cli(['tag-event', '--event', '60250']);
    expectUsageError(run, "unknown command 'tag-event'");
  });

  it('refuses plain http to a remote host and names the flag that would allow it', async () => {
    const run = await cli(['trigger', '--where', 'Status=Open'], {
      D3_BASE_URL: 'http://d3.example.invalid/MainApp/VSOC',
      D3_USERNAME: 'Admin',
      D3_SITE: 'Security Operations',
      D3_API_KEY: 'not-used-key',
    });
    expectUsageError(run, '--allow-insecure-http');
    expect(run.stderr).not.toContain('allowInsecureHttp');
  });

  it('asks for the rest of the configuration when only D3_BASE_URL is set', async () => {
    const run = await cli(['trigger', '--where', 'Status=Open'], {
      D3_BASE_URL: 'https://d3.example.invalid/MainApp/VSOC',
    });
    expectUsageError(run, 'D3_USERNAME', 'D3_SITE', 'D3_API_KEY');
  });
});

describe('against a D3 over HTTP', { timeout: 30_000 }, () => {
  let mock: MockD3;
  let env: Record<string, string>;

  beforeAll(async () => {
    mock = createMockD3();
    const baseUrl = await mock.listen({ port: 0 });
    env = {
      D3_BASE_URL: baseUrl,
      D3_USERNAME: 'Admin',
      D3_SITE: mock.state.sites[0] ?? '',
      D3_API_KEY: mockDefaults.apiKey,
    };
  });

  afterAll(async () => {
    await mock.close();
  });

  it('--dry-run previews each command and sends nothing', async () => {
    const before = { ...mock.state.requests };
    const tag = await cliJson<TagJson>(
      ['tag-events', '--event', '60250', '--technique', 'T1569', '--dry-run'],
      env,
    );
    const save = await cliJson<SaveJson>(
      ['save-artifacts', '--incident', '20220114-11', '--value', '8.8.8.8', '--dry-run'],
      env,
    );
    const trig = await cliJson<TriggerJson>(
      ['trigger', '--where', 'Status=Open', '--data', 'k=v', '--dry-run'],
      env,
    );
    expect(mock.state.requests).toEqual(before);
    expect([tag.dryRun, save.dryRun, trig.dryRun]).toEqual([true, true, true]);
    expect(tag.events).toBeUndefined();
    expect(tag.send.techniques).toEqual([tag.resolved.techniques[0]?.d3Name]);
    expect(save.saved).toBeUndefined();
    expect(save.artifacts[0]?.valueType?.type).toBeDefined();
    expect(trig.result).toBeUndefined();
    expect(trig.searchConditions).toEqual({ Status: 'Open' });
  });

  it('sends through the configured URL and credentials when not a dry run', async () => {
    const before = mock.state.playbookRuns.length;
    const report = await cliJson<TriggerJson>(
      ['trigger', '--where', 'Severity=Critical', '--data', 'From=cli-test'],
      env,
    );
    const runs = mock.state.playbookRuns.slice(before);
    expect(runs.map((run) => run.RuntimeId).sort()).toEqual(
      report.result.playbooks.map((playbook) => playbook.runtimeId).sort(),
    );
    expect(runs.every((run) => run.Incident.Number === report.result.incidentNumber)).toBe(true);
  });

  it('authenticates with a JWT secret instead of an API key', async () => {
    const jwtEnv: Record<string, string> = { ...env, D3_JWT_SECRET: mockDefaults.jwtSecret };
    delete jwtEnv.D3_API_KEY;
    const report = await cliJson<TagJson>(
      ['tag-events', '--event', '60250', '--tactic', 'Execution', '--technique', 'T1569'],
      jwtEnv,
    );
    expect(report.events.map((event) => event.eventId)).toEqual([60250]);
  });

  it.each([
    ['a 400', { type: 'status', status: 400 }, /D3 rejected the request \(400\)/],
    ['a 429', { type: 'status', status: 429, retryAfterSeconds: 1 }, /\(429\).*wait 1 s/],
    ['a 500', { type: 'status', status: 500 }, /D3 answered 500.*outcome is unknown/],
    ['a command failure', { type: 'command-error', message: 'Busy.' }, /command failed: Busy/],
    ['a proxy page', { type: 'html', status: 502 }, /D3 answered 502 after 3 attempts/],
  ] as const)(
    'reports %s from D3 in one line that says each thing once',
    async (_, fault, says) => {
      mock.inject('*', fault, { times: 3 });
      try {
        const run = await cli(
          ['save-artifacts', '--incident', '20220114-11', '--value', '8.8.8.8'],
          env,
        );
        expect(run.code).toBe(1);
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
        expect(run.stderr).toMatch(says);
        expect(repeatedPhrase(run.stderr)).toBeUndefined();
      } finally {
        mock.clearFaults();
      }
    },
  );

  it('reports a rejected API key in one line without echoing the key', async () => {
    const key = 'wrong-key-7f3a9c';
    const run = await cli(['trigger', '--where', 'Status=Open'], { ...env, D3_API_KEY: key });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('D3 refused the credentials (401)');
    expect(run.stderr).toContain('check the API key');
    expect(run.stderr + run.stdout).not.toContain(key);
    expect(run.stderr).not.toMatch(stackFrame);
  });
});

describe('a D3 whose TLS certificate cannot be trusted', { timeout: 60_000 }, () => {
  /** An HTTPS server on loopback with a certificate valid from `from` to `to` (days from now). */
  async function tlsServer(from: number, to: number) {
    const day = 86_400_000;
    const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
      notBeforeDate: new Date(Date.now() + from * day),
      notAfterDate: new Date(Date.now() + to * day),
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const stats = { connections: 0, requests: 0 };
    const server = createServer({ key: pems.private, cert: pems.cert }, (_, response) => {
      stats.requests++;
      response.end('{}');
    });
    server.on('connection', () => stats.connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const dir = await mkdtemp(join(tmpdir(), 'd3soar-tls-'));
    const ca = join(dir, 'ca.pem');
    await writeFile(ca, pems.cert);
    return {
      stats,
      ca,
      baseUrl: `https://127.0.0.1:${port}/MainApp/VSOC`,
      close: async () => {
        server.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }

  it.each([
    ['expired', -30, -1, true, /TLS: certificate has expired \(CERT_HAS_EXPIRED\)/],
    ['self-signed', -1, 30, false, /TLS: self[- ]signed certificate/],
  ] as const)(
    'says the %s certificate refused the connection, nothing sent, without retrying',
    async (_, from, to, trusted, says) => {
      const server = await tlsServer(from, to);
      try {
        const run = await cli(['trigger', '--where', 'Status=Open', '--base-url', server.baseUrl], {
          D3_API_KEY: 'tls-test-key',
          D3_USERNAME: 'Admin',
          D3_SITE: 'Security Operations',
          ...(trusted ? { NODE_EXTRA_CA_CERTS: server.ca } : {}),
        });
        expect(run.code).toBe(1);
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
        expect(run.stderr).toMatch(says);
        expect(run.stderr).toContain('nothing was sent');
        expect(run.stderr).not.toContain('outcome is unknown');
        expect(server.stats).toEqual({ connections: 1, requests: 0 });
      } finally {
        await server.close();
      }
    },
  );
});

// The JSON shapes the tests read (a subset of what the CLI prints).
interface TagJson {
  dryRun: boolean;
  eventIds: number[];
  resolved: {
    tactics: { input: string; id: string; name: string }[];
    techniques: { input: string; id: string; d3Name: string; replaces: { id: string }[] }[];
  };
  send: { tactics: string[]; techniques: string[] };
  pairs: { tactic: string; technique: string; techniqueId: string }[];
  unpaired: { id: string }[];
  warnings: { code: string; path: string; message: string }[];
  events: { eventId: number; pairs: { tactic: string; technique: string }[] }[];
}

interface SaveJson {
  dryRun: boolean;
  artifacts: {
    input: unknown;
    valueType?: { type: string };
    detectedType: string;
    identity: { field: string; value: string };
  }[];
  saved: { type: string; name: string; updateOrAdd: string }[];
  batches: number;
  failedBatches?: unknown[];
}

interface TriggerJson {
  dryRun: boolean;
  searchConditions: Record<string, unknown>;
  triggerData: Record<string, string>;
  warnings: { code: string; path: string; message: string }[];
  result: { incidentNumber: string; playbooks: { runtimeId: number; name: string }[] };
}

interface DemoJson {
  tagEvents: TagJson & {
    typoRejected: { input: string; message: string; suggestions: string[] };
  };
  saveArtifacts: { first: SaveJson; second: SaveJson };
  trigger: TriggerJson & {
    matchingIncidents: { number: string }[];
    recordedRuns: { runtimeId: number; triggerData: unknown }[];
  };
}

describe('a dry run and the real run against the embedded mock', { timeout: 120_000 }, () => {
  let dir: string;
  let big: string;
  let privateAddress: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'd3soar-verdicts-'));
    privateAddress = join(dir, 'private.json');
    await writeFile(privateAddress, JSON.stringify([{ External_IPAddress: '10.1.2.3' }]));
    big = join(dir, 'big.txt');
    const lines = addresses(30_000, 12);
    await writeFile(big, `# 30,000 addresses, over 1 MiB in one request\n${lines.join('\n')}\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const tag = ['tag-events', '--event', '60250'];
  const save = ['save-artifacts', '--incident', '20220114-11'];
  it.each([
    ['valid: tag', [...tag, '--technique', 'T1569'], 0],
    ['warned: an unpaired technique', [...tag, '--tactic', 'TA0001', '--technique', 'T1569'], 0],
    [
      'refused under --strict: an unpaired technique',
      [...tag, '--tactic', 'TA0001', '--technique', 'T1569', '--strict'],
      2,
    ],
    ['refused: an unknown technique', [...tag, '--technique', 'T9999'], 2],
    ['valid: save', [...save, '--value', '8.8.8.8'], 0],
    ['warned: an address outside its field', () => [...save, '--file', privateAddress], 0],
    ['refused: no indicator', [...save, '--value', 'foo bar'], 2],
    ['oversized: 30,000 indicators', () => [...save, '--file', big], 0],
    ['valid: trigger', ['trigger', '--where', 'Severity=Critical'], 0],
    ['warned: a vendor-undocumented operator', ['trigger', '--title-regex', '/^incident/i'], 0],
    ['refused: a pattern that is no regex', ['trigger', '--title-regex', '(unclosed'], 2],
  ] as const)('agree on %s', async (name, given, expected) => {
    const args = typeof given === 'function' ? given() : [...given];
    const dry = await cli([...args, '--dry-run']);
    const real = await cli(args);
    expect({ dry: dry.code, real: real.code }).toEqual({ dry: expected, real: expected });
    // What the dry run warned about is what the real run warned about.
    const warnings = (run: Run) =>
      run.stderr.split('\n').filter((line) => line.startsWith('warning:'));
    expect(warnings(dry)).toEqual(warnings(real));
    expect(warnings(dry).length > 0).toBe(name.startsWith('warned'));
    if (expected === 0) expect(dry.stdout).toMatch(/only D3 can check/);
  });
});

describe('output into a pipe that closes early', { timeout: 60_000 }, () => {
  let dir: string;
  let bigFile: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'd3soar-pipe-'));
    bigFile = join(dir, 'indicators.txt');
    const lines = addresses(20_000, 13);
    await writeFile(bigFile, lines.join('\n'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs the CLI with stdout going into a reader that takes one line and closes, like `head -1`. */
  function headOne(args: string[]): Promise<Run & { firstLine: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { env: cleanEnv(), cwd: appDir });
      let firstLine = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        firstLine ||= chunk.toString().split('\n')[0] ?? '';
        child.stdout.destroy();
      });
      child.on('close', (code) => {
        collect(stderr);
        resolve({ code: code ?? -1, stdout: '', stderr, firstLine });
      });
    });
  }

  it.each([
    ['demo', ['demo']],
    [
      'tag-events',
      ['tag-events', '--event', '1-100000', '--technique', 'T1569', '--dry-run', '--json'],
    ],
    ['save-artifacts', () => ['save-artifacts', '--incident', '20220114-11', '--file', bigFile]],
    [
      'save-artifacts --json',
      () => ['save-artifacts', '--incident', '20220114-11', '--file', bigFile, '--json'],
    ],
    ['trigger', ['trigger', '--where', 'Severity=Critical', '--dry-run', '--json']],
    ['--help', ['--help']],
  ] as const)('%s ends with exit 0 and no stack trace or EPIPE text', async (_, given) => {
    const run = await headOne(typeof given === 'function' ? given() : [...given]);
    expect(run.firstLine.length).toBeGreaterThan(0);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(stackFrame);
    expect(run.stderr).not.toMatch(/EPIPE/);
  });
});

// Last in the file: it reads what every run above wrote.
describe('every message the runs above wrote to stderr', () => {
  it('says each thing once: no phrase or status repeated within a line', () => {
    expect(stderrLines.filter((line) => line.startsWith('error: ')).length).toBeGreaterThan(10);
    const repeated = stderrLines
      .map((line) => ({ line, phrase: repeatedPhrase(line) }))
      .filter(({ phrase }) => phrase !== undefined);
    expect(repeated).toEqual([]);
  });
});
