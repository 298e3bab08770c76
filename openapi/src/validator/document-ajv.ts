import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import type { JsonValue, OpenApiDocument } from '../document-types.js';
import { toPointer } from './json-pointer.js';

/** The `$id` under which the document is registered, so that its `#/components/...` refs resolve. */
const DOCUMENT_ID = 'urn:d3soar:openapi:document';

// Keywords of the OpenAPI 3.1 base dialect that draft 2020-12 does not know. They are annotations
// (they never change the validation outcome), so registering them as keywords without code is
// exact. This keeps Ajv's strict mode on: a typo such as `minItem` in the YAML fails loudly.
const OPENAPI_ANNOTATION_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'];

// The document itself is registered as the root "schema" that holds every component; these are
// the only members it exposes to Ajv, and Ajv only ever compiles schemas found below them.
const DOCUMENT_CONTAINER_KEYWORDS = ['components', 'paths'];

/** Ajv loaded with the document, plus a way back from a schema object to its place in the document. */
export interface DocumentAjv {
  /** The compiled validator of the schema at `pointer` (a JSON pointer into the document), cached by Ajv. */
  validatorAt(pointer: string): ValidateFunction;
  /** The JSON pointer of an object or array that is part of the document, if it is one. */
  pointerOf(node: object): string | undefined;
}

function collectExtensionKeywords(node: JsonValue, found: Set<string>): Set<string> {
  if (node !== null && typeof node === 'object') {
    for (const [key, child] of Object.entries(node)) {
      if (key.startsWith('x-')) found.add(key);
      collectExtensionKeywords(child, found);
    }
  }
  return found;
}

function indexPointers(
  node: JsonValue,
  tokens: (string | number)[],
  index: WeakMap<object, string>,
) {
  if (node !== null && typeof node === 'object') {
    index.set(node, toPointer(tokens));
    for (const [key, child] of Object.entries(node)) {
      indexPointers(child, [...tokens, key], index);
    }
  }
}

/**
 * Creates an Ajv (draft 2020-12, all errors, verbose errors for the error explainer) that knows the
 * whole document under {@link DOCUMENT_ID}. Schemas are compiled lazily, on first use.
 */
export function createDocumentAjv(document: OpenApiDocument): DocumentAjv {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    // `type: [string, 'null']` is idiomatic OpenAPI 3.1; strict mode would otherwise reject it.
    allowUnionTypes: true,
    // UserDefinedArtifactFieldSet names `Additional` both in `properties` (for documentation) and in
    // `patternProperties` (so generated TypeScript index signatures accept it); the overlap is
    // deliberate and both rules are identical.
    allowMatchingProperties: true,
  });
  ajvFormats.default(ajv);
  for (const keyword of [
    ...OPENAPI_ANNOTATION_KEYWORDS,
    ...DOCUMENT_CONTAINER_KEYWORDS,
    ...collectExtensionKeywords(document, new Set()),
  ]) {
    ajv.addKeyword({ keyword });
  }
  ajv.addSchema({ $id: DOCUMENT_ID, components: document.components, paths: document.paths });

  const pointers = new WeakMap<object, string>();
  indexPointers(document, [], pointers);

  const validators = new Map<string, ValidateFunction>();
  return {
    validatorAt(pointer) {
      // Looked up once per pointer: the mock validates every request it serves with one of three.
      let validate = validators.get(pointer);
      if (validate === undefined) {
        const fragment = pointer.split('/').map(encodeURIComponent).join('/');
        validate = ajv.getSchema(`${DOCUMENT_ID}#${fragment}`);
        if (validate === undefined) {
          throw new Error(`No schema at JSON pointer "${pointer}" of the OpenAPI document`);
        }
        validators.set(pointer, validate);
      }
      return validate;
    },
    pointerOf(node) {
      return pointers.get(node);
    },
  };
}
