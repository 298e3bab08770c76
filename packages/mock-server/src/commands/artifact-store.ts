import { isPlainObject, nowIso } from '@d3soar/support';
import {
  IDENTITY_FIELD_ORDER,
  isBlankArtifactValue,
  splitIpList,
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
   * Adds the artifact, or updates the one of the same type on the same incident that shares an
   * identity value with it (see {@link isSameArtifact}). `typeName` is the request's
   * `Artifact Type` (blank for detection).
   */
  upsert(
    site: string,
    incidentNumber: string,
    typeName: string | null,
    item: DetectedItem,
  ): UpsertResult;
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
      answer[key] = isBlankArtifactValue(value) ? [] : splitIpList(value);
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

/**
 * The new field set of an update: given values win unless blank in the domain's sense (`null`,
 * whitespace, a list of blanks), which leave the stored value alone; `Additional` merges key by
 * key under the same rule.
 */
function mergeFields(
  old: Readonly<Record<string, unknown>>,
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = structuredClone(old);
  for (const [key, value] of Object.entries(given)) {
    if (isBlankArtifactValue(value)) continue;
    const previous = merged[key];
    merged[key] =
      isPlainObject(previous) && isPlainObject(value)
        ? mergeFields(previous, value)
        : structuredClone(value);
  }
  return merged;
}

function sameFields(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const IP_LIST_FIELDS: ReadonlySet<string> = new Set(['External_IPAddress', 'Internal_IPAddress']);

/**
 * The values an identity field holds, as compared: trimmed and lower-cased (D3 keeps artifacts in
 * SQL Server with a case-insensitive collation: `Administrator` and `administrator` are one user),
 * one per address of an IP list, blanks left out.
 */
function identityValues(field: string, value: unknown): Set<string> {
  const values = new Set<string>();
  const add = (item: unknown): void => {
    if (typeof item === 'number' && Number.isFinite(item)) values.add(String(item));
    else if (typeof item === 'string' && !isBlankArtifactValue(item)) {
      values.add(item.trim().toLowerCase());
    }
  };
  if (Array.isArray(value)) value.forEach(add);
  else if (typeof value === 'string' && IP_LIST_FIELDS.has(field)) splitIpList(value).forEach(add);
  else add(value);
  return values;
}

/**
 * Whether given fields describe a stored artifact of the same type on the same incident: they share
 * a value in at least one of the type's identity fields (`IDENTITY_FIELD_ORDER`), and no identity
 * field holds values in both that differ. So a file sent by SHA256 alone is the file stored with
 * that SHA256 and a FileName, while two processes with one ProcessName but different ProcessGuids,
 * or two endpoints behind one IP address with different FQDNs, stay apart.
 */
function isSameArtifact(
  identityFields: readonly string[],
  given: Readonly<Record<string, unknown>>,
  stored: Readonly<Record<string, unknown>>,
): boolean {
  let shared = false;
  for (const field of identityFields) {
    const mine = identityValues(field, given[field]);
    if (mine.size === 0) continue;
    const theirs = identityValues(field, stored[field]);
    if (theirs.size === 0) continue;
    if (![...mine].some((value) => theirs.has(value))) return false;
    shared = true;
  }
  return shared;
}

/**
 * The artifacts of one type on one incident, with an index from each identity value they have held
 * to the artifacts that held it, so an upsert checks a handful of candidates rather than every
 * artifact. The index only grows; candidates are checked against their current fields.
 */
type Bucket = Map<string, MockArtifact[]>;

function indexKey(field: string, value: string): string {
  return `${field}\u0000${value}`;
}

/** Index key of an identity that detection took from a field outside `IDENTITY_FIELD_ORDER`. */
function fallbackKey(field: string, value: string): string {
  return `fallback\u0000${field}\u0000${value.trim().toLowerCase()}`;
}

function addToIndex(bucket: Bucket, key: string, artifact: MockArtifact): void {
  const holders = bucket.get(key);
  if (holders === undefined) bucket.set(key, [artifact]);
  else if (!holders.includes(artifact)) holders.push(artifact);
}

function indexArtifact(
  bucket: Bucket,
  artifact: MockArtifact,
  identityFields: readonly string[],
): void {
  for (const field of identityFields) {
    for (const value of identityValues(field, artifact.Fields[field])) {
      addToIndex(bucket, indexKey(field, value), artifact);
    }
  }
  addToIndex(bucket, fallbackKey(artifact.Identity.field, artifact.Identity.value), artifact);
}

/**
 * The stored artifact the given item is, if any: by {@link isSameArtifact}, the oldest when several
 * fit (one stored by FileName, another by SHA256). An item with no value in any identity field
 * (a process known only by `ProcessOS`: detection fell back to another field) is the artifact
 * stored under that same field and value.
 */
function findSame(
  bucket: Bucket,
  identityFields: readonly string[],
  item: DetectedItem,
): MockArtifact | undefined {
  const given = item.fields as Readonly<Record<string, unknown>>;
  let found: MockArtifact | undefined;
  let anyIdentityValue = false;
  for (const field of identityFields) {
    for (const value of identityValues(field, given[field])) {
      anyIdentityValue = true;
      for (const stored of bucket.get(indexKey(field, value)) ?? []) {
        if (found !== undefined && found.ArtifactId <= stored.ArtifactId) continue;
        if (isSameArtifact(identityFields, given, stored.Fields)) found = stored;
      }
    }
  }
  if (anyIdentityValue) return found;
  const fallback = bucket.get(fallbackKey(item.identity.field, item.identity.value)) ?? [];
  return fallback.find(
    (stored) =>
      stored.Identity.field === item.identity.field &&
      stored.Identity.value.trim().toLowerCase() === item.identity.value.trim().toLowerCase(),
  );
}

function bucketKey(site: string, incidentNumber: string, type: string): string {
  return [site, incidentNumber, type.toLowerCase()].join('\u0000');
}

/** Builds the store and stores the seed's artifacts (detecting types where the seed omits them). */
export function createArtifactStore(seed: SeedData): ArtifactStore {
  const artifacts: MockArtifact[] = [];
  const buckets = new Map<string, Bucket>();
  let nextId = 1;

  function upsert(
    site: string,
    incidentNumber: string,
    typeName: string | null,
    item: DetectedItem,
  ): UpsertResult {
    const { type, response } = storedType(typeName, item);
    const name = item.identity.value;
    const given = item.fields as Readonly<Record<string, unknown>>;
    const key = bucketKey(site, incidentNumber, type);
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      bucket = new Map();
      buckets.set(key, bucket);
    }
    const identityFields = IDENTITY_FIELD_ORDER[item.type];
    const existing = findSame(bucket, identityFields, item);
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
        Fields: structuredClone(given),
        CreatedUtcTime: time,
        UpdatedUtcTime: time,
      };
      artifacts.push(artifact);
      indexArtifact(bucket, artifact, identityFields);
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
    if (changed) {
      existing.UpdatedUtcTime = nowIso();
      indexArtifact(bucket, existing, identityFields);
    }
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
