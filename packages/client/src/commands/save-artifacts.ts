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
import { checkNumber } from '../check.js';
import { checked, type D3ValidationIssue } from '../errors.js';
import type { ArtifactFieldSet, SaveArtifactForIncidentCommandParams } from '../types.js';
import { filled, show } from './envelope.js';
import {
  checkedBatchSize,
  handedOut,
  preparedCall,
  type PreparedCall,
  type PreparedRequest,
} from './prepared.js';
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
  /** The `CommandParams` for every artifact; the requests of `call` split `Artifact Fields`. */
  params: SaveArtifactForIncidentCommandParams;
  /** One entry per artifact, in input order. */
  artifacts: PreviewedArtifact[];
  /**
   * The requests, each with at most `batchSize` artifacts and a body of at most `maxBodyBytes`,
   * in input order: what `client.send(preview)` sends.
   */
  call: PreparedCall<'SaveArtifactForIncident'>;
  /**
   * What D3 may not take as meant, never refused, at `artifacts.<index>.<field>`: an address
   * outside its field's range, a user-defined type's own fields, an artifact too large for
   * `maxBodyBytes` on its own (see the README's rules).
   */
  warnings: D3Warning[];
}

/** How `saveArtifacts` cuts its requests (the client's options of the same names). */
export interface SaveArtifactsLimits {
  /** Most artifacts per request (default 500). */
  batchSize?: number | undefined;
  /**
   * Largest request body in bytes, envelope included (default 1,000,000: under the 1 MiB the mock
   * reads; D3 documents no limit of its own). `Username` and `Site` are counted at up to 1 KiB.
   */
  maxBodyBytes?: number | undefined;
}

/** The largest request body unless the caller says otherwise: under the mock's 1 MiB. */
const DEFAULT_MAX_BODY_BYTES = 1_000_000;

/**
 * Room kept in every batch for the envelope, which the preview does not know yet (the client adds
 * `Username` and `Site` when it sends, and a call may override them).
 */
const ENVELOPE_ALLOWANCE = 1024;

/** {@link SaveArtifactsLimits} with their defaults, checked. */
export interface CheckedArtifactLimits {
  readonly batchSize: number;
  readonly maxBodyBytes: number;
}

/** `limits` with their defaults, checked; errors name the option. */
export function checkedArtifactLimits(limits: SaveArtifactsLimits = {}): CheckedArtifactLimits {
  return {
    batchSize: checkedBatchSize(limits.batchSize),
    maxBodyBytes: checkNumber(
      'maxBodyBytes',
      limits.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      'integer >= 1',
    ),
  };
}

/**
 * What `client.saveArtifacts(input)` would send, without sending anything: the `CommandParams`
 * and, per artifact, the type D3 will detect, the identity field, the fields as sent and, for a
 * bare value, its single-field type and the rule that decided it; the requests (batches) it
 * would be sent in.
 * @throws {D3ValidationError} listing every problem, as the call would.
 */
export function previewSaveArtifacts(
  input: SaveArtifactsInput,
  options: SaveArtifactsLimits = {},
): SaveArtifactsPreview {
  const limits = checkedArtifactLimits(options);
  const preview = checked('SaveArtifactForIncident', (issues) =>
    prepareSaveArtifacts(input, issues, limits),
  );
  for (const artifact of preview.artifacts) {
    if (typeof artifact.input !== 'string') continue;
    const value = classifyValue(artifact.input);
    if (value) artifact.value = value;
  }
  return handedOut(preview);
}

/** Checks every artifact with `@d3soar/domain/artifacts`, collecting every problem. */
export function prepareSaveArtifacts(
  input: SaveArtifactsInput,
  issues: D3ValidationIssue[],
  limits: CheckedArtifactLimits = checkedArtifactLimits(),
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
    call: preparedCall('SaveArtifactForIncident', cutBatches(params, limits, warnings)),
    warnings,
  };
}

/**
 * Splits the artifacts into consecutive requests of at most `batchSize` artifacts and
 * `maxBodyBytes` of body. Saving is an upsert on each artifact's identity, so batches may land in
 * any order. An artifact too large for a request on its own goes alone, with a warning: D3 may
 * still take it (its limit is not documented), so it is not refused.
 */
function cutBatches(
  params: SaveArtifactForIncidentCommandParams,
  { batchSize, maxBodyBytes }: CheckedArtifactLimits,
  warnings: D3Warning[],
): PreparedRequest<'SaveArtifactForIncident'>[] {
  const all = params['Artifact Fields'];
  // The common case, one request small enough by a bound that needs no encoding.
  if (
    all.length <= batchSize &&
    ENVELOPE_ALLOWANCE + jsonBytesAtMost({ Username: '', Site: '', CommandParams: params }) <=
      maxBodyBytes
  ) {
    return [{ params, items: all.length }];
  }
  // Everything but the artifacts: the envelope (at its allowance) and the other params.
  const frame =
    utf8Length(
      JSON.stringify({
        Username: '',
        Site: '',
        CommandParams: { ...params, 'Artifact Fields': [] },
      }),
    ) + ENVELOPE_ALLOWANCE;
  const requests: PreparedRequest<'SaveArtifactForIncident'>[] = [];
  const close = (start: number, end: number): void => {
    const batch = all.slice(start, end);
    requests.push({ params: { ...params, 'Artifact Fields': batch }, items: batch.length });
  };
  let start = 0;
  let bytes = frame;
  all.forEach((fields, index) => {
    const size = utf8Length(JSON.stringify(fields));
    if (frame + size > maxBodyBytes) {
      warnings.push({
        code: 'artifact-over-body-limit',
        path: `artifacts.${index}`,
        message: `encodes to ${size} bytes, more than maxBodyBytes (${maxBodyBytes}) allows with the envelope: it is sent in a request of its own, which D3 may refuse as too large`,
      });
    }
    // A comma before every artifact but a batch's first.
    const full = index - start >= batchSize || bytes + 1 + size > maxBodyBytes;
    if (index > start && full) {
      close(start, index);
      start = index;
      bytes = frame;
    }
    bytes += size + (index > start ? 1 : 0);
  });
  close(start, all.length);
  return requests;
}

/**
 * At least as many bytes as `value` takes as UTF-8 JSON, counted without encoding it: a character
 * of a string takes at most 6 (`\u001f`), a number at most 24.
 */
export function jsonBytesAtMost(value: unknown): number {
  if (typeof value === 'string') return 2 + 6 * value.length;
  if (Array.isArray(value)) {
    let bytes = 2 + value.length;
    for (const item of value) bytes += jsonBytesAtMost(item);
    return bytes;
  }
  if (value !== null && typeof value === 'object') {
    let bytes = 2;
    for (const [key, item] of Object.entries(value))
      bytes += 2 + jsonBytesAtMost(key) + jsonBytesAtMost(item);
    return bytes;
  }
  return 24;
}

/** Bytes of `text` in UTF-8, what the body is sent as. */
const encoder = new TextEncoder();
export const utf8Length = (text: string): number => encoder.encode(text).length;
