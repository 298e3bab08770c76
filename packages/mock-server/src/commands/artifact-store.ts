import {
  toResponseArtifactType,
  validateArtifacts,
  type ArtifactValidation,
  type CompositeArtifactType,
} from '@d3soar/domain/artifacts';
import type { MockArtifact, SeedData } from '../types.js';

/** A detected artifact, ready to be stored. */
export type DetectedItem = Extract<ArtifactValidation, { ok: true }>;

/** What an upsert did, in the shape of one `contextData` entry. */
export interface UpsertResult {
  ArtifactType: string;
  Status: 'Successful';
  ArtifactName: string;
  UpdateOrAdd: 'Add' | 'Update';
  ArtifactDetails: Record<string, unknown>;
}

/** The artifacts linked to incidents, with an index by identity. */
export interface ArtifactStore {
  readonly artifacts: MockArtifact[];
  /**
   * Adds the artifact, or updates the one with the same type and identity on the same incident.
   * `typeName` is the request's `Artifact Type` (blank for detection).
   */
  upsert(
    site: string,
    incidentNumber: string,
    typeName: string | null,
    item: DetectedItem,
  ): UpsertResult;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

/** The stored type: the composite type, or the user-defined type's name (`UserDefined` when blank). */
function storedType(
  typeName: string | null,
  item: DetectedItem,
): { type: string; response: string } {
  if (item.type !== 'UserDefined') {
    const type: CompositeArtifactType = item.type;
    return { type, response: toResponseArtifactType(type) };
  }
  const name = typeName?.trim();
  const type = name === undefined || name === '' ? 'UserDefined' : name;
  return { type, response: type };
}

/**
 * Field values as D3 answers them: strings stay, numbers become strings, lists stay lists, and
 * `Internal_IPAddress` comes back as a list even when sent as a string (as the vendor's sample
 * response shows; `External_IPAddress` stays a string there, and here).
 */
function answerFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const answer: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'Internal_IPAddress' && typeof value === 'string') {
      answer[key] = value === '' ? [] : value.split(',').map((ip) => ip.trim());
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      answer[key] = String(value);
    } else if (value === null || value === undefined) {
      answer[key] = '';
    } else {
      answer[key] = structuredClone(value);
    }
  }
  return answer;
}

/** The new field set of an update: given non-empty values win; `Additional` merges key by key. */
function mergeFields(
  old: Readonly<Record<string, unknown>>,
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = structuredClone(old);
  for (const [key, value] of Object.entries(given)) {
    if (isEmpty(value)) continue;
    const previous = merged[key];
    merged[key] =
      isPlainObject(previous) && isPlainObject(value)
        ? { ...previous, ...structuredClone(value) }
        : structuredClone(value);
  }
  return merged;
}

function sameFields(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function identityKey(site: string, incidentNumber: string, type: string, value: string): string {
  // D3 keeps artifacts in SQL Server with a case-insensitive collation: `Administrator` and
  // `administrator` are one user. The mock matches identities the same way.
  return [site, incidentNumber, type.toLowerCase(), value.toLowerCase()].join('\u0000');
}

function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Builds the store and stores the seed's artifacts (detecting types where the seed omits them). */
export function createArtifactStore(seed: SeedData): ArtifactStore {
  const artifacts: MockArtifact[] = [];
  const byIdentity = new Map<string, MockArtifact>();
  let nextId = 1;

  function upsert(
    site: string,
    incidentNumber: string,
    typeName: string | null,
    item: DetectedItem,
  ): UpsertResult {
    const { type, response } = storedType(typeName, item);
    const name = String(item.identity.value);
    const key = identityKey(site, incidentNumber, type, name);
    const existing = byIdentity.get(key);
    const given = item.fields as Readonly<Record<string, unknown>>;
    if (existing === undefined) {
      const time = nowIso();
      const artifact: MockArtifact = {
        ArtifactId: nextId++,
        Site: site,
        IncidentNumber: incidentNumber,
        ArtifactType: type,
        ResponseType: response,
        Identity: { field: item.identity.field, value: name },
        ArtifactName: name,
        Fields: structuredClone(given) as Record<string, unknown>,
        CreatedUtcTime: time,
        UpdatedUtcTime: time,
      };
      artifacts.push(artifact);
      byIdentity.set(key, artifact);
      return {
        ArtifactType: response,
        Status: 'Successful',
        ArtifactName: name,
        UpdateOrAdd: 'Add',
        ArtifactDetails: answerFields(artifact.Fields),
      };
    }
    const old = existing.Fields;
    const next = mergeFields(old, given);
    const changed = !sameFields(old, next);
    existing.Fields = next;
    if (changed) existing.UpdatedUtcTime = nowIso();
    return {
      ArtifactType: response,
      Status: 'Successful',
      ArtifactName: existing.ArtifactName,
      UpdateOrAdd: 'Update',
      // As in the vendor's sample: Old/New when something changed, the fields alone when not.
      ArtifactDetails: changed
        ? { Old: answerFields(old), New: answerFields(next) }
        : answerFields(next),
    };
  }

  (seed.artifacts ?? []).forEach((artifact, index) => {
    const typeName = artifact.ArtifactType ?? null;
    const [result] = validateArtifacts(typeName, [artifact.Fields]);
    if (result === undefined || !result.ok) {
      throw new TypeError(
        `seed.artifacts[${index}].Fields: ${result?.ok === false ? result.error.message : 'not an artifact'}`,
      );
    }
    upsert(artifact.Site, artifact.IncidentNumber, typeName, result);
  });

  return { artifacts, upsert };
}
