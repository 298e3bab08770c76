import {
  D3AuthError,
  D3BadRequestError,
  D3CommandError,
  D3RateLimitError,
  D3ResponseError,
  D3ServerError,
  errorMessage,
  type D3Error,
  type D3ErrorInit,
  type D3Outcome,
} from './errors.js';
import type { Redactor } from './redact.js';
import type {
  ArtifactResult,
  SaveArtifactForIncidentSuccess,
  SetEventTechniquesSuccess,
  TriggerIncidentExternalActionSuccess,
} from './types.js';

/**
 * Reads a 200 body (already known to carry no `error`) as the command's success: the body as the
 * client returns it, or `undefined` when it lacks what the client relies on. Hand-written rather
 * than a schema validator: these few checks are what the client relies on, and a validator would
 * weigh more than the whole client.
 */
export type SuccessReader<T> = (body: Record<string, unknown>) => T | undefined;

/**
 * A {@link SuccessReader} that returns the body as is when it passes `test`. The claim that such
 * a body is a `T` is made here, once: the checks test what the client reads, not every field.
 */
const passing =
  <T>(test: (body: Record<string, unknown>) => boolean): SuccessReader<T> =>
  (body) =>
    test(body) ? (body as T) : undefined;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** Whether `list` is an array of objects that all pass `test`. */
const objectsIn = (list: unknown, test: (entry: Record<string, unknown>) => boolean): boolean =>
  Array.isArray(list) && list.every((entry) => isObject(entry) && test(entry));

/** SetEventTechniques: `contextData` lists `{ EventId, techniques[] }`. */
export const readSetEventTechniquesSuccess = passing<SetEventTechniquesSuccess>((body) =>
  objectsIn(
    body.contextData,
    (entry) => typeof entry.EventId === 'number' && Array.isArray(entry.techniques),
  ),
);

/**
 * SaveArtifactForIncident: `contextData` lists `{ ArtifactType, ... }`. Each result gets its
 * `ArtifactName` here, so the result type holds: the vendor's own Process sample spells it
 * `Artifactname` (read as `ArtifactName`), and a result without a name gets `''`.
 */
export const readSaveArtifactSuccess: SuccessReader<SaveArtifactForIncidentSuccess> = (body) => {
  const { contextData } = body;
  if (!Array.isArray(contextData)) return undefined;
  const results: ArtifactResult[] = [];
  for (const entry of contextData) {
    if (!isObject(entry) || typeof entry.ArtifactType !== 'string') return undefined;
    const { ArtifactName: name, Artifactname: vendorName, ...rest } = entry;
    const ArtifactName =
      typeof name === 'string' ? name : typeof vendorName === 'string' ? vendorName : '';
    // The other fields are D3's, passed on as they came.
    results.push({ ...rest, ArtifactName } as ArtifactResult);
  }
  return { ...body, contextData: results } as SaveArtifactForIncidentSuccess;
};

/** TriggerIncidentExternalAction: `returnData.Data` names the incident and the runs. */
export const readTriggerSuccess = passing<TriggerIncidentExternalActionSuccess>(
  (body) =>
    isObject(body.returnData) &&
    objectsIn(
      [body.returnData.Data],
      (data) => typeof data.IncidentNo === 'string' && Array.isArray(data.TriggeredPlaybooks),
    ),
);

/** The final answer of a call, after any retries. */
export interface Answer {
  command: string;
  status: number;
  /**
   * The body as openapi-fetch hands it over with `parseAs: 'text'`: the text, or, for a non-2xx
   * answer, the JSON it parsed to (`undefined` for an empty body).
   */
  body: unknown;
  attempts: number;
  durationMs: number;
  /** An earlier attempt may have run the command (a 5xx, timeout or dropped connection). */
  mayHaveRun: boolean;
  /** A 429's `Retry-After`, in milliseconds, when it had a readable one. */
  retryAfterMs?: number | undefined;
}

/**
 * Turns the final answer of a command into its typed success body, or throws the matching
 * {@link D3Error}. Server-provided text is redacted before it goes into an error.
 */
export function interpretAnswer<T>(
  answer: Answer,
  readSuccess: SuccessReader<T>,
  redactor: Redactor,
): T {
  const { command, status, attempts, durationMs, retryAfterMs } = answer;
  let parsed: unknown = NOT_JSON;
  let text = '';
  if (typeof answer.body === 'string') {
    text = answer.body;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: the error below keeps an excerpt of the text.
    }
  } else if (answer.body !== undefined) {
    parsed = answer.body;
  }
  if (status === 200 && isObject(parsed) && (parsed.error === '' || parsed.error === undefined)) {
    const success = readSuccess(parsed);
    if (success !== undefined) return success;
  }
  // Only failures get here: redact what the server sent before it goes into an error, and
  // before cutting text to a 300-character excerpt, so no secret is cut in half and left readable.
  const safe = parsed === NOT_JSON ? redactor.text(text) : '';
  const body =
    parsed !== NOT_JSON
      ? redactor.value(parsed)
      : safe.length > 300
        ? `${safe.slice(0, 300)}…`
        : safe;
  const tries = attempts === 1 ? '' : ` after ${attempts} attempts`;
  const serverSays = isObject(body) && typeof body.Error === 'string' ? body.Error : undefined;
  let Kind: new (message: string, init: D3ErrorInit) => D3Error = D3ResponseError;
  let reason = `unexpected status ${status}`;
  let d3Message = serverSays;
  let advice: string | undefined = 'check baseUrl';
  let outcome: D3Outcome = answer.mayHaveRun ? 'unknown' : 'rejected';
  if (status === 200) {
    advice = undefined;
    if (isObject(body) && typeof body.error === 'string' && body.error !== '') {
      Kind = D3CommandError;
      reason = 'D3 says the command failed';
      d3Message = body.error;
    } else {
      // Unreadable or of the wrong shape: the command may have run all the same.
      reason = 'D3 answered 200 without the documented JSON (see .body)';
      outcome = 'unknown';
    }
  } else if (status === 400) {
    Kind = D3BadRequestError;
    reason = 'D3 rejected the request (400)';
    advice = undefined;
  } else if (status === 401 || status === 403) {
    Kind = D3AuthError;
    reason = `D3 refused the credentials (${status})`;
    advice = undefined;
  } else if (status === 429) {
    Kind = D3RateLimitError;
    reason = `rate limited by D3 (429)${tries}`;
    advice = retryAfterMs !== undefined ? `D3 asks to wait ${retryAfterMs / 1000} s` : undefined;
  } else if (status > 499) {
    Kind = D3ServerError;
    reason = `D3 answered ${status}${tries}`;
    advice = undefined;
    outcome = 'unknown';
  }
  const { message, ...parts } = errorMessage(command, { reason, d3Message, advice }, outcome);
  throw new Kind(message, {
    command,
    status,
    body,
    attempts,
    durationMs,
    outcome,
    ...parts,
    ...(status === 429 && { retryAfterMs }),
  });
}

const NOT_JSON = Symbol('not JSON');
