import {
  D3AuthError,
  D3BadRequestError,
  D3CommandError,
  D3RateLimitError,
  D3ResponseError,
  D3ServerError,
  unknownOutcome,
  type D3ErrorInit,
  type D3Error,
} from './errors.js';
import type { Redactor } from './redact.js';
import { parseRetryAfter } from './retry.js';
import type { Exchange } from './transport.js';
import type {
  SaveArtifactForIncidentSuccess,
  SetEventTechniquesSuccess,
  TriggerIncidentExternalActionSuccess,
} from './types.js';

const EXCERPT_CHARS = 300;

/**
 * Checks that a 200 body (already known to carry no `error`) has the command's success shape.
 * Hand-written rather than a schema validator: these few checks are what the client relies on,
 * and a validator would weigh more than the whole client.
 */
// `T` is unused in the signature on purpose: it records which body type a check vouches for,
// so `interpretExchange` can return that type.
export type SuccessShape<T> = (body: Record<string, unknown>) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const arrayOf = (value: unknown, item: (entry: unknown) => boolean): boolean =>
  Array.isArray(value) && value.every(item);

/** SetEventTechniques: `contextData` lists `{ EventId, techniques[] }`. */
export const isSetEventTechniquesSuccess: SuccessShape<SetEventTechniquesSuccess> = (body) =>
  arrayOf(
    body.contextData,
    (entry) =>
      isObject(entry) && typeof entry.EventId === 'number' && Array.isArray(entry.techniques),
  );

/** SaveArtifactForIncident: `contextData` lists `{ ArtifactType, ... }`. */
export const isSaveArtifactSuccess: SuccessShape<SaveArtifactForIncidentSuccess> = (body) =>
  arrayOf(body.contextData, (entry) => isObject(entry) && typeof entry.ArtifactType === 'string');

/** TriggerIncidentExternalAction: `returnData.Data` names the incident and the runs. */
export const isTriggerSuccess: SuccessShape<TriggerIncidentExternalActionSuccess> = (body) => {
  const data = isObject(body.returnData) ? body.returnData.Data : undefined;
  return (
    isObject(data) && typeof data.IncidentNo === 'string' && Array.isArray(data.TriggeredPlaybooks)
  );
};

/**
 * Turns the final answer of a command into its typed success body, or throws the matching
 * {@link D3Error}. Server-provided text is redacted before it goes into an error.
 */
export function interpretExchange<T>(
  exchange: Exchange,
  isSuccess: SuccessShape<T>,
  redactor: Redactor,
): T {
  const parsed = parseJson(exchange.text);
  const { command, status } = exchange;
  if (
    status === 200 &&
    parsed.ok &&
    isObject(parsed.value) &&
    (parsed.value.error === '' || parsed.value.error === undefined) &&
    isSuccess(parsed.value)
  ) {
    return parsed.value as T;
  }
  // Only failures get here: redact what the server sent before it goes into an error.
  const body = parsed.ok ? redactor.value(parsed.value) : excerpt(redactor.text(exchange.text));
  const init: D3ErrorInit = {
    command,
    status,
    body,
    attempts: exchange.attempts,
    durationMs: exchange.durationMs,
    outcome: exchange.mayHaveRun ? 'unknown' : 'rejected',
  };
  const tries = exchange.attempts === 1 ? '' : ` after ${exchange.attempts} attempts`;
  const serverSays =
    isObject(body) && typeof body.Error === 'string'
      ? `: ${body.Error.replace(/[.\s]+$/, '')}`
      : '';

  if (status === 200) {
    if (!parsed.ok || !isObject(body)) {
      throw new D3ResponseError(
        `${command}: D3 answered 200 with a body that is not a JSON object (see .body). ` +
          unknownOutcome(command),
        { ...init, outcome: 'unknown' },
      );
    }
    if (typeof body.error === 'string' && body.error !== '') {
      throw new D3CommandError(`${command} failed: ${body.error}`, init);
    }
    throw new D3ResponseError(
      `${command}: D3 answered 200, but the body does not have the documented shape. ` +
        unknownOutcome(command),
      { ...init, outcome: 'unknown' },
    );
  }
  if (status === 400)
    throw new D3BadRequestError(`${command}: D3 rejected the request (400)${serverSays}`, init);
  if (status === 401 || status === 403) {
    throw new D3AuthError(`${command}: D3 refused the credentials (${status})${serverSays}`, init);
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(exchange.headers.get('retry-after'), Date.now());
    throw new D3RateLimitError(`${command}: rate limited by D3 (429)${tries}${serverSays}`, {
      ...init,
      retryAfterMs,
    });
  }
  if (status >= 500) {
    const notice = unknownOutcome(command);
    throw new D3ServerError(`${command}: D3 answered ${status}${tries}${serverSays}. ${notice}`, {
      ...init,
      outcome: 'unknown',
    });
  }
  throw new D3ResponseError(
    `${command}: unexpected status ${status}${serverSays} (check baseUrl)`,
    init,
  );
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function excerpt(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}
