import { deepFreeze } from '@d3soar/support';
import type { OpenApiDocument } from './document-types.js';
import { generatedDocument, generatedSchemaNames } from './generated/document.js';

export type { JsonObject, JsonValue, OpenApiDocument } from './document-types.js';

export { credentialHeaders, operationIds, operationPaths } from './contract.js';
export type { CredentialScheme, OperationId, OperationPath } from './contract.js';

/** The names of all `components.schemas` of the document, sorted. */
export const schemaNames = generatedSchemaNames;

/** The name of a schema under `components.schemas`. */
export type SchemaName = (typeof schemaNames)[number];

/**
 * The OpenAPI 3.1 document `d3soar.openapi.yaml`, parsed into plain (deeply frozen) JSON data. The
 * same document is published as `@d3soar/openapi/d3soar.openapi.yaml` and
 * `@d3soar/openapi/d3soar.openapi.json`.
 */
// Frozen because this one object is shared by every importer (and by the validator): a consumer
// that mutated it would silently change the contract for everybody else in the process.
export const openapiDocument: OpenApiDocument = deepFreeze(generatedDocument);
