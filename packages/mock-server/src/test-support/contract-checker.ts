import { createContractValidator } from '@d3soar/openapi/validator';
import { expect } from 'vitest';
import { commandNames, type CommandName } from '../types.js';

type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const validator = createContractValidator();
const commandPath = /\/api\/Command\/([^/?#]+)/;

/** One response that broke the contract. */
export interface ContractViolation {
  command: string;
  status: number;
  body: string;
  errors: string[];
}

/**
 * Checks every response a test receives against the OpenAPI document: wrap a `fetch` with
 * `checked(fetch)`, call `expectNoViolations()` at the end. Responses for known commands are
 * validated by operation and status (an undocumented status is a violation, a non-JSON body too).
 * Tests of injected faults, which break the contract on purpose, use the unwrapped `fetch`.
 */
export function createContractChecker() {
  const violations: ContractViolation[] = [];
  let checkedCount = 0;

  async function check(url: string, response: Response): Promise<void> {
    const command = commandPath.exec(new URL(url).pathname)?.[1];
    if (command === undefined || !commandNames.includes(command as CommandName)) return;
    checkedCount += 1;
    const text = await response.clone().text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      violations.push({
        command,
        status: response.status,
        body: text,
        errors: ['body is not JSON'],
      });
      return;
    }
    const contentType = response.headers.get('content-type') ?? '';
    const result = validator.validateResponse(command as CommandName, response.status, body);
    const errors = result.valid ? [] : result.errors.map((e) => `${e.path} ${e.message}`);
    if (!contentType.startsWith('application/json')) errors.push(`content-type is ${contentType}`);
    if (errors.length > 0)
      violations.push({ command, status: response.status, body: text, errors });
  }

  return {
    /** A `fetch` that validates each response before handing it back. */
    checked(fetchFn: FetchLike): FetchLike {
      return async (input, init) => {
        const response = await fetchFn(input, init);
        const url = input instanceof Request ? input.url : String(input);
        await check(url, response);
        return response;
      };
    },
    /** How many command responses were validated. */
    get count(): number {
      return checkedCount;
    },
    violations,
    /** Fails the test if any response broke the contract. */
    expectNoViolations(): void {
      expect(violations).toEqual([]);
    },
  };
}
