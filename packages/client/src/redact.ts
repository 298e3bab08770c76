/** What every secret is replaced with. */
export const REDACTED = '[REDACTED]';

// Compact JWS form: three base64url segments, the first one a JSON header (`{"` → `eyJ`).
const JWT_PATTERN = /eyJ[\w-]*\.[\w-]+\.[\w-]*/g;
/**
 * Header names that look like they carry a credential (`Authorization`, `Proxy-Authorization`,
 * `Cookie`, `d3key`, `d3jwt`, `X-Api-Key`, `X-Auth-Token`, `X-Session-Id`...): their values are
 * hidden in logged headers and under such keys in error bodies, and `createD3Client` adds such
 * values from its `headers` option to the secrets.
 */
export const CREDENTIAL_HEADER = /authori|cookie|key|token|secret|passw|session|jwt/i;
// Tokens from a `token()` provider are remembered so they can be scrubbed; a small bound keeps
// memory flat for long-running processes (older tokens have long expired anyway).
const REMEMBERED_TOKENS = 32;
const MAX_CAUSE_DEPTH = 5;

/** Scrubs secrets out of text, values, headers and error chains before they are shown or logged. */
export interface Redactor {
  /** Replaces every known secret and anything shaped like a JWT. */
  text(input: string): string;
  /** A deep copy of a JSON-like value with every string scrubbed. */
  value(input: unknown): unknown;
  /** A plain header object with sensitive header values replaced. */
  headers(input: Headers | Record<string, string>): Record<string, string>;
  /** A scrubbed copy of an error and its `cause` chain (messages, stacks, codes kept). */
  error(input: unknown): unknown;
  /** Adds a secret learned at run time (e.g. a token from a provider). */
  remember(secret: string): void;
}

/** Options of {@link createRedactor}. */
export interface RedactorOptions {
  /** Secret values (API key, JWT secret) to scrub wherever they appear. */
  secrets?: readonly string[];
  /** Extra header names whose values are secret (case-insensitive). */
  sensitiveHeaders?: readonly string[];
}

/** Builds a {@link Redactor} for the given secrets. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  // Secrets can surface JSON-escaped (inside a body) or percent-encoded (inside a URL).
  const variants = (secret: string): string[] => [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
  ];
  const staticSecrets = (options.secrets ?? []).filter(Boolean).flatMap(variants);
  const tokens: string[] = [];
  const extra = new Set(options.sensitiveHeaders?.map((h) => h.toLowerCase()));
  const sensitive = (name: string): boolean =>
    CREDENTIAL_HEADER.test(name) || extra.has(name.toLowerCase());

  const text = (input: string): string => {
    let out = input.replace(JWT_PATTERN, REDACTED);
    for (const secret of [...staticSecrets, ...tokens]) out = out.split(secret).join(REDACTED);
    return out;
  };

  const value = (input: unknown, depth = 0): unknown => {
    if (typeof input === 'string') return text(input);
    if (input === null || typeof input !== 'object' || depth > 32) return input;
    if (Array.isArray(input)) return input.map((item) => value(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(input)) {
      const safeKey = text(key);
      if (safeKey === '__proto__') continue;
      out[safeKey] = sensitive(key) ? REDACTED : value(item, depth + 1);
    }
    return out;
  };

  const error = (input: unknown, depth = 0): unknown => {
    if (!(input instanceof Error)) return typeof input === 'string' ? text(input) : value(input);
    const copy = new Error(text(input.message));
    copy.name = text(input.name);
    // The copy's own stack would point here; it gets the original's, or none like the original.
    if (input.stack === undefined) delete copy.stack;
    else copy.stack = text(input.stack);
    const code = (input as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') {
      (copy as Error & { code?: unknown }).code = code;
    }
    if (input.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
      copy.cause = error(input.cause, depth + 1);
    }
    return copy;
  };

  const remember = (secret: string): void => {
    if (!secret || staticSecrets.includes(secret) || tokens.includes(secret)) return;
    tokens.unshift(...variants(secret));
    tokens.splice(REMEMBERED_TOKENS * 3);
  };

  return {
    text,
    value: (input) => value(input),
    // Headers are a flat object to `value`: sensitive names hidden, every other value scrubbed.
    headers: (input) =>
      value(input instanceof Headers ? Object.fromEntries(input) : input) as Record<string, string>,
    error: (input) => error(input),
    remember,
  };
}
