import { createContractValidator } from '@d3soar/openapi/validator';
import type { CommandRequest, RequestCheck } from './app.js';

type ContractValidator = ReturnType<typeof createContractValidator>;

let shared: ContractValidator | undefined;

/**
 * The OpenAPI contract validator, compiled on first use and shared by every mock in the process
 * (compiling the schemas is the slow part; validating is cheap).
 */
function contractValidator(): ContractValidator {
  shared ??= createContractValidator();
  return shared;
}

/** Checks a request body against the command's request schema; the message names the field. */
export const checkRequestAgainstContract: RequestCheck = (command, body) => {
  const result = contractValidator().validateRequest(command, body);
  // The contract's schema of the command is what the request type is generated from.
  if (result.valid) return { valid: true, request: body as CommandRequest<typeof command> };
  const [first, ...rest] = result.errors;
  const where = first === undefined || first.path === '' ? '(body)' : first.path;
  const more =
    rest.length === 0 ? '' : ` (${rest.length} more problem${rest.length === 1 ? '' : 's'})`;
  return {
    valid: false,
    message: `Invalid request: ${where} ${first?.message ?? 'does not match the contract'}${more}.`,
  };
};
