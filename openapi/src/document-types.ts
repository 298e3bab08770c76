/** Any value that JSON can represent, read-only because the document is shared and frozen. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/**
 * The parsed OpenAPI 3.1 document. Only the members every consumer relies on are spelled out; the
 * rest is plain JSON. For precise request/response types, generate TypeScript from the YAML (the
 * `@d3soar/client` package does this with openapi-typescript).
 */
export interface OpenApiDocument extends JsonObject {
  /** The OpenAPI version, `3.1.x`. */
  readonly openapi: string;
  /** Title, version, contact and licence of the contract. */
  readonly info: JsonObject;
  /** Path → path item (`post` operation) of the three commands. */
  readonly paths: JsonObject;
  /** Reusable schemas, responses, headers and security schemes. */
  readonly components: JsonObject & { readonly schemas: JsonObject };
}
