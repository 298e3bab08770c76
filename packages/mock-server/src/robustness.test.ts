// No contract-valid body makes the mock answer 500, however it is shaped: bodies generated from
// the contract's request schemas, and bodies nested far deeper than any real command.
import { openapiDocument } from '@d3soar/openapi';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { createMockD3 } from './create-mock.js';
import { bodyTooDeepMessage, maxBodyDepth, nestsDeeperThan } from './read-body.js';
import { createContractChecker } from './test-support/contract-checker.js';
import { commandUrl, envelope, post } from './test-support/requests.js';
import { arbitraryOf } from './test-support/schema-arbitrary.js';
import { commandNames } from './types.js';

const contract = createContractChecker();
afterEach(() => contract.expectNoViolations());

const mock = createMockD3({ rateLimit: false, searchDeadlineMs: 500 });
afterAll(() => mock.close());
const fetch = contract.checked(mock.fetch);

/** The depth of a JSON value, counted as the scan counts it: each object or array is a level. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

/**
 * A TriggerIncidentExternalAction body whose Trigger Data is `levels` objects, one inside the
 * other, written as text: JSON.stringify itself recurses too deep for 10,000 levels.
 */
function bodyWithTriggerData(levels: number): string {
  const triggerData = '{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);
  const shell = JSON.stringify(
    envelope({ 'Search Conditions': { Number: '20230413-123' }, 'Trigger Data': 'HERE' }),
  );
  return shell.replace('"HERE"', triggerData);
}

describe('the nesting depth of a body', () => {
  it('is measured without parsing exactly as deep as the parsed value is', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, limit) => {
        expect(nestsDeeperThan(JSON.stringify(value), limit)).toBe(depthOf(value) > limit);
      }),
      { numRuns: 500 },
    );
  });

  it(`is at most ${maxBodyDepth}: deeper bodies get the vendor 400 naming the limit, never a 500`, async () => {
    // The envelope and CommandParams are two levels around Trigger Data.
    const deepest = await fetch(
      commandUrl('TriggerIncidentExternalAction'),
      post(bodyWithTriggerData(maxBodyDepth - 2)),
    );
    expect(deepest.status).toBe(200);
    for (const levels of [maxBodyDepth - 1, 3_000, 10_000]) {
      const answer = await fetch(
        commandUrl('TriggerIncidentExternalAction'),
        post(bodyWithTriggerData(levels)),
      );
      expect(answer.status).toBe(400);
      expect(await answer.json()).toEqual({ Error: bodyTooDeepMessage });
    }
  });
});

interface Operation {
  requestBody: { content: { 'application/json': { schema: Record<string, unknown> } } };
}

describe('bodies generated from the contract', () => {
  const paths = openapiDocument.paths as unknown as Record<string, { post: Operation }>;

  it.each(commandNames)(
    '%s: any body its request schema describes gets a documented answer, never a 500',
    async (command) => {
      const schema =
        paths[`/Command/${command}`]?.post.requestBody.content['application/json'].schema;
      if (schema === undefined) throw new Error(`no request schema for ${command}`);
      // Half the bodies name the seeded user and site, so they reach the command itself.
      const body = fc
        .tuple(arbitraryOf(schema), fc.boolean())
        .map(([generated, real]) =>
          real && typeof generated === 'object' && generated !== null
            ? { ...generated, Username: 'Admin', Site: 'Security Operations' }
            : generated,
        );
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(body, async (generated) => {
          const answer = await fetch(commandUrl(command), post(generated));
          statuses.add(answer.status);
          expect(answer.status).not.toBe(500);
        }),
        { numRuns: 60, plugins: [fc.interruptAfterTimeLimit(20_000)] },
      );
      // The generator reaches the command, not only the contract check.
      expect(statuses).toContain(200);
    },
    30_000,
  );
});
