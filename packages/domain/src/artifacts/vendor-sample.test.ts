import { describe, expect, it } from 'vitest';
import { vendorRequestSample, vendorResponseSample } from '../test-support/vendor-reference.js';
import { fromResponseArtifactType } from './artifact-types.js';
import { detectArtifactType, validateArtifacts } from './detect.js';

const request = vendorRequestSample<{
  CommandParams: { 'Artifact Type': null; 'Artifact Fields': Record<string, unknown>[] };
}>('SaveArtifactForIncident');
const artifactFields = request.CommandParams['Artifact Fields'];
const response = vendorResponseSample<{
  contextData: { ArtifactType: string; ArtifactName: string }[];
}>('SaveArtifactForIncident');
const responseTypes = response.contextData.map((artifact) => artifact.ArtifactType);

describe('the vendor SaveArtifactForIncident sample', () => {
  it('has a request with artifact objects and a response naming their types', () => {
    expect(artifactFields.length).toBeGreaterThan(responseTypes.length);
    expect(responseTypes.length).toBeGreaterThan(0);
  });

  it('detects each object the response covers as the type the response shows', () => {
    responseTypes.forEach((responseType, index) => {
      const detected = detectArtifactType(artifactFields[index]);
      expect(detected.type).toBe(fromResponseArtifactType(responseType));
    });
  });

  it('detects the objects the response leaves out by their fields, ending with a user-defined one', () => {
    const rest = artifactFields
      .slice(responseTypes.length)
      .map((fields) => detectArtifactType(fields).type);
    expect(rest).toEqual([
      'Service',
      'Module',
      'Driver',
      'Signature',
      'Certificate',
      'Registry',
      'UserDefined',
    ]);
  });

  it('names each artifact the way the response names it (ArtifactName)', () => {
    const names = response.contextData.map((artifact) => artifact.ArtifactName);
    names.forEach((name, index) => {
      expect(detectArtifactType(artifactFields[index]).identity.value).toBe(name);
    });
  });

  it('previews the whole request batch without an error (Artifact Type null)', () => {
    const results = validateArtifacts(request.CommandParams['Artifact Type'], artifactFields);
    expect(results.filter((result) => !result.ok)).toEqual([]);
    expect(results.map((result) => result.index)).toEqual(artifactFields.map((_, index) => index));
  });
});
