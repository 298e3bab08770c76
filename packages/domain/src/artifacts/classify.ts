import type { CompositeArtifactField } from './artifact-types.js';
import { classifyDottedName, normaliseHostname, normaliseSuffixes } from './domains.js';
import { ipAddressScope, splitIpList } from './ip.js';
import { refang } from './refang.js';

/** The single-field type of a bare indicator value, as D3 names it. */
export type ValueType =
  | 'External IP'
  | 'Internal IP'
  | 'File Hash MD5'
  | 'File Hash SHA1'
  | 'File Hash SHA256'
  | 'Process Guid'
  | 'Registry Key'
  | 'Internal Endpoint Domain Name'
  | 'External Endpoint Domain Name'
  | 'Host Name'
  | 'Filename'
  | 'Username'
  | 'URL'
  | 'Email Address';

/** Options of {@link classifyValue} and `artifactFromValue`. */
export interface ClassifyOptions {
  /**
   * Domain suffixes your organisation uses for its own hosts (`corp.example.com`, `.ad.example`):
   * names equal to or under one of them are internal even though their TLD is public.
   * Matching is case-insensitive and on label boundaries; a leading dot is optional.
   */
  readonly internalSuffixes?: readonly string[];
}

/** What a bare value is, why, and the value as it should be sent (refanged, trimmed). */
export interface ValueClassification {
  /** The single-field artifact type. */
  readonly type: ValueType;
  /** A short phrase saying which rule decided, e.g. `private IPv4 address (private)`. */
  readonly reason: string;
  /**
   * The value to send: refanged and trimmed; hashes in lower case; an IP list as
   * `a, b` (the vendor's own spelling).
   */
  readonly value: string;
}

const MD5 = /^[0-9a-f]{32}$/i;
const SHA1 = /^[0-9a-f]{40}$/i;
const SHA256 = /^[0-9a-f]{64}$/i;
const GUID_BODY = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const GUID = new RegExp(`^(?:\\{${GUID_BODY}\\}|${GUID_BODY})$`, 'i');
const REGISTRY_KEY =
  /^(?:HKEY_LOCAL_MACHINE|HKEY_CURRENT_USER|HKEY_CLASSES_ROOT|HKEY_USERS|HKEY_CURRENT_CONFIG|HKEY_PERFORMANCE_DATA|HKLM|HKCU|HKCR|HKU|HKCC)(?::?\\|$)/i;
const URL_WITH_SCHEME = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;
const EMAIL = /^([^\s@"(),:;<>[\]\\]+)@([^\s@]+)$/;
const WINDOWS_PATH = /^(?:[a-z]:[\\/]|\\\\[^\\/\s]+[\\/]|%[a-z_][a-z0-9_]*%[\\/])/i;
const UNIX_PATH = /^(?:\/|~\/)[^\0]*[^/]$/;
const DOMAIN_USER = /^[a-z0-9][a-z0-9._-]{0,14}\\[^\\/:*?"<>|@\s]{1,104}$/i;
// Control characters are what this excludes on purpose: no file system allows them in a name.
const FILE_NAME =
  // eslint-disable-next-line no-control-regex -- the \x00-\x1f ranges are the point of this pattern
  /^[^\\/:*?"<>|\x00-\x1f]*[^\\/:*?"<>|\x00-\x1f.\s]\.(?=[a-z0-9]*[a-z])[a-z0-9]{1,8}$/i;
const HOST_LABEL = /^(?!-)(?=[a-z0-9_-]*[a-z])[a-z0-9_-]{1,63}(?<!-)$/i;
/** `a.b.c.d:port` and `[v6]:port`, as logs and URLs write an endpoint. */
const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/;
const IPV6_WITH_PORT = /^\[([0-9a-f:.]+(?:%[\w.-]+)?)\]:(\d{1,5})$/i;
/** A `mailto:` URI: the address is what comes before any `?subject=...`. */
const MAILTO = /^mailto:([^?]*)(?:\?.*)?$/i;
const HOST_THEN_PATH = /^([^/?#\s]+)[/?#]\S*$/;

const NO_SUFFIXES: readonly string[] = Object.freeze([]);

function classifyIpList(text: string): ValueClassification | null {
  const parts = text.includes(',') ? splitIpList(text) : [text];
  let isPublic: boolean | undefined;
  const addresses: string[] = [];
  let lastReason = '';
  for (const part of parts) {
    const scope = ipAddressScope(part);
    if (scope === null) return null;
    // A list mixing public and private addresses is no single artifact: no type fits it.
    if (isPublic !== undefined && isPublic !== scope.isPublic) return null;
    isPublic = scope.isPublic;
    addresses.push(part);
    lastReason = `${scope.isPublic ? 'public' : 'non-public'} ${scope.kind === 'ipv4' ? 'IPv4' : 'IPv6'} address (${scope.range})`;
  }
  const reason =
    addresses.length === 1
      ? lastReason
      : `a list of ${addresses.length} ${isPublic ? 'public' : 'non-public'} IP addresses`;
  return { type: isPublic ? 'External IP' : 'Internal IP', reason, value: addresses.join(', ') };
}

/**
 * An IP address with a port (`66.249.64.167:443`, `[2001:db8::1]:8080`) as the address's type;
 * the port is left out of the value, since the IP fields take addresses only.
 */
function classifyIpWithPort(text: string): ValueClassification | null {
  const match = IPV4_WITH_PORT.exec(text) ?? IPV6_WITH_PORT.exec(text);
  if (match === null) return null;
  const [, address = '', port = ''] = match;
  if (Number(port) > 65_535) return null;
  const ip = classifyIpList(address);
  return ip && { ...ip, reason: `${ip.reason}, port ${port} left out` };
}

/** `undefined` when the text is not a dotted host name at all; `null` when it is one of no type. */
function classifyHostLike(
  text: string,
  internalSuffixes: readonly string[],
): ValueClassification | null | undefined {
  const host = normaliseHostname(text);
  if (host === null || !host.includes('.')) return undefined;
  // TLDs are never all digits: `1.2.3` is a version number or a broken address, not a name.
  if (/\.[0-9]+$/.test(host)) return null;
  const kind = classifyDottedName(host, internalSuffixes);
  switch (kind.kind) {
    case 'internal':
      return { type: 'Internal Endpoint Domain Name', reason: kind.reason, value: text };
    case 'external':
      return { type: 'External Endpoint Domain Name', reason: kind.reason, value: text };
    case 'filename':
      return { type: 'Filename', reason: kind.reason, value: text };
    case 'none':
      return null;
  }
}

/**
 * Tells which single-field artifact type a bare indicator value is, or `null` when it is empty or
 * fits no rule. Defanged input is refanged first. The rules, first match wins:
 * URL (`scheme://…`, or a public domain followed by a path) · email address (also as a
 * `mailto:` link) · IP address (also with a port, which is left out) or
 * comma-separated list of IPs of one scope (public → External IP, non-public → Internal IP; see
 * `ipAddressScope`) · MD5/SHA1/SHA256 (32/40/64 hex digits) · GUID → Process Guid · `HKLM\…`-style
 * → Registry Key · Windows/UNC/Unix path → Filename · `DOMAIN\user` → Username · dotted name →
 * Internal/External Endpoint Domain Name or Filename (`name.exe`); internationalised names
 * (`münchen.de`) are judged by their punycode form · single DNS label with a letter → Host Name.
 *
 * A bare word (`Administrator`) could be a user as well as a host: it is reported as Host Name,
 * and usernames are recognised only in `DOMAIN\user` form.
 */
export function classifyValue(
  value: string,
  options?: ClassifyOptions,
): ValueClassification | null {
  if (typeof value !== 'string') return null;
  const text = refang(value.trim());
  if (text.length === 0) return null;
  const internalSuffixes = options?.internalSuffixes
    ? normaliseSuffixes(options.internalSuffixes)
    : NO_SUFFIXES;

  if (URL_WITH_SCHEME.test(text)) {
    return URL.canParse(text) ? { type: 'URL', reason: 'a URL with a scheme', value: text } : null;
  }
  const mailto = MAILTO.exec(text);
  if (mailto) {
    const address = classifyValue(mailto[1] ?? '', options);
    return address?.type === 'Email Address'
      ? { ...address, reason: 'a mailto: link to an email address' }
      : null;
  }
  const email = EMAIL.exec(text);
  if (email) {
    const domain = normaliseHostname(email[2] ?? '');
    return domain !== null && domain.includes('.')
      ? { type: 'Email Address', reason: 'an email address', value: text }
      : null;
  }
  if (text.includes(':') || /^[0-9.,\s]+$/.test(text)) {
    const ip = classifyIpList(text) ?? classifyIpWithPort(text);
    if (ip) return ip;
  }
  if (MD5.test(text))
    return { type: 'File Hash MD5', reason: '32 hex digits', value: text.toLowerCase() };
  if (SHA1.test(text))
    return { type: 'File Hash SHA1', reason: '40 hex digits', value: text.toLowerCase() };
  if (SHA256.test(text)) {
    return { type: 'File Hash SHA256', reason: '64 hex digits', value: text.toLowerCase() };
  }
  if (GUID.test(text)) return { type: 'Process Guid', reason: 'a GUID', value: text };
  if (REGISTRY_KEY.test(text))
    return { type: 'Registry Key', reason: 'a registry hive path', value: text };
  if (WINDOWS_PATH.test(text) || UNIX_PATH.test(text)) {
    return { type: 'Filename', reason: 'a file path', value: text };
  }
  if (DOMAIN_USER.test(text)) return { type: 'Username', reason: 'DOMAIN\\user form', value: text };

  const hostThenPath = HOST_THEN_PATH.exec(text);
  if (hostThenPath) {
    const host = classifyHostLike(hostThenPath[1] ?? '', internalSuffixes);
    return host?.type === 'External Endpoint Domain Name' ||
      host?.type === 'Internal Endpoint Domain Name'
      ? { type: 'URL', reason: 'a domain followed by a path', value: text }
      : null;
  }
  if (text.includes('.')) {
    const host = classifyHostLike(text, internalSuffixes);
    if (host !== undefined) return host;
    return FILE_NAME.test(text) ? { type: 'Filename', reason: 'a file name', value: text } : null;
  }
  if (HOST_LABEL.test(text))
    return { type: 'Host Name', reason: 'a single host-name label', value: text };
  return null;
}

/** The composite field that carries each single-field type's value. */
const FIELD_FOR_VALUE_TYPE = {
  'External IP': 'External_IPAddress',
  'Internal IP': 'Internal_IPAddress',
  'File Hash MD5': 'MD5',
  'File Hash SHA1': 'SHA1',
  'File Hash SHA256': 'SHA256',
  'Process Guid': 'ProcessGuid',
  'Registry Key': 'RegistryKey',
  'Internal Endpoint Domain Name': 'Internal_HostFQDN',
  'External Endpoint Domain Name': 'External_HostFQDN',
  // A bare host name is almost always a machine on the organisation's own network.
  'Host Name': 'Internal_HostName',
  Filename: 'FileName',
  Username: 'UserName',
  URL: 'URL',
  'Email Address': 'EmailAddress',
} as const satisfies Record<ValueType, CompositeArtifactField>;

/** Composite artifact fields built from one bare value, e.g. `{ External_IPAddress: '66.249.64.167' }`. */
export type ArtifactFieldsFromValue = Partial<Record<CompositeArtifactField, string>>;

/**
 * The composite artifact fields for a bare indicator value: `66.249.64.167` →
 * `{ External_IPAddress: '66.249.64.167' }`, a SHA256 → `{ SHA256 }`, `C:\x\y.exe` →
 * `{ FileName: 'y.exe', FilePath: 'C:\x\y.exe' }`. The value is the classified one (refanged,
 * trimmed). `null` when {@link classifyValue} cannot classify it.
 */
export function artifactFromValue(
  value: string,
  options?: ClassifyOptions,
): ArtifactFieldsFromValue | null {
  const classification = classifyValue(value, options);
  if (classification === null) return null;
  const field = FIELD_FOR_VALUE_TYPE[classification.type];
  if (classification.type === 'Filename' && /[\\/]/.test(classification.value)) {
    const name = classification.value.split(/[\\/]/).pop() ?? '';
    return name.length > 0
      ? { FileName: name, FilePath: classification.value }
      : { FilePath: classification.value };
  }
  return { [field]: classification.value };
}
