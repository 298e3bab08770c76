import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipAddressScope, splitIpList } from './ip.js';

const octet = fc.integer({ min: 0, max: 255 });

/** Random IPv4 addresses inside `first.second/prefix`-style blocks given as fixed leading octets. */
function ipv4In(
  base: readonly number[],
  secondRange?: readonly [number, number],
): fc.Arbitrary<string> {
  const second = secondRange ? fc.integer({ min: secondRange[0], max: secondRange[1] }) : octet;
  return fc
    .tuple(second, octet, octet)
    .map(([b, c, d]) =>
      base.length === 1 ? `${base[0]}.${b}.${c}.${d}` : `${base[0]}.${base[1]}.${c}.${d}`,
    );
}

const hextet = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
const ipv4 = fc.tuple(octet, octet, octet, octet).map((parts) => parts.join('.'));

describe('ipAddressScope', () => {
  it.each([
    ['66.249.64.167', true, 'unicast'],
    ['8.8.8.8', true, 'unicast'],
    ['192.168.2.112', false, 'private'],
    ['10.1.2.3', false, 'private'],
    ['172.31.255.255', false, 'private'],
    ['172.32.0.1', true, 'unicast'],
    ['100.64.0.1', false, 'carrierGradeNat'],
    ['169.254.10.20', false, 'linkLocal'],
    ['127.0.0.1', false, 'loopback'],
    ['0.0.0.0', false, 'unspecified'],
    ['255.255.255.255', false, 'broadcast'],
    ['224.0.0.251', false, 'multicast'],
    ['192.0.2.10', false, 'reserved'],
    ['192.175.48.1', true, 'as112'],
    ['2606:4700::1111', true, 'unicast'],
    ['::1', false, 'loopback'],
    ['fe80::1%eth0', false, 'linkLocal'],
    ['fd12:3456::1', false, 'uniqueLocal'],
    ['2001:db8::1', false, 'reserved'],
    ['::ffff:10.0.0.1', false, 'ipv4Mapped:private'],
    ['::ffff:8.8.8.8', true, 'ipv4Mapped:unicast'],
    ['::ffff:0:192.168.1.1', false, 'rfc6145:private'],
    ['64:ff9b::808:808', true, 'rfc6052:unicast'],
    ['64:ff9b::a00:1', false, 'rfc6052:private'],
  ])('says %s is public: %s (%s)', (address, isPublic, range) => {
    expect(ipAddressScope(address)).toMatchObject({ isPublic, range });
  });

  it("treats the vendor sample's 0:0:1:0:0:aaaa:cd9:d0a as public, as D3's response does", () => {
    expect(ipAddressScope('0:0:1:0:0:aaaa:cd9:d0a')).toMatchObject({
      isPublic: true,
      kind: 'ipv6',
    });
  });

  it.each([
    '21721',
    '127.1',
    '0x7f.0.0.1',
    '010.0.0.1',
    '1.2.3.4.5',
    '256.1.1.1',
    '[::1]',
    ':::1',
    'host',
    '',
  ])('does not take %j for an address', (text) => {
    expect(ipAddressScope(text)).toBeNull();
  });

  it('finds every address of the private, CGNAT, loopback and link-local IPv4 blocks non-public', () => {
    const nonPublic = fc.oneof(
      ipv4In([10]),
      ipv4In([172], [16, 31]),
      ipv4In([192, 168]),
      ipv4In([100], [64, 127]),
      ipv4In([127]),
      ipv4In([169, 254]),
    );
    fc.assert(
      fc.property(nonPublic, (address) => ipAddressScope(address)?.isPublic === false),
      {
        numRuns: 300,
      },
    );
  });

  it('finds every unique-local and link-local IPv6 address non-public', () => {
    const suffix = fc.array(hextet, { minLength: 7, maxLength: 7 }).map((parts) => parts.join(':'));
    const uniqueLocal = fc
      .tuple(fc.integer({ min: 0xfc00, max: 0xfdff }), suffix)
      .map(([first, rest]) => `${first.toString(16)}:${rest}`);
    const linkLocal = fc
      .tuple(fc.integer({ min: 0xfe80, max: 0xfebf }), suffix)
      .map(([first, rest]) => `${first.toString(16)}:${rest}`);
    fc.assert(
      fc.property(
        fc.oneof(uniqueLocal, linkLocal),
        (address) => ipAddressScope(address)?.isPublic === false,
      ),
      { numRuns: 200 },
    );
  });

  it('gives an IPv4-mapped IPv6 address the scope of the IPv4 address it carries', () => {
    fc.assert(
      fc.property(ipv4, (address) => {
        const mapped = ipAddressScope(`::ffff:${address}`);
        return mapped !== null && mapped.isPublic === ipAddressScope(address)?.isPublic;
      }),
      { numRuns: 300 },
    );
  });

  it('finds global unicast IPv6 addresses outside the special blocks public', () => {
    const suffix = fc.array(hextet, { minLength: 7, maxLength: 7 }).map((parts) => parts.join(':'));
    // 2400::/6 .. 2c00::/6: inside 2000::/3 and clear of 2001::/16 and 2002::/16.
    const global = fc
      .tuple(fc.integer({ min: 0x2400, max: 0x2fff }), suffix)
      .map(([first, rest]) => `${first.toString(16)}:${rest}`);
    fc.assert(
      fc.property(global, (address) => ipAddressScope(address)?.isPublic === true),
      {
        numRuns: 200,
      },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        ipAddressScope(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('splitIpList', () => {
  it('splits the vendor response spelling and trims around commas', () => {
    expect(splitIpList('66.249.64.167, 0:0:1:0:0:aaaa:cd9:d0a,0:1:1:1:0:ffff:cd9:d0a')).toEqual([
      '66.249.64.167',
      '0:0:1:0:0:aaaa:cd9:d0a',
      '0:1:1:1:0:ffff:cd9:d0a',
    ]);
  });

  it('keeps empty items so they can be reported', () => {
    expect(splitIpList('1.1.1.1,,8.8.8.8')).toEqual(['1.1.1.1', '', '8.8.8.8']);
  });
});
