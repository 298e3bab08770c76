import {
  COMPOSITE_ARTIFACT_FIELDS,
  FIELD_BY_LOWER_NAME,
  FIELD_BY_NAME,
  IDENTITY_FIELD_ORDER,
  SINGLE_FIELD_ARTIFACT_TYPES,
  fromResponseArtifactType,
  type ArtifactFieldName,
  type CompositeArtifactField,
  type CompositeArtifactType,
  type DetectedArtifactType,
  type ResponseArtifactType,
  type SingleFieldArtifactType,
} from './artifact-types.js';
import { ArtifactError } from './errors.js';
import { ipAddressScope, splitIpList } from './ip.js';

/** A JSON scalar, as user-defined `Additional` fields hold. */
export type ArtifactScalar = string | number | boolean | null;

/**
 * A field value D3 accepts: a string or number; for IP fields also a list of addresses; for
 * `Additional`, an object of scalars. `null` and `''` count as empty.
 */
export type ArtifactFieldValue =
  string | number | null | readonly string[] | Readonly<Record<string, ArtifactScalar>>;

/** Artifact fields keyed by the vendor's field names. */
export type ArtifactFields = Readonly<Partial<Record<ArtifactFieldName, ArtifactFieldValue>>>;

/** The outcome of detection. */
export interface DetectedArtifact {
  /** The system composite type D3 will file the artifact under, or `UserDefined`. */
  readonly type: DetectedArtifactType;
  /** The field that names the artifact (D3's `ArtifactName`) and its value. */
  readonly identity: { readonly field: ArtifactFieldName; readonly value: string | number };
  /**
   * The fields as given, with keys in the vendor's casing (`url` → `URL`) and values unchanged
   * (arrays and `Additional` copied). A fresh object: nothing in it is shared with the input.
   */
  readonly fields: ArtifactFields;
}

const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const IP_FIELDS: ReadonlyMap<string, 'public' | 'non-public'> = new Map([
  ['External_IPAddress', 'public'],
  ['Internal_IPAddress', 'non-public'],
]);
const HASH_DIGITS: ReadonlyMap<string, number> = new Map([
  ['MD5', 32],
  ['SHA1', 40],
  ['SHA256', 64],
]);
const HEX = /^[0-9a-fA-F]*$/;

/** A short rendering of a value for messages; never throws (BigInts, cycles, symbols). */
function describe(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = typeof value === 'bigint' ? `${value}n` : Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Whether a string holds only whitespace, without allocating a trimmed copy. */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code > 32 && code !== 160 && code !== 0xfeff && !(code >= 0x2000 && code <= 0x200a))
      return false;
  }
  return true;
}

function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (typeof value === 'string' && isBlank(value)) ||
    (Array.isArray(value) && value.every(isEmpty))
  );
}

function checkIpValue(field: string, value: unknown): string | null {
  const want = IP_FIELDS.get(field);
  const addresses =
    typeof value === 'string' ? splitIpList(value) : Array.isArray(value) ? value : null;
  if (addresses === null) {
    return `${field} must be an IP address, a comma-separated list of them or an array of them, not ${describe(value)}`;
  }
  for (const address of addresses) {
    if (typeof address !== 'string')
      return `${field} holds ${describe(address)}, which is not a string`;
    const trimmed = address.trim();
    const scope = ipAddressScope(trimmed);
    if (scope === null) return `${field} holds ${describe(trimmed)}, which is not an IP address`;
    if (want === 'public' && !scope.isPublic) {
      return `${field} holds ${trimmed}, a non-public address (${scope.range}); External_IPAddress takes public addresses: send it as Internal_IPAddress`;
    }
    if (want === 'non-public' && scope.isPublic) {
      return `${field} holds ${trimmed}, a public address; Internal_IPAddress takes non-public addresses (private, loopback, link-local, CGNAT, unique-local, ...): send it as External_IPAddress`;
    }
  }
  return null;
}

function checkAdditional(value: unknown, unsafe: string[]): string | null {
  if (!isPlainObject(value))
    return `Additional must be an object of fields, not ${describe(value)}`;
  for (const key of Object.keys(value)) {
    if (UNSAFE_KEYS.has(key.toLowerCase())) {
      unsafe.push(`Additional.${key}`);
      continue;
    }
    const item = value[key];
    if (item !== null && typeof item === 'object') {
      return `Additional.${key} must be a string, number, boolean or null, not ${describe(item)}`;
    }
    if (typeof item === 'number' && !Number.isFinite(item)) {
      return `Additional.${key} must be a finite number, not ${String(item)}`;
    }
    if (
      typeof item !== 'string' &&
      typeof item !== 'number' &&
      typeof item !== 'boolean' &&
      item !== null
    ) {
      return `Additional.${key} must be a string, number, boolean or null, not ${typeof item}`;
    }
  }
  return null;
}

/** Why a (non-empty) value does not fit its field, or `null` when it does. */
function checkValue(field: ArtifactFieldName, value: unknown): string | null {
  if (IP_FIELDS.has(field)) return checkIpValue(field, value);
  if (typeof value === 'number') {
    return Number.isFinite(value) ? null : `${field} must be a finite number, not ${String(value)}`;
  }
  if (typeof value !== 'string') {
    return `${field} must be a string or a number, not ${describe(value)}`;
  }
  const digits = HASH_DIGITS.get(field);
  if (digits !== undefined) {
    const trimmed = value.trim();
    if (trimmed.length !== digits || !HEX.test(trimmed)) {
      return `${field} must be ${digits} hex digits, not ${describe(value)} (${trimmed.length} characters)`;
    }
  }
  return null;
}

interface PresentField {
  /** The key as given. */
  readonly key: string;
  readonly field: ArtifactFieldName;
  readonly type: DetectedArtifactType | null;
  /** Read once: later passes use this rather than looking the key up again. */
  readonly value: unknown;
}

/**
 * Detects the system composite type D3 will give one `Artifact Fields` object, as D3 does when
 * `Artifact Type` is left blank, and checks its values.
 *
 * Keys match case-insensitively (`url`, `Url` → `URL`); the result uses the vendor's casing.
 * `Reputation` is shared by several types and decides nothing. An object with `Identity` is a
 * user-defined artifact (`Identity`, optional `Reputation` and `Additional`).
 *
 * @throws {ArtifactError} `unsafe_key` (`__proto__`, `constructor`, `prototype`, also inside
 *   `Additional`), `unknown_fields`, `conflicting_fields` (fields of two types, or one field twice),
 *   `empty` (nothing that identifies an artifact), `invalid_value` (not an object; a hash that is
 *   not hex of the right length; an IP that does not parse or is in the wrong scope; a value of
 *   the wrong type). Checked in that order; `fields` names the offenders.
 */
export function detectArtifactType(fields: unknown): DetectedArtifact {
  if (fields === null || fields === undefined) {
    throw new ArtifactError(
      'empty',
      `Artifact fields are ${String(fields)}: D3 creates no artifact from them`,
    );
  }
  if (!isPlainObject(fields)) {
    throw new ArtifactError(
      'invalid_value',
      `Artifact fields must be a JSON object of field names to values, not ${Array.isArray(fields) ? 'an array' : describe(fields)}`,
    );
  }
  const keys = Object.keys(fields);
  const present: PresentField[] = [];
  let unsafe: string[] | undefined;
  let unknown: string[] | undefined;
  let duplicates: string[] | undefined;
  for (const key of keys) {
    // Keys in the vendor's casing are found without lower-casing (no allocation on the usual path).
    let known = FIELD_BY_NAME.get(key);
    if (known === undefined) {
      const lower = key.toLowerCase();
      if (UNSAFE_KEYS.has(lower)) {
        (unsafe ??= []).push(key);
        continue;
      }
      known = FIELD_BY_LOWER_NAME.get(lower);
      if (known === undefined) {
        (unknown ??= []).push(key);
        continue;
      }
    }
    // An object has a handful of keys: a linear scan beats building a Map.
    for (const earlier of present) {
      if (earlier.field === known.field) (duplicates ??= []).push(earlier.key, key);
    }
    present.push({ key, field: known.field, type: known.type, value: fields[key] });
  }

  if (unsafe) {
    throw new ArtifactError(
      'unsafe_key',
      `Artifact fields must not use the key${unsafe.length > 1 ? 's' : ''} ${unsafe.map(describe).join(', ')}: it could alter object prototypes, so it is rejected`,
      { fields: unsafe },
    );
  }
  if (unknown) {
    const userDefined = present.some((entry) => entry.field === 'Identity');
    throw new ArtifactError(
      'unknown_fields',
      `Unknown artifact field${unknown.length > 1 ? 's' : ''} ${unknown.map(describe).join(', ')}` +
        (userDefined
          ? ': a user-defined artifact takes Identity, Reputation and Additional; put its own fields inside Additional'
          : ': not a field of any system composite type; for a user-defined artifact add Identity and put its fields inside Additional'),
      { fields: unknown },
    );
  }
  if (duplicates) {
    throw new ArtifactError(
      'conflicting_fields',
      `Artifact fields name the same field more than once in different casing: ${duplicates.map(describe).join(', ')}`,
      {
        fields: duplicates,
        types: typesOf(present.filter((entry) => duplicates.includes(entry.key))),
      },
    );
  }

  let type: DetectedArtifactType | undefined;
  let conflict = false;
  for (const entry of present) {
    if (entry.type === null) continue;
    if (type === undefined) type = entry.type;
    else if (type !== entry.type) conflict = true;
  }
  if (conflict) {
    const byType = new Map<DetectedArtifactType, string[]>();
    for (const entry of present) {
      if (entry.type === null) continue;
      const list = byType.get(entry.type) ?? [];
      list.push(entry.key);
      byType.set(entry.type, list);
    }
    const types = typesOf(present);
    throw new ArtifactError(
      'conflicting_fields',
      `Artifact fields mix types: ${[...byType].map(([t, keysOfType]) => `${t} (${keysOfType.join(', ')})`).join(' and ')}; one object makes one artifact, so send them as separate objects`,
      { fields: present.filter((p) => p.type !== null).map((p) => p.key), types },
    );
  }
  if (type === undefined) {
    throw new ArtifactError(
      'empty',
      present.length === 0
        ? 'Artifact fields are empty: D3 creates no artifact from them'
        : 'Artifact fields hold only Reputation, which several types share: no field says what the artifact is',
      { fields: present.map((p) => p.key) },
    );
  }

  const invalid: string[] = [];
  const reasons: string[] = [];
  const nestedUnsafe: string[] = [];
  let anyValue = false;
  for (const entry of present) {
    const value = entry.value;
    if (isEmpty(value)) continue;
    if (entry.type !== null) anyValue = true;
    const reason =
      entry.field === 'Additional'
        ? checkAdditional(value, nestedUnsafe)
        : checkValue(entry.field, value);
    if (reason !== null) {
      invalid.push(entry.key);
      reasons.push(reason);
    }
  }
  if (nestedUnsafe.length > 0) {
    throw new ArtifactError(
      'unsafe_key',
      `Artifact fields must not use the key${nestedUnsafe.length > 1 ? 's' : ''} ${nestedUnsafe.map(describe).join(', ')}: it could alter object prototypes, so it is rejected`,
      { fields: nestedUnsafe, types: [type] },
    );
  }

  if (!anyValue) throw emptyError(type, present);
  if (invalid.length > 0) {
    throw new ArtifactError('invalid_value', `Invalid ${type} artifact: ${reasons.join('; ')}`, {
      fields: invalid,
      types: [type],
    });
  }
  const identity = findIdentity(type, present);
  if (identity === undefined) throw emptyError(type, present);

  const result: Record<string, unknown> = {};
  // Plain assignment is safe here: every key is a field name from the vendor table.
  for (const entry of present) result[entry.field] = copyValue(entry.value);
  return { type, identity, fields: result as ArtifactFields };
}

function emptyError(type: DetectedArtifactType, present: readonly PresentField[]): ArtifactError {
  return new ArtifactError(
    'empty',
    type === 'UserDefined'
      ? 'A user-defined artifact needs a non-empty Identity: D3 creates no artifact without one'
      : `Every ${type} field is empty, null or missing: D3 creates no artifact from them`,
    { fields: present.map((entry) => entry.key), types: [type] },
  );
}

function typesOf(entries: readonly PresentField[]): DetectedArtifactType[] {
  const types = new Set<DetectedArtifactType>();
  for (const entry of entries) if (entry.type !== null) types.add(entry.type);
  return [...types];
}

function copyValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice();
  if (isPlainObject(value)) {
    // Only `Additional` gets here, after checkAdditional rejected `__proto__`, `constructor` and
    // `prototype` among its keys: plain assignment cannot reach a prototype.
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) copy[key] = value[key];
    return copy;
  }
  return value;
}

/** Per type, the identity fields first, then the type's other fields as a fallback. */
const IDENTITY_CANDIDATES = new Map<DetectedArtifactType, readonly ArtifactFieldName[]>(
  (Object.keys(IDENTITY_FIELD_ORDER) as DetectedArtifactType[]).map((type) => [
    type,
    [
      ...new Set<ArtifactFieldName>([
        ...IDENTITY_FIELD_ORDER[type],
        ...(type === 'UserDefined' ? [] : COMPOSITE_ARTIFACT_FIELDS[type]),
      ]),
    ],
  ]),
);

function findIdentity(
  type: DetectedArtifactType,
  present: readonly PresentField[],
): DetectedArtifact['identity'] | undefined {
  for (const field of IDENTITY_CANDIDATES.get(type) ?? []) {
    let entry: PresentField | undefined;
    for (const candidate of present) if (candidate.field === field) entry = candidate;
    if (entry === undefined) continue;
    const value = entry.value;
    if (isEmpty(value)) continue;
    if (typeof value === 'string' || typeof value === 'number') return { field, value };
    if (Array.isArray(value)) {
      const first = value.find((item) => !isEmpty(item));
      if (typeof first === 'string') return { field, value: first };
    }
  }
  return undefined;
}

/** The outcome for one item of a batch. */
export type ArtifactValidation =
  | ({ readonly ok: true; readonly index: number } & DetectedArtifact)
  | { readonly ok: false; readonly index: number; readonly error: ArtifactError };

/** An `Artifact Type` value: a composite type (either spelling), a single-field type, or a user-defined type's name. */
export type ArtifactTypeName =
  CompositeArtifactType | ResponseArtifactType | SingleFieldArtifactType | (string & {});

type Expectation =
  | { kind: 'detect' }
  | { kind: 'composite'; name: string; type: CompositeArtifactType }
  | { kind: 'single'; name: string; type: CompositeArtifactType; field: CompositeArtifactField }
  | { kind: 'user-defined'; name: string };

const SINGLE_FIELD_BY_LOWER_NAME = new Map(
  Object.entries(SINGLE_FIELD_ARTIFACT_TYPES).map(([name, target]) => [
    name.toLowerCase(),
    { name, ...target },
  ]),
);

function expectationOf(type: string | null | undefined): Expectation {
  if (type === null || type === undefined || type.trim() === '') return { kind: 'detect' };
  const name = type.trim();
  const composite = fromResponseArtifactType(name);
  if (composite !== null) return { kind: 'composite', name, type: composite };
  const single = SINGLE_FIELD_BY_LOWER_NAME.get(name.toLowerCase());
  if (single !== undefined) {
    return { kind: 'single', name: single.name, type: single.compositeType, field: single.field };
  }
  return { kind: 'user-defined', name };
}

function checkFits(expected: Expectation, detected: DetectedArtifact): ArtifactError | null {
  switch (expected.kind) {
    case 'detect':
      return null;
    case 'composite':
      return detected.type === expected.type
        ? null
        : new ArtifactError(
            'conflicting_fields',
            `Artifact Type is "${expected.name}", but the fields are those of ${detected.type}`,
            { fields: Object.keys(detected.fields), types: [expected.type, detected.type] },
          );
    case 'single': {
      if (detected.type === expected.type && !isEmpty(detected.fields[expected.field])) return null;
      return new ArtifactError(
        'conflicting_fields',
        detected.type === expected.type
          ? `Artifact Type is "${expected.name}", which needs a non-empty ${expected.field}`
          : `Artifact Type is "${expected.name}" (${expected.field}), but the fields are those of ${detected.type}`,
        { fields: [expected.field], types: [expected.name, detected.type] },
      );
    }
    case 'user-defined':
      return detected.type === 'UserDefined'
        ? null
        : new ArtifactError(
            'conflicting_fields',
            `Artifact Type "${expected.name}" is no system type, so it names a user-defined type, whose artifacts need Identity; the fields are those of ${detected.type}`,
            { fields: Object.keys(detected.fields), types: [expected.name, detected.type] },
          );
  }
}

/**
 * Checks a whole `Artifact Fields` list at once, so a batch can be previewed: one result per item,
 * in order, each either the detected artifact or the `ArtifactError` that item would cause.
 *
 * With `type` null, undefined or blank, each item is detected on its own (D3's behaviour when
 * `Artifact Type` is left blank). With a type, every item must fit it: a composite type (request or
 * response spelling, any case) must be the detected one; a single-field type (`External IP`) needs
 * its composite type with that field filled; any other name is a user-defined type, whose items
 * need `Identity`. A misfit is reported as `conflicting_fields`.
 *
 * @throws {ArtifactError} `invalid_value` only when `list` is not an array.
 */
export function validateArtifacts(
  type: ArtifactTypeName | null | undefined,
  list: readonly unknown[],
): ArtifactValidation[] {
  if (!Array.isArray(list)) {
    throw new ArtifactError(
      'invalid_value',
      `Artifact Fields must be an array of objects, not ${describe(list)}`,
    );
  }
  if (type !== null && type !== undefined && typeof type !== 'string') {
    throw new ArtifactError(
      'invalid_value',
      `Artifact Type must be a string or null, not ${describe(type)}`,
    );
  }
  const expected = expectationOf(type);
  return list.map((item, index): ArtifactValidation => {
    try {
      const detected = detectArtifactType(item);
      const misfit = checkFits(expected, detected);
      return misfit === null
        ? { ok: true, index, ...detected }
        : { ok: false, index, error: misfit };
    } catch (error) {
      if (error instanceof ArtifactError) return { ok: false, index, error };
      throw error;
    }
  });
}
