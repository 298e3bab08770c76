import { parse as parseDomain } from 'tldts';

/**
 * Suffixes that never resolve on the public internet, so a name under one is an internal host:
 * RFC 6761/6762 special-use names (`local`, `localhost`, `test`, `example`, `invalid`), RFC 8375
 * `home.arpa`, ICANN's reserved private-use `internal`, and the names enterprises habitually use
 * for their own networks (`corp`, `lan`, `home`, `intranet`, `private`, `localdomain`).
 * Any other TLD missing from the public suffix list counts as non-public too.
 */
export const DEFAULT_NON_PUBLIC_SUFFIXES: readonly string[] = Object.freeze([
  'local',
  'localdomain',
  'localhost',
  'internal',
  'intranet',
  'corp',
  'lan',
  'home',
  'home.arpa',
  'private',
  'test',
  'example',
  'invalid',
]);

/*
 * File extensions common in indicators. `name.ext` with one of these is a file name, not a
 * domain. Extensions that are also TLDs are left out (`.so`, `.py`, `.sh`, `.pl`, `.one`, ...),
 * except `.zip` and `.mov`: a bare `invoice.zip` is far more often the attachment than the site.
 */
const FILE_EXTENSIONS: ReadonlySet<string> = new Set(
  (
    'exe dll sys scr cpl ocx drv bat cmd ps1 psm1 psd1 vbs vbe js jse wsf wsh hta msi msp mst lnk ' +
    'url jar class apk ipa dmg pkg deb rpm elf bin dylib ko iso img vhd vhdx vmdk ova 7z rar gz ' +
    'tgz bz2 xz zst tar arj ace lzh zip mov doc docx docm dotx dotm xls xlsx xlsm xlsb xlam ppt ' +
    'pptx pptm pps ppsx pdf rtf odt ods odp txt csv log ini cfg conf xml json yaml yml htm html ' +
    'xhtml mht mhtml php asp aspx jsp pyc rb png jpg jpeg gif bmp ico svg tif tiff webp mp3 mp4 ' +
    'wav avi mkv wmv eml msg pst ost chm reg inf sct dat tmp bak db sqlite pem crt cer der pfx ' +
    'p12 p7b key gpg asc torrent swf xll wll iqy slk appx msix appinstaller'
  ).split(' '),
);

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
const TLDTS_OPTIONS = {
  extractHostname: false,
  validateHostname: false,
  detectIp: false,
  mixedInputs: false,
} as const;

/** Anything outside printable ASCII: a name with such characters is an internationalised one. */
const NON_ASCII = /[^\x20-\x7e]/;
/** Characters that would make the URL parser read more than a host name (a path, a port, ...). */
const NOT_IN_HOST = /[\s/\\?#@:%[\]]/;

/**
 * The ASCII (punycode, `xn--`) form of an internationalised domain name — `münchen.de` →
 * `xn--mnchen-3ya.de` — or `null` when it is none. Converted by the WHATWG URL parser, which
 * applies IDNA (UTS #46) mapping as browsers do and exists in Node and browsers alike, so this
 * subpath stays free of `node:` imports (`node:url`'s `domainToASCII` does the same, Node only).
 */
function toAsciiHostname(text: string): string | null {
  if (NOT_IN_HOST.test(text)) return null;
  try {
    return new URL(`http://${text}`).hostname;
  } catch {
    return null;
  }
}

/**
 * Lower-case ASCII, internationalised names in their punycode form, without a trailing root dot;
 * `null` unless every label is a valid DNS label.
 */
export function normaliseHostname(text: string): string | null {
  let ascii = text;
  if (NON_ASCII.test(text)) {
    const converted = toAsciiHostname(text);
    if (converted === null) return null;
    ascii = converted;
  }
  const host = (ascii.endsWith('.') ? ascii.slice(0, -1) : ascii).toLowerCase();
  if (host.length === 0 || host.length > 253) return null;
  for (const label of host.split('.')) {
    if (!LABEL.test(label)) return null;
  }
  return host;
}

/** Normalised suffixes (lower-case, no leading dot), cached per list the caller passes. */
const normalisedSuffixCache = new WeakMap<readonly string[], readonly string[]>();

export function normaliseSuffixes(suffixes: readonly string[]): readonly string[] {
  let normalised = normalisedSuffixCache.get(suffixes);
  if (!normalised) {
    normalised = suffixes
      .map((suffix) => suffix.trim().toLowerCase().replace(/^\.+/, '').replace(/\.+$/, ''))
      .filter((suffix) => suffix.length > 0);
    normalisedSuffixCache.set(suffixes, normalised);
  }
  return normalised;
}

function findSuffix(host: string, suffixes: readonly string[]): string | undefined {
  return suffixes.find(
    (suffix) =>
      host === suffix ||
      (host.length > suffix.length &&
        host.endsWith(suffix) &&
        host.charCodeAt(host.length - suffix.length - 1) === 46) /* '.' */,
  );
}

/** How a dotted name reads. */
export type HostnameKind =
  | { kind: 'internal'; reason: string }
  | { kind: 'external'; reason: string }
  | { kind: 'filename'; reason: string }
  | { kind: 'none' };

/**
 * Classifies an already normalised dotted name (see {@link normaliseHostname}): under one of the
 * caller's internal suffixes or a non-public suffix → internal; `name.ext` with a file extension →
 * file name; a registrable name under a public suffix (public suffix list, via tldts) → external;
 * a bare public suffix (`co.uk`) → none.
 */
export function classifyDottedName(
  host: string,
  internalSuffixes: readonly string[],
): HostnameKind {
  const internal = findSuffix(host, internalSuffixes);
  if (internal !== undefined) {
    return { kind: 'internal', reason: `under the internal suffix "${internal}"` };
  }
  const lastDot = host.lastIndexOf('.');
  const extension = host.slice(lastDot + 1);
  const twoLabels = host.indexOf('.') === lastDot;
  const nonPublic = findSuffix(host, DEFAULT_NON_PUBLIC_SUFFIXES);
  if (nonPublic !== undefined) {
    return { kind: 'internal', reason: `under the non-public suffix "${nonPublic}"` };
  }
  const isFileExtension = FILE_EXTENSIONS.has(extension);
  const fileName = {
    kind: 'filename',
    reason: `a file name (".${extension}" is a file extension)`,
  } as const;
  if (isFileExtension && twoLabels) return fileName;
  // The name is already normalised and validated, so tldts skips its own extraction and checks.
  const parsed = parseDomain(host, TLDTS_OPTIONS);
  const publicSuffix = parsed.isIcann === true || parsed.isPrivate === true;
  if (isFileExtension && !publicSuffix) return fileName;
  if (!publicSuffix) {
    return {
      kind: 'internal',
      reason: `the TLD "${extension}" is not in the public suffix list`,
    };
  }
  if (parsed.domain === null) return { kind: 'none' };
  return {
    kind: 'external',
    reason: `a registrable name under the public suffix "${parsed.publicSuffix ?? extension}"`,
  };
}
