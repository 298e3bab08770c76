import { openapiDocument } from '@d3soar/openapi';
import { SignJWT } from 'jose';
import type { CommandName } from '../types.js';

/** Base URL tests send in-process requests to (the host is never resolved). */
export const inProcessBase = 'http://mock.test/MainApp/VSOC';

/** A request body in D3's envelope. */
export function envelope(
  commandParams: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
) {
  return {
    Username: 'Admin',
    Site: 'Security Operations',
    CommandParams: commandParams,
    ...overrides,
  };
}

/** `RequestInit` for a command call with an API key. */
export function post(
  body: unknown,
  headers: Record<string, string> = { d3key: 'mock-api-key' },
): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

/** The URL of a command under a base URL. */
/** Any name: tests also ask for commands the mock does not serve. */
export function commandUrl(command: string, base = inProcessBase): string {
  return `${base}/api/Command/${command}`;
}

/** An HS256 token as a D3 client mints one. */
export async function signJwt(
  secret: string,
  claims: Record<string, unknown>,
  expiresIn: string | number = '5m',
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

/** The vendor's SetEventTechniques sample, with the `6025x` placeholders made real IDs. */
export const vendorSetEventTechniques = envelope({
  'Event IDs': [60250, 60251],
  Tactics: ['Initial Access', 'TA0002', 'TA0003'],
  Techniques: ['Valid Accounts: Cloud Accounts', 'T1569', 'Traffic Signaling: Port Knocking'],
});

interface DocumentWithExamples {
  paths: Record<
    string,
    {
      post: {
        requestBody: { content: Record<string, { examples: Record<string, { value: unknown }> }> };
      };
    }
  >;
}

/** A fresh copy of the vendor's request sample of a command, as the OpenAPI document carries it. */
export function vendorRequestSample(command: CommandName): Record<string, unknown> {
  const document = openapiDocument as unknown as DocumentWithExamples;
  const examples =
    document.paths[`/Command/${command}`]!.post.requestBody.content['application/json']!.examples;
  return structuredClone(examples['vendorSample']!.value) as Record<string, unknown>;
}
