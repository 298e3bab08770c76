/**
 * Why an artifact was rejected:
 * - `conflicting_fields`: fields of two types (or one field twice in different casing, or fields
 *   that do not fit the explicit `Artifact Type`); `types` names both.
 * - `unknown_fields`: field names D3 does not know; `fields` names them.
 * - `empty`: no value that could identify an artifact (every value empty, null or missing, or only
 *   the shared `Reputation`): D3 creates no artifact from those.
 * - `invalid_value`: a value of the wrong shape (a hash that is not hex of the right length, an IP
 *   that does not parse, a public `Internal_IPAddress`, a private `External_IPAddress`, ...), or an
 *   input that is not an object at all.
 * - `unsafe_key`: `__proto__`, `constructor` or `prototype` as a key: rejected, never assigned.
 */
export type ArtifactErrorCode =
  'conflicting_fields' | 'unknown_fields' | 'empty' | 'invalid_value' | 'unsafe_key';

/** Thrown (or returned, by `validateArtifacts`) when artifact fields break D3's rules. */
export class ArtifactError extends Error {
  override readonly name = 'ArtifactError';
  /** What rule was broken; see {@link ArtifactErrorCode}. */
  readonly code: ArtifactErrorCode;
  /** The offending field names, as given (nested ones as `Additional.key`). */
  readonly fields: readonly string[];
  /**
   * The artifact types involved: both sides of a conflict, or the type whose value is invalid.
   * Each is a detected type (`DetectedArtifactType`) or a type name given by the caller.
   */
  readonly types: readonly string[];

  constructor(
    code: ArtifactErrorCode,
    message: string,
    details: {
      fields?: readonly string[];
      types?: readonly string[];
    } = {},
  ) {
    super(message);
    this.code = code;
    this.fields = Object.freeze((details.fields ?? []).slice());
    this.types = Object.freeze((details.types ?? []).slice());
  }
}
