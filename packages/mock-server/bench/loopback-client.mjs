// Load generator for bench/run.ts, run in a worker thread so the server keeps the main thread's
// core to itself. It stays up for the whole run (so its own code is warm) and answers each
// `{ url, bodies, durationMs }` message with `{ completed, failed, elapsedMs }`: keep-alive
// sockets (kept per URL between rounds), a bounded number of requests in flight, a deadline.
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { headers, concurrency } = workerData;
const agents = new Map();

function agentFor(origin) {
  let agent = agents.get(origin);
  if (agent === undefined) {
    agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    agents.set(origin, agent);
  }
  return agent;
}

function send(agent, target, payload) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': payload.length,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function round({ url, bodies, durationMs }) {
  const target = new URL(url);
  const agent = agentFor(target.origin);
  const payloads = bodies.map((body) => Buffer.from(JSON.stringify(body)));
  let completed = 0;
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const status = await send(agent, target, payloads[next++ % payloads.length]);
        if (status === 200) completed += 1;
        else failed += 1;
      }
    }),
  );
  return { completed, failed, elapsedMs: performance.now() - started };
}

parentPort.on('message', async (message) => {
  if (message === 'stop') {
    for (const agent of agents.values()) agent.destroy();
    parentPort.close();
    return;
  }
  parentPort.postMessage(await round(message));
});
