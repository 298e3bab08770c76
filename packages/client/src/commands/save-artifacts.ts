import {
  artifactFromValue,
  classifyValue,
  validateArtifacts,
  type ArtifactFields,
  type ArtifactFieldValue,
  type ArtifactTypeName,
  type DetectedArtifact,
  type ValueClassification,
} from '@d3soar/domain/artifacts';
import { checked, type D3ValidationIssue } from '../errors.js';
import type { ArtifactFieldSet, SaveArtifactForIncidentCommandParams } from '../types.js';
import { filled, show } from './envelope.js';
import { preparedCall, type PreparedCall } from './prepared.js';
import { under, type D3Warning } from './warnings.js';

/** One artifact: its fields (vendor names, any case), or a bare indicator value. */
export type ArtifactInput = string | ArtifactFields | Readonly<Record<string, ArtifactFieldValue>>;

/** Input of `client.saveArtifacts`. */
export interface SaveArtifactsInput {
  /** The incident to link the artifacts to, e.g. `20220114-11`. */
  incidentNumber: string;
  /**
   * The artifacts. Objects are field sets (`{ URL, Reputation }`, `{ Identity, Additional }`);
   * strings are indicator values (`66.249.64.167`, a SHA256, a URL, `evil[.]com`) turned into
   * fields with `artifactFromValue`.
   */
  artifacts: readonly ArtifactInput[];
  /** An explicit `Artifact Type` every artifact must fit; omit to let D3 detect each one. */
  artifactType?: ArtifactTypeName | null;
}

/** How one artifact of the input was understood. */
export interface PreviewedArtifact {
  /** The artifact as given: a field object or a bare indicator value. */
  input: ArtifactInput;
  /** For a bare value: its single-field type and the rule that decided (`classifyValue`). */
  value?: ValueClassification;
  /** The composite type D3 will file it under (e.g. `ExternalEndpoint`), or `UserDefined`. */
  type: DetectedArtifact['type'];
  /** The field and value that name the artifact (D3 upserts on it). */
  identity: DetectedArtifact['identity'];
  /** The fields as sent: vendor casing, every value a string. */
  fields: ArtifactFieldSet;
}

/** What `saveArtifacts` sends for an input, and how each artifact was understood. */
export interface SaveArtifactsPreview {
  /** The `CommandParams` of the request. */
  params: SaveArtifactForIncidentCommandParams;
  /** One entry per artifact, in input order. */
  artifacts: PreviewedArtifact[];
  /** The request (one today): what `client.send(preview)` sends. */
  call: PreparedCall<'SaveArtifactForIncident'>;
  /**
   * What D3 may not take as meant, never refused, at `artifacts.<index>.<field>`: an address
   * outside its field's range, a user-defined type's own fields (see the README's rules).
   */
  warnings: D3Warning[];
}

/**
 * What `client.saveArtifacts(input)` would send, without sending anything: the `CommandParams`
 * and, per artifact, the type D3 will detect, the identity field, the fields as sent and, for a
 * bare value, its single-field type and the rule that decided it.
 * @throws {D3ValidationError} listing every problem, as the call would.
 */
export function previewSaveArtifacts(input: SaveArtifactsInput): SaveArtifactsPreview {
  const preview = checked('SaveArtifactForIncident', (issues) =>
    prepareSaveArtifacts(input, issues),
  );
  for (const artifact of preview.artifacts) {
    if (typeof artifact.input !== 'string') continue;
    const value = classifyValue(artifact.input);
    if (value) artifact.value = value;
  }
  return preview;
}

/** Checks every artifact with `@d3soar/domain/artifacts`, collecting every problem. */
export function prepareSaveArtifacts(
  input: SaveArtifactsInput,
  issues: D3ValidationIssue[],
): SaveArtifactsPreview | undefined {
  const before = issues.length;
  const incidentNumber = input.incidentNumber;
  if (!filled(incidentNumber)) {
    issues.push({
      path: 'incidentNumber',
      message: `must be a non-empty string, got ${show(incidentNumber)}`,
    });
  }
  // `unknown`: JavaScript callers may pass anything, and every such mistake is reported.
  const given: unknown = input.artifactType ?? null;
  const typeOk = given === null || typeof given === 'string';
  if (!typeOk) {
    issues.push({ path: 'artifactType', message: `must be a string or null, got ${show(given)}` });
  }
  const type = typeof given === 'string' ? given : null;
  const givenList: unknown = input.artifacts;
  if (!Array.isArray(givenList) || givenList.length === 0) {
    issues.push({
      path: 'artifacts',
      message: `must be a non-empty array, got ${show(givenList)}`,
    });
    return undefined;
  }
  const list: readonly unknown[] = givenList;

  // Bare values become fields; an unrecognisable one is reported here and stands in as `null`,
  // whose validation error below would only repeat that (a `null` given as such is reported).
  const candidates = list.map((item: unknown, index) => {
    if (typeof item !== 'string') return item;
    const fields = artifactFromValue(item);
    if (!fields) {
      issues.push({
        path: `artifacts.${index}`,
        message: `${show(item)} is no known indicator; pass its fields as an object`,
      });
    }
    return fields;
  });

  const artifacts: PreviewedArtifact[] = [];
  const warnings: D3Warning[] = [];
  if (typeOk) {
    // `coerce`: numbers, IP lists and `Additional` scalars become the contract's strings (IP
    // lists joined as D3 reports them, `a, b`), and nulls (D3's "no value") are left out.
    for (const result of validateArtifacts(type, candidates, { coerce: true })) {
      const { index } = result;
      if (!result.ok) {
        if (typeof list[index] !== 'string' || candidates[index]) {
          issues.push({ path: `artifacts.${index}`, message: result.error.message });
        }
      } else {
        warnings.push(...under(`artifacts.${index}`, result.warnings));
        artifacts.push({
          // It passed validation: a field object, or a value recognised as an indicator.
          input: list[index] as ArtifactInput,
          type: result.type,
          identity: result.identity,
          // Checked against the contract by the domain; its type is wider than the schema's.
          fields: result.fields as ArtifactFieldSet,
        });
      }
    }
  }
  if (issues.length > before) return undefined;
  const params: SaveArtifactForIncidentCommandParams = {
    'Artifact Type': type,
    'Artifact Fields': artifacts.map((artifact) => artifact.fields),
    'Incident Number': incidentNumber,
  };
  return {
    params,
    artifacts,
    call: preparedCall('SaveArtifactForIncident', [{ params, items: artifacts.length }]),
    warnings,
  };
}
