import type { JsonObject, JsonValue, OpenApiDocument } from '../document-types.js';
import { toPointer } from './json-pointer.js';

const JSON_MEDIA_TYPE = 'application/json';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Where an operation sits in the document. */
export interface OperationLocation {
  readonly operation: JsonObject;
  readonly pointer: string;
}

/** Finds the operation with `operationId`, or `undefined`. */
export function findOperation(
  document: OpenApiDocument,
  operationId: string,
): OperationLocation | undefined {
  for (const [path, pathItem] of Object.entries(document.paths)) {
    if (!isObject(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (isObject(operation) && operation.operationId === operationId) {
        return { operation, pointer: toPointer(['paths', path, method]) };
      }
    }
  }
  return undefined;
}

/** Follows a local `$ref` (`#/components/...`) of a response or request body object. */
function followLocalRef(
  document: OpenApiDocument,
  value: JsonValue | undefined,
  pointer: string,
): { value: JsonValue | undefined; pointer: string } {
  if (!isObject(value) || typeof value.$ref !== 'string' || !value.$ref.startsWith('#/')) {
    return { value, pointer };
  }
  const target = value.$ref.slice(1);
  let current: JsonValue | undefined = document;
  for (const token of target.slice(1).split('/')) {
    const key = decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~');
    current = isObject(current) ? current[key] : undefined;
  }
  return followLocalRef(document, current, target);
}

/** The pointer of the JSON schema of `container.content['application/json']`, if there is one. */
function jsonSchemaPointer(container: JsonValue | undefined, pointer: string): string | undefined {
  if (!isObject(container) || !isObject(container.content)) return undefined;
  const media = container.content[JSON_MEDIA_TYPE];
  if (!isObject(media) || media.schema === undefined) return undefined;
  return `${pointer}${toPointer(['content', JSON_MEDIA_TYPE, 'schema'])}`;
}

/** The pointer of the request body schema of an operation, if it has a JSON request body. */
export function requestSchemaPointer(
  document: OpenApiDocument,
  location: OperationLocation,
): string | undefined {
  const body = followLocalRef(
    document,
    location.operation.requestBody,
    `${location.pointer}/requestBody`,
  );
  return jsonSchemaPointer(body.value, body.pointer);
}

/** The response for an HTTP status: exact code, then range (`4XX`), then `default`. */
export interface ResponseLocation {
  /** The key under `responses` that matched (`'429'`, `'4XX'` or `'default'`). */
  readonly key: string;
  /** Pointer of its JSON schema; `undefined` when the response has no JSON body. */
  readonly schemaPointer: string | undefined;
}

/** Finds the documented response of an operation for `status`, or `undefined`. */
export function findResponse(
  document: OpenApiDocument,
  location: OperationLocation,
  status: number,
): ResponseLocation | undefined {
  const responses = location.operation.responses;
  if (!isObject(responses)) return undefined;
  const candidates = [String(status), `${Math.floor(status / 100)}XX`, 'default'];
  const key = candidates.find((candidate) => responses[candidate] !== undefined);
  if (key === undefined) return undefined;
  const response = followLocalRef(
    document,
    responses[key],
    `${location.pointer}${toPointer(['responses', key])}`,
  );
  return { key, schemaPointer: jsonSchemaPointer(response.value, response.pointer) };
}

/** The documented status keys of an operation, for error messages. */
export function documentedStatuses(location: OperationLocation): string[] {
  const responses = location.operation.responses;
  return isObject(responses) ? Object.keys(responses) : [];
}
