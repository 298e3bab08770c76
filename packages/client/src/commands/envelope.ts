import type { D3Progress } from '../batches.js';
import type { D3ValidationIssue } from '../errors.js';

/** Per-call options every method accepts next to its own input. */
export interface D3CallOptions {
  /** Aborts the call, including waits for the rate limiter and between retries. */
  signal?: AbortSignal;
  /** Overrides the client's `username` for this call. */
  username?: string;
  /** Overrides the client's `site` for this call. */
  site?: string;
  /**
   * Called after each request of the call ends, successful or not (a large `setEventTechniques`
   * or `saveArtifacts` is sent in batches; a trigger is one request), with the batch's position,
   * its item count and its outcome. Not called for an abort, which ends the call. An error it throws ends the
   * call too.
   */
  onProgress?: (progress: D3Progress) => void;
}

/** The `Username`/`Site` pair of a request envelope. */
export interface Envelope {
  Username: string;
  Site: string;
}

/** Builds the envelope for one call, reporting blank names as issues. */
export function envelopeFor(
  defaults: { username: string; site: string },
  call: D3CallOptions,
  issues: D3ValidationIssue[],
): Envelope {
  const Username = call.username ?? defaults.username;
  const Site = call.site ?? defaults.site;
  if (!filled(Username)) issues.push({ path: 'username', message: 'must be the D3 account name' });
  if (!filled(Site)) issues.push({ path: 'site', message: 'must be the name of a D3 site' });
  return { Username, Site };
}

/** Whether `value` is a string with something besides whitespace. */
export const filled = (value: unknown): value is string =>
  typeof value === 'string' && !!value.trim();

/** `JSON.stringify` for messages: short, and safe for any value. */
export function show(value: unknown): string {
  let text: string;
  try {
    // `undefined` for `undefined`, functions and symbols, whatever the declared type says.
    const json = JSON.stringify(value) as string | undefined;
    text = json ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
