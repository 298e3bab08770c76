// Artifact-type detection and the value checks behind it, in one module on purpose (it is long):
// detection, the per-field checks and the batch validator share the field tables, the sentinel
// values and one order of checks, and each needs the others' intermediate results; split apart,
// every part would re-derive them or export internals only its siblings use.
import {
  describeValue as describe,
  isPlainObject,
  UNSAFE_KEYS,
  type D3Warning,
} from '@d3soar/support';
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
import { ipAddressClass, ipAddressScope, splitIpList } from './ip.js';
import { isBlankArtifactValue } from './values.js';

/** A JSON scalar, as `Additional` values may be given with `coerce: true`. */
export type ArtifactScalar = string | number | boolean | null;

/**
 * A field value as callers may give it. The OpenAPI contract (and so D3) takes strings only, and
 * an object of strings in `Additional`; that is all detection accepts by default. With
 * `coerce: true` it also takes finite numbers, `null` (no value), IP lists as arrays and
 * numbers, booleans or `null` inside `Additional`, and converts them to the contract's strings.
 */
export type ArtifactFieldValue =
  string | number | null | readonly string[] | Readonly<Record<string, ArtifactScalar>>;

/** Artifact fields keyed by the vendor's field names. */
export type ArtifactFields = Readonly<Partial<Record<ArtifactFieldName, ArtifactFieldValue>>>;

/**
 * Artifact fields as the contract's `SystemArtifactFieldSet` / `UserDefinedArtifactFieldSet` take
 * them: every value a string, and `Additional` an object of strings.
 */
export type CheckedArtifactFields = {
  readonly [Field in ArtifactFieldName]?: Field extends 'Additional'
    ? Readonly<Record<string, string>>
    : string;
} & {
  /** Fields the vendor's tables do not name, sent as given (each with a warning). */
  readonly [field: string]: string | Readonly<Record<string, string>> | undefined;
};

/** Options of {@link detectArtifactType} and {@link validateArtifacts}. */
export interface DetectArtifactOptions {
  /**
   * Accept the looser values code tends to build and convert them to the contract's strings in
   * the result: finite numbers (`21721` → `'21721'`), `null` (left out, as no value), IP lists as
   * arrays (`['10.0.0.1', '10.0.0.2']` → `'10.0.0.1, 10.0.0.2'`, the vendor's own spelling), and
   * numbers, booleans or `null` inside `Additional`. Hash fields still take strings only.
   * Default `false`: values must already be what the OpenAPI contract takes — strings, and an
   * object of strings in `Additional` — and anything else is `invalid_value`, because D3 (and the
   * mock server) reject the request with a 400.
   */
  readonly coerce?: boolean;
}

/** The outcome of detection. */
export interface DetectedArtifact {
  /** The system composite type D3 will file the artifact under, or `UserDefined`. */
  readonly type: DetectedArtifactType;
  /** The field that names the artifact (D3's `ArtifactName`) and its value. */
  readonly identity: { readonly field: ArtifactFieldName; readonly value: string };
  /**
   * The fields to send, with keys in the vendor's casing (`url` → `URL`) and values as given
   * (converted to strings with `coerce`), minus the empty fields of other types, which decided
   * nothing. A fresh object: nothing in it is shared with the input.
   */
  readonly fields: CheckedArtifactFields;
  /** What D3 may not take as sent (see the README's rules); empty when nothing is uncertain. */
  readonly warnings: readonly D3Warning[];
}

/** The address class D3 documents each IP field for (see `ipAddressClass`). */
const IP_FIELDS: ReadonlyMap<string, 'public' | 'internal'> = new Map([
  ['External_IPAddress', 'public'],
  ['Internal_IPAddress', 'internal'],
]);
const HASH_DIGITS: ReadonlyMap<string, number> = new Map([
  ['MD5', 32],
  ['SHA1', 40],
  ['SHA256', 64],
]);
const HEX = /^[0-9a-fA-F]*$/;

/** Why a value is invalid (a class, so no checked value can be mistaken for one). */
class Invalid {
  constructor(readonly reason: string) {}
}
/** "Leave the field out": a `null` with `coerce`. */
const LEAVE_OUT = Symbol('leave out');
/**
 * A checked value: the value to send (the given one itself on the usual path, so checking
 * allocates nothing), `LEAVE_OUT`, or `Invalid`.
 */
type Checked = unknown;

function contractType(field: string): string {
  return IP_FIELDS.has(field)
    ? 'a string (an IP address, or several separated by commas)'
    : 'a string';
}

/** The reason for a value the contract does not take, with the hint `coerce` would fix it. */
function notContractValue(field: string, value: unknown, convertible: boolean): Invalid {
  const hint =
    value === null
      ? ': the contract has no null; leave the field out'
      : convertible
        ? ' (pass { coerce: true } to have it converted)'
        : '';
  return new Invalid(`${field} must be ${contractType(field)}, not ${describe(value)}${hint}`);
}

/**
 * An IP field's value: every address must parse (an address that does not is certainly wrong), and
 * one of a class the field is not documented for is sent as given with a warning: NAT, partner
 * networks and public ranges used inside make private external and public internal addresses
 * real, and D3 documents no check of either.
 */
function checkIpValue(
  field: string,
  value: unknown,
  coerce: boolean,
  warnings: D3Warning[],
): Checked {
  const want = IP_FIELDS.get(field);
  let addresses: readonly unknown[];
  if (typeof value === 'string') addresses = splitIpList(value);
  else if (coerce && Array.isArray(value)) addresses = value;
  else return notContractValue(field, value, Array.isArray(value));
  for (const address of addresses) {
    if (typeof address !== 'string')
      return new Invalid(`${field} holds ${describe(address)}, which is not a string`);
    const trimmed = address.trim();
    const scope = ipAddressScope(trimmed);
    if (scope === null)
      return new Invalid(`${field} holds ${describe(trimmed)}, which is not an IP address`);
    const found = ipAddressClass(scope);
    if (found === want) continue;
    warnings.push(
      found === 'special-purpose'
        ? {
            code: 'ip-special-purpose',
            path: field,
            message: `${field} holds ${trimmed}, a special-purpose address (${scope.range}) that is neither private nor globally reachable; D3 documents neither IP field for it, so it is sent as given`,
          }
        : found === 'internal'
          ? {
              code: 'ip-not-public',
              path: field,
              message: `${field} holds ${trimmed}, a non-public address (${scope.range}); D3 documents External_IPAddress for public addresses, and Internal_IPAddress for your own network's. It is sent as given`,
            }
          : {
              code: 'ip-public-in-internal',
              path: field,
              message: `${field} holds ${trimmed}, a public address; D3 documents Internal_IPAddress for your own network's addresses (a network can use public ranges inside), and External_IPAddress for others'. It is sent as given`,
            },
    );
  }
  return typeof value === 'string' ? value : addresses.join(', ');
}

/** A scalar as the contract takes it (a string), or why not. */
function checkScalar(field: string, value: unknown, coerce: boolean, booleans: boolean): Checked {
  if (typeof value === 'string') return value;
  if (value === null) return coerce ? LEAVE_OUT : notContractValue(field, value, true);
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      return new Invalid(`${field} must be a string, not the number ${String(value)}`);
    return coerce ? String(value) : notContractValue(field, value, true);
  }
  if (typeof value === 'boolean' && booleans) {
    return coerce ? String(value) : notContractValue(field, value, true);
  }
  return notContractValue(field, value, false);
}

function checkAdditional(value: unknown, coerce: boolean, unsafe: string[]): Checked {
  if (value === null) return coerce ? LEAVE_OUT : notContractValue('Additional', value, true);
  if (!isPlainObject(value)) {
    return new Invalid(
      `Additional must be an object of attribute names to strings, not ${describe(value)}`,
    );
  }
  const copy: Record<string, string> = {};
  let invalid: string | undefined;
  for (const key of Object.keys(value)) {
    if (UNSAFE_KEYS.has(key.toLowerCase())) {
      unsafe.push(`Additional.${key}`);
      continue;
    }
    const checked = checkScalar(`Additional.${key}`, value[key], coerce, true);
    if (checked instanceof Invalid) invalid ??= checked.reason;
    // Safe to assign: unsafe keys were set aside just above.
    else if (typeof checked === 'string') copy[key] = checked;
  }
  return invalid === undefined ? copy : new Invalid(invalid);
}

/** Why a value does not fit its field, or the value to send. */
function checkValue(
  field: ArtifactFieldName,
  value: unknown,
  coerce: boolean,
  warnings: D3Warning[],
): Checked {
  if (IP_FIELDS.has(field)) {
    if (value === null) return coerce ? LEAVE_OUT : notContractValue(field, value, true);
    if (coerce && Array.isArray(value) && value.every(isBlankArtifactValue)) return LEAVE_OUT;
    // A blank value decides nothing and is sent as it is; only filled ones must parse.
    return typeof value === 'string' && isBlankArtifactValue(value)
      ? value
      : checkIpValue(field, value, coerce, warnings);
  }
  const digits = HASH_DIGITS.get(field);
  if (digits !== undefined) {
    if (typeof value !== 'string') {
      // Never converted: a number loses leading zeros and digits (1e63), so it is no hash.
      return value === null && coerce
        ? LEAVE_OUT
        : new Invalid(`${field} must be a string of ${digits} hex digits, not ${describe(value)}`);
    }
    const trimmed = value.trim();
    if (trimmed.length > 0 && (trimmed.length !== digits || !HEX.test(trimmed))) {
      return new Invalid(
        `${field} must be ${digits} hex digits, not ${describe(value)} (${trimmed.length} characters)`,
      );
    }
    return value;
  }
  return checkScalar(field, value, coerce, false);
}

interface PresentField {
  /** The key as given. */
  readonly key: string;
  readonly field: ArtifactFieldName;
  readonly type: DetectedArtifactType | null;
  /** Read once: later passes use this rather than looking the key up again. */
  readonly value: unknown;
  /** Whether the value is empty, so it decides nothing (see `isBlankArtifactValue`). */
  readonly blank: boolean;
}

function unsafeKeyError(keys: readonly string[], types?: readonly DetectedArtifactType[]) {
  return new ArtifactError(
    'unsafe_key',
    `Artifact fields must not use the key${keys.length > 1 ? 's' : ''} ${keys.map(describe).join(', ')}: it could alter object prototypes, so it is rejected`,
    { fields: keys, ...(types ? { types } : {}) },
  );
}

/**
 * Detects the system composite type D3 will give one `Artifact Fields` object, as D3 does when
 * `Artifact Type` is left blank, and checks its values against the OpenAPI contract.
 *
 * Keys match case-insensitively (`url`, `Url` → `URL`); the result uses the vendor's casing.
 * `Reputation` is shared by several types and decides nothing, and neither does an empty value
 * (`''`, blanks, `null`): `{ URL: '', UserName: 'bob' }` is a User. An object with a filled
 * `Identity` is a user-defined artifact (`Identity`, optional `Reputation` and `Additional`).
 * Values must be strings (`Additional`: an object of strings), as the contract has them, unless
 * `options.coerce` converts numbers, nulls and IP arrays.
 *
 * @throws {ArtifactError} `unsafe_key` (`__proto__`, `constructor`, `prototype`, also inside
 *   `Additional`), `unknown_fields`, `conflicting_fields` (filled fields of two types, or one
 *   field twice), `empty` (no filled field that identifies an artifact), `invalid_value` (not an
 *   object; a value that is not a string; a hash that is not hex of the right length; an IP that
 *   does not parse or is in the wrong scope). Checked in that order; `fields` names the offenders.
 */
export function detectArtifactType(
  fields: unknown,
  options: DetectArtifactOptions = {},
): DetectedArtifact {
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
  const coerce = options.coerce === true;
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
    const value = fields[key];
    present.push({
      key,
      field: known.field,
      type: known.type,
      value,
      blank: isBlankArtifactValue(value),
    });
  }

  if (unsafe) throw unsafeKeyError(unsafe);
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

  // Only filled fields decide: an empty value says nothing about what the artifact is.
  let type: DetectedArtifactType | undefined;
  let conflict = false;
  for (const entry of present) {
    if (entry.type === null || entry.blank) continue;
    if (type === undefined) type = entry.type;
    else if (entry.type !== type) conflict = true;
  }
  if (conflict) {
    const deciding = present.filter((entry) => entry.type !== null && !entry.blank);
    const types = typesOf(deciding);
    const byType = types.map(
      (t) =>
        `${t} (${deciding
          .filter((entry) => entry.type === t)
          .map((entry) => entry.key)
          .join(', ')})`,
    );
    throw new ArtifactError(
      'conflicting_fields',
      `Artifact fields mix types: ${byType.join(' and ')}; one object makes one artifact, so send them as separate objects`,
      { fields: deciding.map((entry) => entry.key), types },
    );
  }
  if (type === undefined) {
    const typed = present.filter((entry) => entry.type !== null);
    throw new ArtifactError(
      unknown === undefined ? 'empty' : 'unknown_fields',
      unknown !== undefined && typed.length === 0
        ? `No artifact field says what the artifact is: ${unknown.map(describe).join(', ')} ${unknown.length > 1 ? 'are fields' : 'is a field'} of no system type; for a user-defined artifact, add Identity`
        : present.length === 0
          ? 'Artifact fields are empty: D3 creates no artifact from them'
          : typed.length === 0
            ? 'Artifact fields hold only Reputation, which several types share: no field says what the artifact is'
            : `Every artifact field is empty, null or missing (${typed.map((entry) => entry.key).join(', ')}): D3 creates no artifact from them`,
      { fields: unknown ?? present.map((entry) => entry.key), types: typesOf(typed) },
    );
  }

  const invalid: string[] = [];
  const reasons: string[] = [];
  const nestedUnsafe: string[] = [];
  const warnings: D3Warning[] = [];
  let userDefinedKeys: string[] | undefined;
  const result: Record<string, unknown> = {};
  for (const entry of present) {
    if (entry.value === undefined) continue;
    if (entry.type !== null && entry.type !== type) {
      // An empty field of another type decided nothing and is left out of the fields to send.
      // Without `coerce` the input itself must still be what the contract takes: a string, and
      // no Identity or Additional at all in a system artifact.
      if (coerce) continue;
      if (entry.type === 'UserDefined') (userDefinedKeys ??= []).push(entry.key);
      else if (typeof entry.value !== 'string') {
        invalid.push(entry.key);
        reasons.push(notContractValue(entry.key, entry.value, true).reason);
      }
      continue;
    }
    const checked =
      entry.field === 'Additional'
        ? checkAdditional(entry.value, coerce, nestedUnsafe)
        : checkValue(entry.field, entry.value, coerce, warnings);
    if (checked instanceof Invalid) {
      invalid.push(entry.key);
      reasons.push(checked.reason);
      // Plain assignment is safe here: every key is a field name from the vendor table.
    } else if (checked !== LEAVE_OUT) result[entry.field] = checked;
  }
  // Fields the vendor's tables do not name: a user-defined type has fields of its own, and D3 may
  // ignore or take an unknown one beside a system type's; both are sent as given, with a warning.
  for (const key of unknown ?? []) {
    const checked = checkScalar(key, fields[key], coerce, false);
    if (checked instanceof Invalid) {
      invalid.push(key);
      reasons.push(checked.reason);
      continue;
    }
    if (checked === LEAVE_OUT) continue;
    // Safe to assign: unsafe keys were refused above.
    result[key] = checked;
    warnings.push(
      type === 'UserDefined'
        ? {
            code: 'user-defined-own-field',
            path: key,
            message: `${key} is sent as a top-level field of the user-defined artifact; D3's own sample keeps a user-defined type's attributes in Additional, so check that the type defines ${key}`,
          }
        : {
            code: 'unknown-field',
            path: key,
            message: `${key} is not a field of ${type} artifacts (nor of any system type); D3 may ignore or refuse it. It is sent as given`,
          },
    );
  }
  if (userDefinedKeys) {
    throw new ArtifactError(
      'conflicting_fields',
      `Artifact fields mix types: ${userDefinedKeys.join(' and ')} (empty) beside ${type} fields; the contract's system artifacts take no Identity or Additional at all, so leave ${userDefinedKeys.length > 1 ? 'them' : 'it'} out (or pass { coerce: true } to have empty ones dropped)`,
      { fields: userDefinedKeys, types: [type, 'UserDefined'] },
    );
  }
  if (nestedUnsafe.length > 0) throw unsafeKeyError(nestedUnsafe, [type]);
  if (invalid.length > 0) {
    throw new ArtifactError('invalid_value', `Invalid ${type} artifact: ${reasons.join('; ')}`, {
      fields: invalid,
      types: [type],
    });
  }
  const identity = findIdentity(type, result);
  if (identity === undefined) throw emptyError(type, present);
  return { type, identity, fields: result as CheckedArtifactFields, warnings };
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
  fields: Readonly<Record<string, unknown>>,
): DetectedArtifact['identity'] | undefined {
  for (const field of IDENTITY_CANDIDATES.get(type) ?? []) {
    const value = fields[field];
    if (typeof value === 'string' && !isBlankArtifactValue(value)) return { field, value };
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
      if (detected.type === expected.type && !isBlankArtifactValue(detected.fields[expected.field]))
        return null;
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
 * need `Identity`. A misfit is reported as `conflicting_fields`. `options` is passed to
 * {@link detectArtifactType} for every item (`coerce` to accept numbers, nulls and IP arrays).
 *
 * @throws {ArtifactError} `invalid_value` only when `list` is not an array.
 */
export function validateArtifacts(
  type: ArtifactTypeName | null | undefined,
  list: readonly unknown[],
  options: DetectArtifactOptions = {},
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
      const detected = detectArtifactType(item, options);
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
