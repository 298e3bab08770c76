import { describe, expect, expectTypeOf, it } from 'vitest';

import {
  credentialHeaders,
  operationIds,
  operationPaths,
  type CommandParamsOf,
  type OperationId,
  type RequestBodyOf,
  type ResponseBodyOf,
} from './contract.js';
import { openapiDocument } from './index.js';

interface ApiKeyScheme {
  type: string;
  in: string;
  name: string;
}

describe('the contract facts', () => {
  it('name the header of every credential scheme the document declares', () => {
    const schemes = (
      openapiDocument.components as unknown as {
        securitySchemes: Record<string, ApiKeyScheme>;
      }
    ).securitySchemes;
    expect(Object.keys(credentialHeaders).sort()).toEqual(Object.keys(schemes).sort());
    for (const [name, header] of Object.entries(credentialHeaders)) {
      expect(schemes[name]).toMatchObject({ type: 'apiKey', in: 'header', name: header });
    }
  });

  it('give every operation of the document its path', () => {
    const fromDocument = Object.entries(openapiDocument.paths).map(
      ([path, item]) =>
        [(item as { post: { operationId: string } }).post.operationId, path] as const,
    );
    expect(Object.entries(operationPaths)).toEqual(fromDocument);
    expect([...operationIds]).toEqual(fromDocument.map(([id]) => id));
  });

  it('type request bodies and command parameters by operationId', () => {
    expectTypeOf<OperationId>().toEqualTypeOf<
      'SetEventTechniques' | 'SaveArtifactForIncident' | 'TriggerIncidentExternalAction'
    >();
    expectTypeOf<CommandParamsOf<'SetEventTechniques'>['Event IDs']>().toEqualTypeOf<number[]>();
    expectTypeOf<RequestBodyOf<'TriggerIncidentExternalAction'>>().toHaveProperty('CommandParams');
    expectTypeOf<ResponseBodyOf<'SaveArtifactForIncident'>>().not.toBeNever();
  });
});
