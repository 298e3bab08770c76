import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli, startFromCli } from './cli.js';
import { defaultSeed } from './default-seed.js';
import { createContractChecker } from './test-support/contract-checker.js';
import { commandUrl, envelope, post } from './test-support/requests.js';

const contract = createContractChecker();
const checkedFetch = contract.checked(globalThis.fetch);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'd3soar-mock-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('parseCli', () => {
  it('uses the documented defaults', async () => {
    const config = await parseCli([]);
    expect(config).toMatchObject({
      port: 4010,
      host: '127.0.0.1',
      namespace: 'MainApp/VSOC',
      apiKey: 'mock-api-key',
      jwtSecret: 'mock-jwt-secret',
      options: { rateLimit: { requestsPerSecond: 50 } },
    });
  });

  it('returns null for --help', async () => {
    expect(await parseCli(['--help'])).toBeNull();
  });

  it('names the flag of a bad value, an unreadable file or a bad seed', async () => {
    await expect(parseCli(['--port', 'http'])).rejects.toThrow(/--port/);
    await expect(parseCli(['--port', '99999'])).rejects.toThrow(
      '--port must be a port number from 0 to 65535, got "99999"',
    );
    await expect(parseCli(['--port', '65535'])).resolves.toMatchObject({ port: 65535 });
    await expect(parseCli(['--search-deadline-ms', '0'])).rejects.toThrow(/--search-deadline-ms/);
    await expect(parseCli(['--rate-limit-scope', 'credential'])).resolves.toMatchObject({
      options: { rateLimit: { scope: 'credential' } },
    });
    await expect(parseCli(['--rate-limit-scope', 'site'])).rejects.toThrow(
      '--rate-limit-scope must be installation or credential',
    );
    await expect(parseCli(['--search-deadline-ms', '250'])).resolves.toMatchObject({
      options: { searchDeadlineMs: 250 },
    });
    await expect(parseCli(['--seed', join(dir, 'missing.json')])).rejects.toThrow(/--seed/);
    await expect(parseCli(['--faults', await file('bad.json', '{')])).rejects.toThrow(
      /--faults.*JSON/,
    );
    const seed = structuredClone(defaultSeed) as unknown as {
      incidents: Record<string, unknown>[];
    };
    seed.incidents[0]!['Number'] = '';
    await expect(parseCli(['--seed', await file('seed.json', seed)])).rejects.toThrow(
      /seed\.incidents\[0\]\.Number/,
    );
    await expect(parseCli(['--unknown'])).rejects.toThrow(/unknown/);
  });

  it('serves a --seed data set with --faults rules and --rate-limit 0', async () => {
    const seed = {
      sites: ['Lab'],
      events: [
        {
          EventId: 1,
          Site: 'Lab',
          EventName: 'e',
          DataSource: 'd',
          Severity: 'Low',
          CreatedUtcTime: '2024-01-01T00:00:00Z',
        },
      ],
      incidents: [],
      playbooks: [],
    };
    const faults = [
      { command: 'SetEventTechniques', fault: { type: 'status', status: 503 }, times: 1 },
    ];
    const config = await parseCli([
      '--port',
      '0',
      '--seed',
      await file('lab.json', seed),
      '--faults',
      await file('faults.json', faults),
      '--rate-limit',
      '0',
      '--api-key',
      'lab-key',
    ]);
    const { mock, banner } = await startFromCli(config!);
    try {
      const base = /listening on (\S+)/.exec(banner)![1]!;
      expect(banner).toContain('lab-key');
      expect(banner).toContain('mock-jwt-secret');
      const url = commandUrl('SetEventTechniques', base);
      const body = envelope({ 'Event IDs': [1], Techniques: ['T1569'] }, { Site: 'Lab' });
      expect((await checkedFetch(url, post(body, { d3key: 'lab-key' }))).status).toBe(503);
      expect((await checkedFetch(url, post(body, { d3key: 'lab-key' }))).status).toBe(200);
      contract.expectNoViolations();
      expect(mock.state.events[0]!.Techniques).toHaveLength(1);
    } finally {
      await mock.close();
    }
  });
});

describe('the d3soar-mock command', () => {
  it('prints the base URL, API key and JWT secret, serves, and stops on SIGTERM', async () => {
    const bin = join(dirname(fileURLToPath(import.meta.url)), 'bin.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', bin, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const base = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (\S+)/.exec(output);
        if (match !== null && output.includes('Stop with')) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/MainApp\/VSOC$/);
    expect(output).toContain('mock-api-key');
    expect(output).toContain('mock-jwt-secret');
    const response = await checkedFetch(
      commandUrl('TriggerIncidentExternalAction', base),
      post(envelope({ 'Search Conditions': { Number: '20230413-123' }, 'Trigger Data': {} })),
    );
    expect(response.status).toBe(200);
    contract.expectNoViolations();
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 20_000);
});
