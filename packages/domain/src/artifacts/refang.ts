/*
 * Threat reports "defang" indicators so nobody clicks them: `hxxps://evil[.]example/`,
 * `1.2.3[.]4`, `user[@]example(.)com`. These are the common conventions; each marker is bracketed
 * (or a scheme misspelling), so undoing them cannot damage a value that was never defanged.
 */
const SCHEME = /\b(?:hxxps?|h\*\*ps?|fxps?)(?=\[?:)/gi;
const BRACKETED_DOT = /[[({]\s*(?:\.|dot)\s*[\])}]/gi;
const BRACKETED_AT = /[[({]\s*(?:@|at)\s*[\])}]/gi;
const BRACKETED_COLON = /\[\s*:\s*\]/g;
const BRACKETED_SCHEME_SEPARATOR = /\[\s*:\/\/\s*\]/g;
const BRACKETED_SLASH = /\[\s*\/\s*\]/g;
/** Any of the markers below: most values have none, and are returned without six replace passes. */
const DEFANG_MARKER = /[[({]\s*(?:\.|dot|@|at|:\/\/|:|\/)\s*[\])}]|(?:hxxp|h\*\*p|fxp)/i;

function refangScheme(scheme: string): string {
  const lower = scheme.toLowerCase();
  const secure = lower.endsWith('s');
  return (lower.startsWith('f') ? 'ftp' : 'http') + (secure ? 's' : '');
}

/**
 * Undoes the common defanging conventions: `hxxp(s)://`, `h**p`, `fxp` → `http(s)`/`ftp`;
 * `[.]`, `(.)`, `{.}`, `[dot]` → `.`; `[@]`, `(@)`, `[at]` → `@`; `[:]` → `:`; `[://]` → `://`;
 * `[/]` → `/`. A value with none of these comes back unchanged (and without copying).
 */
export function refang(value: string): string {
  if (!DEFANG_MARKER.test(value)) return value;
  return value
    .replace(BRACKETED_SCHEME_SEPARATOR, '://')
    .replace(SCHEME, refangScheme)
    .replace(BRACKETED_DOT, '.')
    .replace(BRACKETED_AT, '@')
    .replace(BRACKETED_COLON, ':')
    .replace(BRACKETED_SLASH, '/');
}
