import { readFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { openapiDocument, operationIds, operationPaths, schemaNames } from './index.js';

// If the entry point ever pulled in Ajv, these factories would throw while importing it.
vi.mock('ajv/dist/2020.js', () => {
  throw new Error('the package entry point must not load Ajv');
});
vi.mock('ajv-formats', () => {
  throw new Error('the package entry point must not load ajv-formats');
});

type Operation = { operationId?: string };

function documentOperations(): { path: string; operationId: string | undefined }[] {
  return Object.entries(openapiDocument.paths).flatMap(([path, item]) =>
    Object.values(item as Record<string, Operation>).map((operation) => ({
      path,
      operationId: operation.operationId,
    })),
  );
}

describe('@d3soar/openapi entry point', () => {
  it('exposes the document parsed from the YAML file, without loading Ajv', async () => {
    const yamlText = await readFile(new URL('../d3soar.openapi.yaml', import.meta.url), 'utf8');
    expect(openapiDocument).toEqual(parse(yamlText));
    expect(openapiDocument.openapi).toMatch(/^3\.1\.\d+$/);
  });

  it('lists exactly the operationIds of the document, at the documented paths', () => {
    const operations = documentOperations();
    expect(operations.map((operation) => operation.operationId)).toEqual([...operationIds]);
    for (const { path, operationId } of operations) {
      expect(operationPaths[operationId as (typeof operationIds)[number]]).toBe(path);
    }
  });

  it('names every component schema, including those other packages rely on', () => {
    expect([...schemaNames].sort()).toEqual(Object.keys(openapiDocument.components.schemas).sort());
    for (const name of [
      'SetEventTechniquesRequest',
      'SetEventTechniquesResponse',
      'SaveArtifactForIncidentRequest',
      'SaveArtifactForIncidentResponse',
      'TriggerIncidentExternalActionRequest',
      'TriggerIncidentExternalActionResponse',
      'ErrorResponse',
      'SearchConditions',
      'CommandFailure',
    ]) {
      expect(schemaNames).toContain(name);
    }
  });

  it('freezes the shared document so that no importer can change the contract for others', () => {
    const schemas = openapiDocument.components.schemas as Record<string, unknown>;
    expect(() => {
      schemas.ErrorResponse = {};
    }).toThrow(TypeError);
    expect(Object.isFrozen(openapiDocument.paths)).toBe(true);
  });
});
