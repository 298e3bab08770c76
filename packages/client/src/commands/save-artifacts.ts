import {
  artifactFromValue,
  validateArtifacts,
  type ArtifactFields,
  type ArtifactFieldValue,
  type ArtifactTypeName,
} from '@d3soar/domain/artifacts';
import type { D3ValidationIssue } from '../errors.js';
import type { ArtifactFieldSet } from '../types.js';
import { show } from './envelope.js';

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

/** The checked form of a {@link SaveArtifactsInput}, ready for `CommandParams`. */
export interface PreparedArtifacts {
  'Artifact Type': string | null;
  'Artifact Fields': ArtifactFieldSet[];
  'Incident Number': string;
}

/** Checks every artifact with `@d3soar/domain/artifacts`, collecting every problem. */
export function prepareSaveArtifacts(
  input: SaveArtifactsInput,
  issues: D3ValidationIssue[],
): PreparedArtifacts | undefined {
  const before = issues.length;
  const incidentNumber = input.incidentNumber;
  if (typeof incidentNumber !== 'string' || incidentNumber.trim() === '') {
    issues.push({
      path: 'incidentNumber',
      message: `must be a non-empty string, got ${show(incidentNumber)}`,
    });
  }
  const type = input.artifactType ?? null;
  if (type !== null && typeof type !== 'string') {
    issues.push({ path: 'artifactType', message: `must be a string or null, got ${show(type)}` });
  }
  const list: unknown = input.artifacts;
  if (!Array.isArray(list) || list.length === 0) {
    issues.push({ path: 'artifacts', message: `must be a non-empty array, got ${show(list)}` });
    return undefined;
  }

  const objects: unknown[] = [];
  const positions: number[] = [];
  list.forEach((item: unknown, index) => {
    if (typeof item !== 'string') {
      objects.push(item);
      positions.push(index);
      return;
    }
    const fields = artifactFromValue(item);
    if (fields === null) {
      issues.push({
        path: `artifacts.${index}`,
        message: `${show(item)} is no recognisable indicator; pass its fields as an object`,
      });
    } else {
      objects.push(fields);
      positions.push(index);
    }
  });

  const fieldSets: ArtifactFieldSet[] = [];
  if (typeof type === 'string' || type === null) {
    for (const result of validateArtifacts(type, objects)) {
      const path = `artifacts.${positions[result.index]}`;
      if (!result.ok) {
        issues.push({ path, message: result.error.message });
      } else {
        fieldSets.push(toWireFields(result.fields));
      }
    }
  }
  if (issues.length > before) return undefined;
  return { 'Artifact Type': type, 'Artifact Fields': fieldSets, 'Incident Number': incidentNumber };
}

/**
 * The contract types every field value as a string: numbers are stringified, IP lists joined
 * the way D3 itself reports them (`a, b`), `Additional` values stringified, and nulls (which
 * D3 treats as "no value") left out.
 */
function toWireFields(fields: ArtifactFields): ArtifactFieldSet {
  const wire: Record<string, string | Record<string, string>> = {};
  for (const [name, value] of Object.entries(fields) as [
    string,
    ArtifactFieldValue | undefined,
  ][]) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number') wire[name] = String(value);
    else if (Array.isArray(value)) wire[name] = value.join(', ');
    else {
      const additional: Record<string, string> = {};
      for (const [key, scalar] of Object.entries(value)) {
        if (scalar !== null) additional[key] = String(scalar);
      }
      wire[name] = additional;
    }
  }
  return wire as ArtifactFieldSet;
}
