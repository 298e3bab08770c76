import { createContractValidator } from '@d3soar/openapi/validator';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockD3 } from './create-mock.js';
import { envelope } from './test-support/requests.js';
import type { CommandName, MockD3 } from './types.js';

const clients = 50;
const requestsPerClient = 100;

let mock: MockD3;
let base: URL;
const agent = new Agent({ keepAlive: true, maxSockets: clients });

beforeAll(async () => {
  mock = createMockD3({ rateLimit: false });
  base = new URL(await mock.listen());
});
afterAll(async () => {
  agent.destroy();
  await mock.close();
});

/** One POST over the keep-alive agent; resolves to the status and parsed body. */
function send(command: CommandName, body: unknown): Promise<{ status: number; body: unknown }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path: `${base.pathname}/api/Command/${command}`,
        headers: {
          d3key: 'mock-api-key',
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The request client `c` sends as its `i`-th call: a mix of all three commands. */
function planned(c: number, i: number): { command: CommandName; body: unknown } {
  switch (i % 4) {
    case 0:
      return {
        command: 'SetEventTechniques',
        body: envelope({
          'Event IDs': [60250 + (c % 40)],
          Techniques: [i % 8 === 0 ? 'T1569' : 'T1059.001'],
        }),
      };
    case 1:
      return {
        command: 'SaveArtifactForIncident',
        body: envelope({
          'Artifact Type': null,
          'Artifact Fields': [{ URL: `http://burst.example/${c}/${i}` }],
          'Incident Number': '20230413-123',
        }),
      };
    case 2:
      return {
        command: 'TriggerIncidentExternalAction',
        body: envelope({
          'Search Conditions': { Number: '20230413-123' },
          'Trigger Data': { client: c, call: i },
        }),
      };
    default:
      return {
        command: 'SaveArtifactForIncident',
        body: envelope({
          'Artifact Type': null,
          'Artifact Fields': [{ URL: 'http://burst.example/shared', Reputation: String(c) }],
          'Incident Number': '20230413-123',
        }),
      };
  }
}

describe('a burst of 5,000 requests from 50 concurrent clients over loopback', () => {
  it('answers every request within the contract and loses or duplicates no state', async () => {
    const validator = createContractValidator();
    const violations: string[] = [];
    const adds: string[] = [];
    const runtimeIds: number[] = [];
    const artifactsBefore = mock.state.artifacts.length;

    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; i < requestsPerClient; i += 1) {
          const { command, body } = planned(c, i);
          const answer = await send(command, body);
          const check = validator.validateResponse(command, answer.status, answer.body);
          if (answer.status !== 200 || !check.valid) {
            violations.push(
              `${command} ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`,
            );
            continue;
          }
          const result = answer.body as {
            error: string;
            contextData?: { UpdateOrAdd: string; ArtifactName: string }[];
            returnData: { Data?: { TriggeredPlaybooks: { RuntimeId: number }[] } } | string;
          };
          if (result.error !== '') violations.push(`${command} failed: ${result.error}`);
          if (command === 'SaveArtifactForIncident') {
            for (const entry of result.contextData ?? []) {
              if (entry.UpdateOrAdd === 'Add') adds.push(entry.ArtifactName);
            }
          }
          if (
            command === 'TriggerIncidentExternalAction' &&
            typeof result.returnData === 'object'
          ) {
            for (const run of result.returnData.Data?.TriggeredPlaybooks ?? [])
              runtimeIds.push(run.RuntimeId);
          }
        }
      }),
    );

    expect(violations).toEqual([]);
    const total = clients * requestsPerClient;
    const perKind = total / 4;
    expect(Object.values(mock.state.requests).reduce((a, b) => a + b, 0)).toBe(total);
    expect(mock.state.requests).toEqual({
      SetEventTechniques: perKind,
      SaveArtifactForIncident: perKind * 2,
      TriggerIncidentExternalAction: perKind,
    });

    // Each unique URL was added once, the shared one exactly once, and nothing else appeared.
    expect(adds.filter((name) => name === 'http://burst.example/shared')).toHaveLength(1);
    expect(new Set(adds).size).toBe(adds.length);
    expect(adds).toHaveLength(perKind + 1);
    expect(mock.state.artifacts.length - artifactsBefore).toBe(perKind + 1);

    // One external-action playbook in the site: one run per trigger, each with its own RuntimeId.
    expect(runtimeIds).toHaveLength(perKind);
    expect(new Set(runtimeIds).size).toBe(runtimeIds.length);
    expect(mock.state.playbookRuns.map((run) => run.RuntimeId).sort()).toEqual(
      [...runtimeIds].sort(),
    );
    const triggerData = new Set(
      mock.state.playbookRuns.map((run) => JSON.stringify(run.TriggerData)),
    );
    expect(triggerData.size).toBe(perKind);

    // Every tagged event carries exactly the two techniques it was sent, once each.
    for (let c = 0; c < 40; c += 1) {
      const event = mock.state.events.find((e) => e.EventId === 60250 + c)!;
      const techniques = event.Techniques.map((p) => p.AttackTechniqueId);
      expect(new Set(techniques)).toEqual(new Set(['T1569', 'T1059.001']));
      expect(techniques).toHaveLength(2);
    }
  }, 60_000);
});
