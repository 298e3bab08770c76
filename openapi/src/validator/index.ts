import { openapiDocument, operationIds, schemaNames } from '../index.js';
import type { OperationId, SchemaName } from '../index.js';
import { createDocumentAjv } from './document-ajv.js';
import { explainErrors } from './explain-errors.js';
import type { ValidationIssue } from './explain-errors.js';
import { toPointer } from './json-pointer.js';
import {
  documentedStatuses,
  findOperation,
  findResponse,
  requestSchemaPointer,
} from './locate-schemas.js';
import type { OperationLocation } from './locate-schemas.js';

export type { ValidationIssue } from './explain-errors.js';

/** The outcome of a validation: `valid`, or the list of issues (never empty when invalid). */
export type ValidationResult =
  { readonly valid: true } | { readonly valid: false; readonly errors: readonly ValidationIssue[] };

/** Validates values against the schemas of `d3soar.openapi.yaml`. */
export interface ContractValidator {
  /**
   * Validates `value` against `components.schemas[name]`.
   * @throws {TypeError} when `name` is not a schema of the document.
   */
  validateSchema(name: SchemaName, value: unknown): ValidationResult;
  /**
   * Validates a request body (the `{Username, Site, CommandParams}` envelope) against the request
   * schema of `operationId`.
   * @throws {TypeError} when `operationId` is not one of {@link operationIds}.
   */
  validateRequest(operationId: OperationId, body: unknown): ValidationResult;
  /**
   * Validates a response body against the schema the document gives for `operationId` and HTTP
   * `status` (exact status, then `4XX`-style range, then `default`). An undocumented status is
   * reported as an invalid result with path `""`; a documented response without a JSON body
   * accepts any body.
   * @throws {TypeError} when `operationId` is not one of {@link operationIds} or `status` is not
   *   an HTTP status code (100–599).
   */
  validateResponse(operationId: OperationId, status: number, body: unknown): ValidationResult;
}

const VALID: ValidationResult = Object.freeze({ valid: true });

/**
 * Creates a validator for the contract: Ajv with draft 2020-12 and ajv-formats, strict mode, all
 * errors. Each schema is compiled on first use and cached in this validator, so create one
 * validator and reuse it.
 *
 * Error paths are JSON pointers into the validated value and name the failing field
 * (`/CommandParams/Event IDs/0`, `/CommandParams/Search Conditions/CreatedUtcTime/$gt/$date`).
 */
export function createContractValidator(): ContractValidator {
  const ajv = createDocumentAjv(openapiDocument);
  const knownSchemas = new Set<string>(schemaNames);
  // Located once: the mock validates every request it serves, and finding an operation walks the
  // document's paths.
  const locations = new Map<string, OperationLocation | undefined>(
    operationIds.map((id) => [id, findOperation(openapiDocument, id)]),
  );

  /** Each operation's request schema, found once: the mock validates every request with one. */
  const requestPointers = new Map<string, string>();

  function validateAt(pointer: string, value: unknown): ValidationResult {
    const validate = ajv.validatorAt(pointer);
    if (validate(value)) return VALID;
    return { valid: false, errors: explainErrors(validate.errors ?? [], ajv) };
  }

  function locate(operationId: string): OperationLocation {
    const location = locations.get(operationId);
    if (location === undefined) {
      throw new TypeError(
        `Unknown operationId "${operationId}": expected one of ${operationIds.join(', ')}`,
      );
    }
    return location;
  }

  return {
    validateSchema(name, value) {
      if (!knownSchemas.has(name)) {
        throw new TypeError(
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- JavaScript callers can pass any value here; String() keeps a symbol from throwing inside the message.
          `Unknown schema name "${String(name)}": expected a key of components.schemas (${schemaNames.join(', ')})`,
        );
      }
      return validateAt(toPointer(['components', 'schemas', name]), value);
    },

    validateRequest(operationId, body) {
      let pointer = requestPointers.get(operationId);
      if (pointer === undefined) {
        pointer = requestSchemaPointer(openapiDocument, locate(operationId));
        if (pointer === undefined) {
          throw new TypeError(`Operation "${operationId}" documents no JSON request body`);
        }
        requestPointers.set(operationId, pointer);
      }
      return validateAt(pointer, body);
    },

    validateResponse(operationId, status, body) {
      const location = locate(operationId);
      if (!Number.isInteger(status) || status < 100 || status > 599) {
        throw new TypeError(`status must be an HTTP status code (100-599), got ${String(status)}`);
      }
      const response = findResponse(openapiDocument, location, status);
      if (response === undefined) {
        const documented = documentedStatuses(location).join(', ');
        return {
          valid: false,
          errors: [
            {
              path: '',
              message: `status ${status} is not documented for ${operationId} (documented: ${documented})`,
            },
          ],
        };
      }
      return response.schemaPointer === undefined
        ? VALID
        : validateAt(response.schemaPointer, body);
    },
  };
}
