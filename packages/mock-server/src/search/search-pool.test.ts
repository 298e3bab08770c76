import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

import { createMockD3 } from '../create-mock.js';
import { createContractChecker } from '../test-support/contract-checker.js';
import { envelope } from '../test-support/requests.js';
import type { MockD3 } from '../types.js';
import { createSearchPool, type SearchPool } from './search-pool.js';

const catastrophic = { Title: { $regex: '^(a+)+$' } };
const longTitle = { Title: `${'a'.repeat(5_000)}!` };
const pools: SearchPool[] = [];
const pool = (size: number) => {
  const created = createSearchPool(size);
  pools.push(created);
  return created;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((created) => created.close()));
});

describe('the search pool', () => {
  it('finds the first incident the conditions match, in the order given', async () => {
    const outcome = await pool(1).first(
      { Title: { $regex: '(?<=x)y' } },
      [{ Title: 'ay' }, { Title: 'xy' }, { Title: 'xyz' }],
      performance.now() + 5_000,
    );
    expect(outcome).toEqual({ kind: 'found', index: 1 });
  });

  it('ends a search at its deadline by stopping its worker, and serves the next one', async () => {
    const searches = pool(1);
    const started = performance.now();
    const late = await searches.first(catastrophic, [longTitle], started + 200);
    expect(late).toEqual({ kind: 'deadline' });
    const next = await searches.first(
      { Title: { $regex: '!$' } },
      [longTitle],
      performance.now() + 5_000,
    );
    expect(next).toEqual({ kind: 'found', index: 0 });
  });

  it('counts the deadline from arrival: a search queued past it is answered without running', async () => {
    const searches = pool(1);
    const now = performance.now();
    const [first, queued] = await Promise.all([
      searches.first(catastrophic, [longTitle], now + 300),
      searches.first({ Title: 'x' }, [{ Title: 'x' }], now + 100),
    ]);
    expect(first).toEqual({ kind: 'deadline' });
    expect(queued).toEqual({ kind: 'deadline' });
  });

  it('refuses, saying why, a pattern JavaScript cannot run', async () => {
    const outcome = await pool(1).first(
      { Title: { $regex: '(?i)x' } },
      [],
      performance.now() + 5_000,
    );
    expect(outcome.kind).toBe('refused');
    expect(outcome.kind === 'refused' ? outcome.message : '').toContain("D3's own engine may");
  });

  it('answers pending searches on close, and never keeps a process alive', async () => {
    const searches = pool(1);
    const pending = searches.first(catastrophic, [longTitle], performance.now() + 60_000);
    await searches.close();
    await expect(pending).resolves.toEqual({ kind: 'deadline' });
    // A program that ran a search and never closed the mock still ends by itself.
    const script = `
      import { createMockD3 } from '@d3soar/mock-server';
      const mock = createMockD3();
      const answer = await mock.fetch('http://mock.test/MainApp/VSOC/api/Command/TriggerIncidentExternalAction', {
        method: 'POST',
        headers: { 'content-type': 'application/json', d3key: 'mock-api-key' },
        body: JSON.stringify(${JSON.stringify(envelope({ 'Search Conditions': { Title: { $regex: '^Incident' } }, 'Trigger Data': {} }))}),
      });
      console.log(answer.status);`;
    const packageDir = fileURLToPath(new URL('../../', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script],
      {
        cwd: packageDir,
        timeout: 20_000,
      },
    );
    expect(stdout.trim()).toBe('200');
  }, 30_000);
});

describe('heavy searches over HTTP', () => {
  let mock: MockD3 | undefined;
  afterEach(async () => {
    await mock?.close();
  });
  const contract = createContractChecker();
  afterEach(() => contract.expectNoViolations());

  it('keep answering cheap requests while 40 different heavy patterns run, and answer every heavy one', async () => {
    mock = createMockD3({ rateLimit: false });
    mock.state.incidents.push({
      ...mock.state.incidents[0]!,
      IncidentId: 9001,
      Number: '20240101-9001',
      Title: `${'a'.repeat(100_000)}!`,
    });
    const base = await mock.listen();
    const fetch = contract.checked(globalThis.fetch);
    const send = (conditions: Record<string, unknown>) =>
      fetch(`${base}/api/Command/TriggerIncidentExternalAction`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', d3key: 'mock-api-key' },
        body: JSON.stringify(envelope({ 'Search Conditions': conditions, 'Trigger Data': {} })),
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { error: string },
      }));

    let heavyInFlight = 40;
    const heavy = Array.from({ length: 40 }, (_, index) =>
      send({ Title: { $regex: `[\\s\\S]{${1_000 + index}}\\w!` } }).then((answer) => {
        heavyInFlight -= 1;
        return answer;
      }),
    );
    const cheapWhileHeavy: boolean[] = [];
    for (let index = 0; index < 5; index++) {
      const cheap = await send({ Severity: 'High' });
      expect(cheap.status).toBe(200);
      expect(cheap.body.error).toBe('');
      cheapWhileHeavy.push(heavyInFlight > 0);
    }
    // The cheap requests were answered while heavy searches were still running.
    expect(cheapWhileHeavy[0]).toBe(true);
    for (const answer of await Promise.all(heavy)) {
      expect(answer.status).toBe(200);
      expect(answer.body.error).toMatch(/^$|within the mock's limit of 1000 ms/);
    }
  }, 60_000);
});
