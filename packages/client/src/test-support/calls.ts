import type { Call } from '../http/call.js';

export const TEST_API = 'https://d3site.net/MainApp/VSOC/api';

/** A fresh call for `command`, as a typed method starts one. */
export function callFor(command: string, extra: Partial<Call> = {}): Call {
  return {
    command,
    username: 'Admin',
    body: JSON.stringify({ Username: 'Admin', Site: 'S', CommandParams: { n: 1 } }),
    signal: undefined,
    startedAt: 0,
    attempts: 0,
    mayHaveRun: false,
    retryAfterMs: undefined,
    attempt: undefined,
    bodyFailed: undefined,
    ...extra,
  };
}

/** The request a call's first attempt sends. */
export function requestFor(call: Call): Request {
  return new Request(`${TEST_API}/Command/${call.command}`, {
    method: 'POST',
    body: call.body ?? null,
    headers: { 'content-type': 'application/json' },
    redirect: 'manual',
  });
}
