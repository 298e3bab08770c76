import { createContractValidator } from '@d3soar/openapi/validator';
import { expect } from 'vitest';
import { commandNames, type CommandName } from '../types.js';

type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const validator = createContractValidator();
const commandPath = /\/api\/Command\/([^/?#]+)/;

/** One response that broke the contract. */
export interface ContractViolation {
  /** The command, or the path of a routing answer. */
  command: string;
  status: number;
  body: string;
  errors: string[];
}

/**
 * Checks every response a test receives against the OpenAPI document: wrap a `fetch` with
 * `checked(fetch)`, call `expectNoViolations()` at the end. Responses for known commands are
 * validated by operation and status (an undocumented status is a violation, a non-JSON body too).
 * Routing answers (404 for an unknown path or command, 405 for a method other than POST) are no
 * operation of the contract: `routeChecked(fetch)` checks that they use its `ErrorResponse` shape.
 * Tests of injected faults that break the contract on purpose (html, truncated, drop) use the
 * unwrapped `fetch`.
 */
export function createContractChecker() {
  const violations: ContractViolation[] = [];
  let checkedCount = 0;

  type Result = ReturnType<typeof validator.validateSchema>;

  /** Records a violation unless the body is JSON, served as JSON, and passes `validate`. */
  async function inspect(
    where: string,
    response: Response,
    validate: (body: unknown) => Result,
  ): Promise<void> {
    checkedCount += 1;
    const text = await response.clone().text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      violations.push({
        command: where,
        status: response.status,
        body: text,
        errors: ['body is not JSON'],
      });
      return;
    }
    const result = validate(body);
    const errors = result.valid ? [] : result.errors.map((e) => `${e.path} ${e.message}`);
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.startsWith('application/json')) errors.push(`content-type is ${contentType}`);
    if (errors.length > 0)
      violations.push({ command: where, status: response.status, body: text, errors });
  }

  function check(url: string, response: Response): Promise<void> {
    const command = commandPath.exec(new URL(url).pathname)?.[1];
    if (command === undefined || !commandNames.includes(command as CommandName)) {
      return Promise.resolve();
    }
    return inspect(command, response, (body) =>
      validator.validateResponse(command as CommandName, response.status, body),
    );
  }

  function checkRoute(url: string, response: Response): Promise<void> {
    return inspect(new URL(url).pathname, response, (body) =>
      validator.validateSchema('ErrorResponse', body),
    );
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
    /** A `fetch` that checks each response has the contract's `ErrorResponse` shape (for 404/405). */
    routeChecked(fetchFn: FetchLike): FetchLike {
      return async (input, init) => {
        const response = await fetchFn(input, init);
        await checkRoute(input instanceof Request ? input.url : String(input), response);
        return response;
      };
    },
    /** How many responses were validated. */
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
