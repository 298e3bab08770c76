import ipaddr from 'ipaddr.js';

/**
 * What "public" means here: globally reachable, per the IANA IPv4 and IPv6 Special-Purpose Address
 * Registries (RFC 6890), as ipaddr.js's `range()` names their blocks. An address in no special
 * block (`range()` says `unicast`) is public; so are the special blocks IANA marks globally
 * reachable (AS112, AMT, ORCHIDv2, drone remote ID; 6to4 and Teredo relay traffic between public
 * hosts). Everything else is non-public: private (RFC 1918), loopback, link-local, CGNAT
 * (100.64/10), unique-local (fc00::/7), site-local, unspecified, broadcast, multicast,
 * documentation, benchmarking, discard, segment routing and the other reserved blocks.
 *
 * Note what this means for the vendor's own sample: `0:0:1:0:0:aaaa:cd9:d0a` lies outside
 * 2000::/3 (the block IANA currently allocates), but in no special-purpose block, so ipaddr.js
 * calls it `unicast` and it is public — which is how D3 treats it (the sample sends it as
 * `External_IPAddress` and the response files it under `External_Endpoint`).
 *
 * Addresses that embed an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, which ipaddr.js also reports
 * for the deprecated IPv4-compatible `::a.b.c.d`; IPv4-translated `::ffff:0:a.b.c.d`; NAT64
 * `64:ff9b::a.b.c.d`) take the embedded address's scope: `::ffff:10.0.0.1` is as private as
 * `10.0.0.1`.
 */
const PUBLIC_IPV4_RANGES: ReadonlySet<string> = new Set(['unicast', 'as112', 'amt']);
const PUBLIC_IPV6_RANGES: ReadonlySet<string> = new Set([
  'unicast',
  '6to4',
  'teredo',
  'amt',
  'as112v6',
  'orchid2',
  'droneRemoteIdProtocolEntityTags',
]);
const NAT64_WELL_KNOWN_PREFIX = ipaddr.IPv6.parse('64:ff9b::');

/** An IP address with the IANA block it falls in and whether that block is globally reachable. */
export interface IpAddressScope {
  /** `ipv4` or `ipv6`. */
  readonly kind: 'ipv4' | 'ipv6';
  /**
   * ipaddr.js's name for the block: `unicast`, `private`, `loopback`, `linkLocal`,
   * `carrierGradeNat`, `uniqueLocal`, ... For addresses that embed an IPv4 address, the embedded
   * address's block, prefixed (`ipv4Mapped:private`).
   */
  readonly range: string;
  /** Globally reachable (see the module comment for the exact rule). */
  readonly isPublic: boolean;
}

function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 {
  const bytes = address.toByteArray();
  return new ipaddr.IPv4(bytes.slice(12, 16));
}

function scopeOfIpv4(address: ipaddr.IPv4): { range: string; isPublic: boolean } {
  const range = address.range();
  return { range, isPublic: PUBLIC_IPV4_RANGES.has(range) };
}

function scopeOfIpv6(address: ipaddr.IPv6): { range: string; isPublic: boolean } {
  const range = address.range();
  const embedsIpv4 =
    range === 'ipv4Mapped' ||
    range === 'rfc6145' ||
    (range === 'rfc6052' && address.match(NAT64_WELL_KNOWN_PREFIX, 96));
  if (embedsIpv4) {
    const inner = scopeOfIpv4(embeddedIpv4(address));
    return { range: `${range}:${inner.range}`, isPublic: inner.isPublic };
  }
  return { range, isPublic: PUBLIC_IPV6_RANGES.has(range) };
}

/** Blocks of a network's own addresses: what `Internal_IPAddress` is documented for. */
const INTERNAL_RANGES: ReadonlySet<string> = new Set([
  'private',
  'loopback',
  'linkLocal',
  'carrierGradeNat',
  'uniqueLocal',
]);

/**
 * Which field D3 documents an address for: `public` (globally reachable) for `External_IPAddress`,
 * `internal` (private, loopback, link-local, CGNAT, unique-local) for `Internal_IPAddress`, and
 * `special-purpose` for the blocks that are neither (documentation, benchmarking, reserved,
 * multicast, broadcast, unspecified), which fit neither field.
 */
export type IpAddressClass = 'public' | 'internal' | 'special-purpose';

export function ipAddressClass(scope: IpAddressScope): IpAddressClass {
  if (scope.isPublic) return 'public';
  // An embedded IPv4 address (`ipv4Mapped:private`) is classed by its own block.
  const block = scope.range.slice(scope.range.lastIndexOf(':') + 1);
  return INTERNAL_RANGES.has(block) ? 'internal' : 'special-purpose';
}

/**
 * Parses one IP address and tells whether it is public. IPv4 must be four decimal parts
 * (ipaddr.js's lenient forms such as `127.1`, `0x7f.0.0.1` or `2130706433` are not accepted: a
 * bare number is far more often a process ID than an address). IPv6 may carry a zone (`fe80::1%eth0`).
 * Returns `null` for anything that is not an address.
 */
export function ipAddressScope(text: string): IpAddressScope | null {
  // Cheap shape checks first, so ipaddr.js (whose validators parse, and throw internally, on every
  // call) only ever sees text that is probably an address, and parses it once.
  if (text.includes(':')) {
    if (!IPV6_CHARACTERS.test(text)) return null;
    const address = parseOrNull(() => ipaddr.IPv6.parse(text));
    return address && { kind: 'ipv6', ...scopeOfIpv6(address) };
  }
  if (!FOUR_PART_DECIMAL.test(text)) return null;
  const address = parseOrNull(() => ipaddr.IPv4.parse(text));
  return address && { kind: 'ipv4', ...scopeOfIpv4(address) };
}

/** Four decimal parts without leading zeros (which ipaddr.js would read as octal). */
const FOUR_PART_DECIMAL = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;
/** Hex digits, colons, an embedded dotted IPv4, and an optional zone (`%eth0`). */
const IPV6_CHARACTERS = /^[0-9a-f:.]+(?:%[\w.-]+)?$/i;

function parseOrNull<T>(parse: () => T): T | null {
  try {
    return parse();
  } catch {
    return null;
  }
}

/**
 * Splits an IP field value into its addresses, trimmed: D3 stores several addresses of one
 * endpoint as one comma-separated string (the vendor response shows
 * `"66.249.64.167, 0:0:1:0:0:aaaa:cd9:d0a"`), and answers `Internal_IPAddress` as an array of
 * them. `splitIpList('66.249.64.167, ::1')` → `['66.249.64.167', '::1']`. Empty items are kept
 * (`''` → `['']`, `'a,,b'` → `['a', '', 'b']`), so a validator can report them; filter them out
 * (`isBlankArtifactValue`) where only the addresses matter.
 */
export function splitIpList(value: string): string[] {
  return value.split(',').map((part) => part.trim());
}
