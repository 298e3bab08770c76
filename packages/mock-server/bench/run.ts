// Requests per second of each command, in-process (`mock.fetch`) and over a loopback listener,
// against the built package. The loopback client runs in a worker thread, so the server has the
// main thread's core; a bare node:http server answering fixed JSON is measured in the same run as
// the transport's ceiling. Results: test-output/bench.json (format: bench/report.ts at the root).
import { createMockD3, type CommandName } from '@d3soar/mock-server';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { writeBenchReport, type BenchResult } from '../../../bench/report.js';

// The machine is shared: other processes only ever slow a round down. So each figure is the best
// of several short rounds, and rounds rotate through the measures, so that a busy spell on the
// machine cannot spoil every round of one measure.
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 8);
const durationMs = Number(process.env['BENCH_ROUND_MS'] ?? 600);
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 32);
const headers = { d3key: 'mock-api-key', 'content-type': 'application/json' };

const envelope = (commandParams: Record<string, unknown>) => ({
  Username: 'Admin',
  Site: 'Security Operations',
  CommandParams: commandParams,
});

/** Bodies per command; several, so the state sees realistic variety (adds and updates). */
const workloads: Record<CommandName, unknown[]> = {
  SetEventTechniques: Array.from({ length: 40 }, (_, i) =>
    envelope({
      'Event IDs': [60250 + i],
      Tactics: ['Initial Access', 'TA0002', 'TA0003'],
      Techniques: ['Valid Accounts: Cloud Accounts', 'T1569', 'Traffic Signaling: Port Knocking'],
    }),
  ),
  SaveArtifactForIncident: Array.from({ length: 500 }, (_, i) =>
    envelope({
      'Artifact Type': null,
      'Artifact Fields': [
        { URL: `http://bench.example/${i}`, Reputation: i % 2 === 0 ? 'Low' : 'High' },
        { External_IPAddress: `66.249.${i % 250}.${(i * 7) % 250}` },
      ],
      'Incident Number': '20230413-123',
    }),
  ),
  TriggerIncidentExternalAction: Array.from({ length: 10 }, (_, i) =>
    envelope({
      'Search Conditions': {
        Severity: { $in: ['Critical', 'High'] },
        CreatedUtcTime: { $gte: { $date: '2023-01-01T00:00:00Z' } },
        Title: { $regex: '^(Incident|Beaconing|Ransomware)', $options: 'i' },
      },
      'Trigger Data': { Source: 'bench', Sequence: i },
    }),
  ),
};

/** A measure: one round of it returns requests per second. */
interface Measure {
  name: string;
  round: () => Promise<number>;
}

/** Runs every measure's rounds in rotation (after one warm-up round each); best rate per measure. */
async function bestRates(measures: Measure[]): Promise<Map<string, number>> {
  const best = new Map<string, number>();
  for (const measure of measures) await measure.round();
  for (let round = 0; round < rounds; round += 1) {
    for (const measure of measures) {
      best.set(measure.name, Math.max(best.get(measure.name) ?? 0, await measure.round()));
    }
  }
  return best;
}

function inProcessMeasure(command: CommandName): Measure {
  const mock = createMockD3({ rateLimit: false });
  const bodies = workloads[command].map((body) => JSON.stringify(body));
  const url = `http://mock.bench/MainApp/VSOC/api/Command/${command}`;
  let count = 0;
  const call = async () => {
    const body = bodies[count++ % bodies.length];
    if (body === undefined) throw new Error(`${command}: no request bodies`);
    const response = await mock.fetch(url, { method: 'POST', headers, body });
    if (response.status !== 200) throw new Error(`${command} answered ${response.status}`);
    await response.text();
  };
  return {
    name: command,
    async round() {
      const first = count;
      const started = performance.now();
      const deadline = started + durationMs;
      while (performance.now() < deadline) {
        // Bounded batches keep timer reads off the hot path.
        for (let j = 0; j < 50; j += 1) await call();
      }
      return (count - first) / ((performance.now() - started) / 1000);
    },
  };
}

/** The load generator: one warm worker thread for the whole run. */
function startClient(): {
  run: (url: string, bodies: unknown[]) => Promise<number>;
  stop: () => Promise<void>;
} {
  const worker = new Worker(new URL('./loopback-client.mjs', import.meta.url), {
    workerData: { headers, concurrency },
  });
  return {
    run: (url, bodies) =>
      new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        worker.once('error', onError);
        worker.once(
          'message',
          (result: { completed: number; failed: number; elapsedMs: number }) => {
            worker.off('error', onError);
            if (result.failed > 0) reject(new Error(`${result.failed} requests to ${url} failed`));
            else resolve(result.completed / (result.elapsedMs / 1000));
          },
        );
        worker.postMessage({ url, bodies, durationMs });
      }),
    stop: async () => {
      worker.postMessage('stop');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

/** A bare node:http server answering fixed JSON: the transport's ceiling on this machine. */
async function startBareServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const body = JSON.stringify({ error: '', returnData: 'Successful', contextData: [] });
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/MainApp/VSOC/api/Command/SetEventTechniques`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const results: BenchResult[] = [];
const commands = Object.keys(workloads) as CommandName[];
const roundsLabel = `best of ${rounds} × ${durationMs} ms`;

const inProcess = await bestRates(commands.map(inProcessMeasure));
for (const command of commands) {
  results.push({
    name: `${command} in-process (${roundsLabel})`,
    value: Math.round(inProcess.get(command) ?? 0),
    unit: 'req/s',
  });
}

const bare = await startBareServer();
const mocks = commands.map(() => createMockD3({ rateLimit: false }));
const client = startClient();
try {
  const bases = await Promise.all(mocks.map((mock) => mock.listen()));
  const loopback = await bestRates([
    {
      name: 'bare',
      round: () => client.run(bare.url, workloads.SetEventTechniques),
    },
    ...commands.map((command, i) => ({
      name: command,
      round: () => client.run(`${bases[i]}/api/Command/${command}`, workloads[command]),
    })),
  ]);
  const ceiling = Math.round(loopback.get('bare') ?? 0);
  for (const command of commands) {
    const value = Math.round(loopback.get(command) ?? 0);
    const result: BenchResult = {
      name: `${command} over loopback (${concurrency} keep-alive sockets, ${roundsLabel})`,
      value,
      unit: 'req/s',
      comparison: { name: 'bare node:http server, fixed JSON', value: ceiling, unit: 'req/s' },
    };
    if (command === 'SetEventTechniques') {
      result.target = '>= 0.5 × bare node:http';
      result.meets = value >= 0.5 * ceiling;
    }
    results.push(result);
  }
  results.push({
    name: 'SetEventTechniques over loopback ÷ bare node:http (same load generator, same run)',
    value: Math.round((100 * (loopback.get('SetEventTechniques') ?? 0)) / ceiling) / 100,
    unit: '×',
    target: '>= 0.5',
    meets: (loopback.get('SetEventTechniques') ?? 0) >= 0.5 * ceiling,
  });
} finally {
  await client.stop();
  await bare.close();
  await Promise.all(mocks.map((mock) => mock.close()));
}

results.push(...(await heavySearches()));

writeBenchReport('@d3soar/mock-server', new URL('../', import.meta.url), results);

/** The p-th percentile (0–1) of some milliseconds. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

/**
 * Searches that cost a backtracking engine about a second each, over HTTP: cheap requests'
 * latency while 40 different ones run (against the same requests with nothing else running), the
 * slowest heavy answer, and one light pattern's latency in the worker pool against matching it
 * in-line on the main thread (what the pool costs a search that is not heavy).
 */
async function heavySearches(): Promise<BenchResult[]> {
  const mock = createMockD3({ rateLimit: false });
  const [template] = mock.state.incidents;
  if (template === undefined) throw new Error('bench: the default seed has no incident');
  mock.state.incidents.push({
    ...template,
    IncidentId: 9001,
    Number: '20240101-9001',
    Title: `${'a'.repeat(100_000)}!`,
  });
  const base = await mock.listen();
  const send = async (conditions: Record<string, unknown>) => {
    const started = performance.now();
    const response = await fetch(`${base}/api/Command/TriggerIncidentExternalAction`, {
      method: 'POST',
      headers,
      body: JSON.stringify(envelope({ 'Search Conditions': conditions, 'Trigger Data': {} })),
    });
    await response.text();
    return performance.now() - started;
  };
  const cheapAlone: number[] = [];
  for (let i = 0; i < 40; i++) cheapAlone.push(await send({ Severity: 'High' }));
  const heavy = Array.from({ length: 40 }, (_, i) =>
    send({ Title: { $regex: `[\\s\\S]{${1_000 + i}}\\w!` } }),
  );
  const cheapUnderLoad: number[] = [];
  // Cheap requests one after another for as long as heavy ones are in flight.
  const state = { heavyInFlight: true };
  const heavyDone = Promise.all(heavy).finally(() => {
    state.heavyInFlight = false;
  });
  while (state.heavyInFlight && cheapUnderLoad.length < 200) {
    cheapUnderLoad.push(await send({ Severity: 'High' }));
  }
  const heavyTimes = await heavyDone;
  const light = { Title: { $regex: '^Incident' } };
  const pooled: number[] = [];
  for (let i = 0; i < 60; i++) pooled.push(await send(light));
  // The same light search matched on the main thread, as the mock did before the pool.
  const { compileIncidentMatcher } = await import('@d3soar/domain/query/match');
  const { parseSearchConditions } = await import('@d3soar/domain/query');
  const inline: number[] = [];
  for (let i = 0; i < 60; i++) {
    const started = performance.now();
    const matches = compileIncidentMatcher(parseSearchConditions(light), {
      regexEngine: 'javascript',
    });
    mock.state.incidents.find((incident) => matches(incident));
    inline.push(performance.now() - started);
  }
  await mock.close();
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return [
    {
      name: `cheap search p99 while 40 heavy searches run (${cheapUnderLoad.length} requests)`,
      value: round(percentile(cheapUnderLoad, 0.99)),
      unit: 'ms',
      target: '< 250 ms',
      meets: percentile(cheapUnderLoad, 0.99) < 250,
      comparison: {
        name: 'the same, nothing else running',
        value: round(percentile(cheapAlone, 0.99)),
        unit: 'ms',
      },
    },
    {
      name: 'slowest of 40 heavy searches (each answered: matched, or past the 1000 ms deadline)',
      value: round(Math.max(...heavyTimes)),
      unit: 'ms',
      target: '< 3000 ms',
      meets: Math.max(...heavyTimes) < 3000,
    },
    {
      name: 'light $regex search over HTTP, worker pool: p50 / p99',
      value: round(percentile(pooled, 0.5)),
      unit: 'ms',
      comparison: { name: 'p99', value: round(percentile(pooled, 0.99)), unit: 'ms' },
    },
    {
      name: 'the same search matched in-line on the main thread (no HTTP): p50 / p99',
      value: round(percentile(inline, 0.5)),
      unit: 'ms',
      comparison: { name: 'p99', value: round(percentile(inline, 0.99)), unit: 'ms' },
    },
  ];
}
