// The vendor's sample bodies, as the OpenAPI contract carries them (its `vendorSample` request
// examples and `success` response examples, repaired where the vendor's text is not valid JSON;
// the contract's README says how). Reading them from the contract keeps the tests inside the
// repository and ties the domain logic to the same samples the mock and the client are checked on.
// Not part of the built package.
import { openapiDocument, type OperationId } from '@d3soar/openapi';

interface OperationWithExamples {
  post: {
    requestBody: { content: Record<string, { examples: Record<string, { value: unknown }> }> };
    responses: Record<
      string,
      { content: Record<string, { examples: Record<string, { value: unknown }> }> }
    >;
  };
}

function operation(command: OperationId): OperationWithExamples {
  const paths = openapiDocument.paths as unknown as Record<string, OperationWithExamples>;
  const found = paths[`/Command/${command}`];
  if (found === undefined) throw new Error(`the contract has no ${command}`);
  return found;
}

/**
 * A fresh copy of the vendor's request sample of a command, typed as the test reads it (`T` is
 * the caller's claim about the sample's shape: these are fixtures, not input).
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- see above
export function vendorRequestSample<T>(command: OperationId): T {
  const examples = operation(command).post.requestBody.content['application/json']?.examples;
  return structuredClone(examples?.['vendorSample']?.value) as T;
}

/** A fresh copy of the vendor's 200 response sample of a command, typed as the test reads it. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- as above
export function vendorResponseSample<T>(command: OperationId): T {
  const examples = operation(command).post.responses['200']?.content['application/json']?.examples;
  return structuredClone(examples?.['success']?.value) as T;
}
