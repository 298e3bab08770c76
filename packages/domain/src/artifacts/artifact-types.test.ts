import { describe, expect, it } from 'vitest';
import {
  COMPOSITE_ARTIFACT_FIELDS,
  COMPOSITE_ARTIFACT_TYPES,
  SINGLE_FIELD_ARTIFACT_TYPES,
  fromResponseArtifactType,
  toResponseArtifactType,
} from './artifact-types.js';

describe('request and response artifact type names', () => {
  it('renames the three types the vendor response spells differently', () => {
    expect(toResponseArtifactType('ExternalEndpoint')).toBe('External_Endpoint');
    expect(toResponseArtifactType('InternalEndpoint')).toBe('Internal_Endpoint');
    expect(toResponseArtifactType('EmailAddress')).toBe('Email');
  });

  it('keeps every other type name as it is', () => {
    const renamed = new Set(['ExternalEndpoint', 'InternalEndpoint', 'EmailAddress']);
    for (const type of COMPOSITE_ARTIFACT_TYPES.filter((t) => !renamed.has(t))) {
      expect(toResponseArtifactType(type)).toBe(type);
    }
  });

  it('maps every response name back to its request name', () => {
    for (const type of COMPOSITE_ARTIFACT_TYPES) {
      expect(fromResponseArtifactType(toResponseArtifactType(type))).toBe(type);
    }
  });

  it('accepts either spelling in any case when mapping back', () => {
    expect(fromResponseArtifactType('external_endpoint')).toBe('ExternalEndpoint');
    expect(fromResponseArtifactType('EXTERNALENDPOINT')).toBe('ExternalEndpoint');
    expect(fromResponseArtifactType('email')).toBe('EmailAddress');
  });

  it('returns null for a name that is no system composite type', () => {
    expect(fromResponseArtifactType('My Custom Artifact')).toBeNull();
    expect(fromResponseArtifactType('')).toBeNull();
    expect(fromResponseArtifactType('__proto__')).toBeNull();
  });
});

describe('the composite type table', () => {
  it('gives every field to exactly one type', () => {
    const owners = new Map<string, string[]>();
    for (const type of COMPOSITE_ARTIFACT_TYPES) {
      for (const field of COMPOSITE_ARTIFACT_FIELDS[type]) {
        owners.set(field.toLowerCase(), [...(owners.get(field.toLowerCase()) ?? []), type]);
      }
    }
    expect([...owners].filter(([, types]) => types.length > 1)).toEqual([]);
  });

  it('points every single-field type at a field of its composite type', () => {
    for (const { compositeType, field } of Object.values(SINGLE_FIELD_ARTIFACT_TYPES)) {
      expect(COMPOSITE_ARTIFACT_FIELDS[compositeType]).toContain(field);
    }
  });
});
