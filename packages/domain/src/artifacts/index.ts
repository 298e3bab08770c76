/**
 * `@d3soar/domain/artifacts`: the artifact types of SaveArtifactForIncident, detection of an
 * `Artifact Fields` object's type as D3 does it, validation of a batch, and classification of bare
 * indicator values.
 *
 * @packageDocumentation
 */
export {
  COMPOSITE_ARTIFACT_FIELDS,
  COMPOSITE_ARTIFACT_TYPES,
  IDENTITY_FIELD_ORDER,
  SHARED_ARTIFACT_FIELDS,
  SINGLE_FIELD_ARTIFACT_TYPES,
  USER_DEFINED_ARTIFACT_FIELDS,
  fromResponseArtifactType,
  toResponseArtifactType,
  type ArtifactFieldName,
  type CompositeArtifactField,
  type CompositeArtifactType,
  type DetectedArtifactType,
  type ResponseArtifactType,
  type SingleFieldArtifactType,
} from './artifact-types.js';
export {
  artifactFromValue,
  classifyValue,
  type ArtifactFieldsFromValue,
  type ClassifyOptions,
  type ValueClassification,
  type ValueType,
} from './classify.js';
export {
  detectArtifactType,
  validateArtifacts,
  type ArtifactFieldValue,
  type ArtifactFields,
  type ArtifactScalar,
  type ArtifactTypeName,
  type ArtifactValidation,
  type CheckedArtifactFields,
  type DetectArtifactOptions,
  type DetectedArtifact,
} from './detect.js';
export { DEFAULT_NON_PUBLIC_SUFFIXES } from './domains.js';
export { ArtifactError, type ArtifactErrorCode } from './errors.js';
export {
  ipAddressClass,
  ipAddressScope,
  splitIpList,
  type IpAddressClass,
  type IpAddressScope,
} from './ip.js';
export type { D3Warning } from '@d3soar/support';
export { refang } from './refang.js';
export { isBlankArtifactValue } from './values.js';
