import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { artifactFromValue, classifyValue, type ValueType } from './classify.js';
import type { CompositeArtifactType } from './artifact-types.js';
import { detectArtifactType } from './detect.js';

const COMPOSITE_TYPE_OF: Record<ValueType, CompositeArtifactType> = {
  'External IP': 'ExternalEndpoint',
  'Internal IP': 'InternalEndpoint',
  'File Hash MD5': 'File',
  'File Hash SHA1': 'File',
  'File Hash SHA256': 'File',
  'Process Guid': 'Process',
  'Registry Key': 'Registry',
  'Internal Endpoint Domain Name': 'InternalEndpoint',
  'External Endpoint Domain Name': 'ExternalEndpoint',
  'Host Name': 'InternalEndpoint',
  Filename: 'File',
  Username: 'User',
  URL: 'URL',
  'Email Address': 'EmailAddress',
};

describe('classifyValue', () => {
  it.each<[string, ValueType]>([
    ['66.249.64.167', 'External IP'],
    ['0:0:1:0:0:aaaa:cd9:d0a', 'External IP'],
    ['192.168.2.112', 'Internal IP'],
    ['::ffff:10.0.0.1', 'Internal IP'],
    ['100.64.1.1', 'Internal IP'],
    ['fd00::1', 'Internal IP'],
    ['b0778a411c26f7b9b9ef5db8ed99566e', 'File Hash MD5'],
    ['62678242ac69a2fb5cfa6a2cc3256fd8229fd7f4', 'File Hash SHA1'],
    ['2afa7715181f03b6fe5acd7c82b8e818303a5de567af1a83d8c283010af2db44', 'File Hash SHA256'],
    ['{5770385F-C22A-43E0-BF4C-06F5698FFBD9}', 'Process Guid'],
    ['5770385f-c22a-43e0-bf4c-06f5698ffbd9', 'Process Guid'],
    ['HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', 'Registry Key'],
    ['HKCU\\Software\\Classes', 'Registry Key'],
    ['printer.local', 'Internal Endpoint Domain Name'],
    ['dc01.corp', 'Internal Endpoint Domain Name'],
    ['nas.home.arpa', 'Internal Endpoint Domain Name'],
    ['build.internal', 'Internal Endpoint Domain Name'],
    ['D3Admin.example.ca', 'External Endpoint Domain Name'],
    ['sampleModuleBaseAddr.com', 'External Endpoint Domain Name'],
    ['D3Admin', 'Host Name'],
    ['WKS-0042', 'Host Name'],
    ['playbookfile.exe', 'Filename'],
    ['invoice.zip', 'Filename'],
    ['C:\\Windows\\System32\\playbookfile.exe', 'Filename'],
    ['/tmp/payload.sh', 'Filename'],
    ['quarterly report.pdf', 'Filename'],
    ['CORP\\jdoe', 'Username'],
    ['http://example.com', 'URL'],
    ['example.com/login.php?id=1', 'URL'],
    ['admin@example.com', 'Email Address'],
    ['münchen.de', 'External Endpoint Domain Name'],
    ['www.bücher.de', 'External Endpoint Domain Name'],
    ['пример.рф', 'External Endpoint Domain Name'],
    ['drucker.büro.local', 'Internal Endpoint Domain Name'],
    ['user@münchen.de', 'Email Address'],
    ['münchen.de/login', 'URL'],
    ['1.2.3.4:80', 'External IP'],
    ['10.0.0.5:3389', 'Internal IP'],
    ['[2001:4860:4860::8888]:443', 'External IP'],
    ['[fe80::1%eth0]:22', 'Internal IP'],
    ['mailto:admin@example.com', 'Email Address'],
    ['MAILTO:admin@example.com?subject=Invoice', 'Email Address'],
  ])('classifies %s as %s', (value, type) => {
    expect(classifyValue(value)?.type).toBe(type);
  });

  it.each([
    ['hxxps://evil[.]example[.]com/x', 'URL', 'https://evil.example.com/x'],
    ['1.2.3[.]4', 'External IP', '1.2.3.4'],
    ['evil[.]com', 'External Endpoint Domain Name', 'evil.com'],
    ['bad[@]evil(.)com', 'Email Address', 'bad@evil.com'],
  ])('refangs %s before classifying it', (value, type, refanged) => {
    expect(classifyValue(value)).toMatchObject({ type, value: refanged });
  });

  it('calls a name under a configured internal suffix internal, however the suffix is written', () => {
    for (const suffix of ['example.ca', '.example.ca', 'EXAMPLE.CA']) {
      expect(classifyValue('D3Example.example.ca', { internalSuffixes: [suffix] })?.type).toBe(
        'Internal Endpoint Domain Name',
      );
    }
  });

  it('matches internal suffixes on label boundaries only', () => {
    expect(classifyValue('notexample.ca', { internalSuffixes: ['example.ca'] })?.type).toBe(
      'External Endpoint Domain Name',
    );
  });

  it('reads a comma-separated list of one scope as one IP type, as the vendor response writes them', () => {
    expect(classifyValue('66.249.64.167, 0:0:1:0:0:aaaa:cd9:d0a')).toMatchObject({
      type: 'External IP',
      value: '66.249.64.167, 0:0:1:0:0:aaaa:cd9:d0a',
    });
    expect(classifyValue('10.0.0.1,192.168.0.1')?.type).toBe('Internal IP');
  });

  it('calls every address of a private, CGNAT, link-local or unique-local block an Internal IP', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const hextet = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
    const internal = fc.oneof(
      fc.tuple(octet, octet, octet).map(([b, c, d]) => `10.${b}.${c}.${d}`),
      fc
        .tuple(fc.integer({ min: 16, max: 31 }), octet, octet)
        .map(([b, c, d]) => `172.${b}.${c}.${d}`),
      fc.tuple(octet, octet).map(([c, d]) => `192.168.${c}.${d}`),
      fc
        .tuple(fc.integer({ min: 64, max: 127 }), octet, octet)
        .map(([b, c, d]) => `100.${b}.${c}.${d}`),
      fc.tuple(octet, octet).map(([c, d]) => `169.254.${c}.${d}`),
      fc.tuple(octet, octet).map(([c, d]) => `::ffff:192.168.${c}.${d}`),
      fc
        .tuple(
          fc.integer({ min: 0xfc00, max: 0xfdff }),
          fc.array(hextet, { minLength: 7, maxLength: 7 }),
        )
        .map(([first, rest]) => [first.toString(16), ...rest].join(':')),
    );
    fc.assert(
      fc.property(internal, (address) => classifyValue(address)?.type === 'Internal IP'),
      {
        numRuns: 300,
      },
    );
  });

  it('calls every address of a public unicast block an External IP', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    // 8.0.0.0/8 and 66.249.0.0/16 (the vendor sample's block): ordinary public space.
    const external = fc.oneof(
      fc.tuple(octet, octet, octet).map(([b, c, d]) => `8.${b}.${c}.${d}`),
      fc.tuple(octet, octet).map(([c, d]) => `66.249.${c}.${d}`),
    );
    fc.assert(
      fc.property(external, (address) => classifyValue(address)?.type === 'External IP'),
      {
        numRuns: 200,
      },
    );
  });

  it('refuses a list that mixes public and private addresses', () => {
    expect(classifyValue('8.8.8.8, 10.0.0.1')).toBeNull();
  });

  it('judges an internationalised name by its punycode form, and sends it as given', () => {
    expect(classifyValue('münchen.de')).toEqual({
      type: 'External Endpoint Domain Name',
      reason: 'a registrable name under the public suffix "de"',
      value: 'münchen.de',
    });
    expect(classifyValue('bücher.corp.example', { internalSuffixes: ['corp.example'] })?.type).toBe(
      'Internal Endpoint Domain Name',
    );
  });

  it('leaves the port out of an IP address with one, saying so', () => {
    expect(classifyValue('66.249.64.167:443')).toEqual({
      type: 'External IP',
      reason: 'public IPv4 address (unicast), port 443 left out',
      value: '66.249.64.167',
    });
    expect(artifactFromValue('[::ffff:10.0.0.1]:8080')).toEqual({
      Internal_IPAddress: '::ffff:10.0.0.1',
    });
  });

  it('reads a mailto: link as its address', () => {
    expect(artifactFromValue('mailto:admin@example.com?subject=x')).toEqual({
      EmailAddress: 'admin@example.com',
    });
  });

  it('lower-cases hashes and says why it chose a type', () => {
    expect(classifyValue('B0778A411C26F7B9B9EF5DB8ED99566E')).toEqual({
      type: 'File Hash MD5',
      reason: '32 hex digits',
      value: 'b0778a411c26f7b9b9ef5db8ed99566e',
    });
  });

  it.each([
    '',
    '   ',
    '21721',
    '1.2.3',
    'co.uk',
    'not a thing!',
    '10.0.0.0/8',
    'a@b',
    '1.2.3.4:99999',
    '1.2.3.4:',
    'mailto:',
    'mailto:not-an-address',
    'münchen..de',
  ])('returns null for %j', (value) => {
    expect(classifyValue(value)).toBeNull();
  });

  it('returns null for input that is not a string', () => {
    expect(classifyValue(42 as unknown as string)).toBeNull();
    expect(classifyValue(null as unknown as string)).toBeNull();
  });

  it('never throws and never pollutes prototypes on arbitrary strings', () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.string({ unit: 'grapheme-ascii', maxLength: 80 }),
          fc.constantFrom('__proto__', 'constructor', 'prototype', 'hxxp[:]//[.]', '[.][.]'),
        ),
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }),
        (value, internalSuffixes) => {
          const result = classifyValue(value, { internalSuffixes });
          return result === null || (typeof result.type === 'string' && result.value.length > 0);
        },
      ),
      { numRuns: 500 },
    );
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  });
});

describe('artifactFromValue', () => {
  it.each([
    ['66.249.64.167', { External_IPAddress: '66.249.64.167' }],
    ['192.168.2.112', { Internal_IPAddress: '192.168.2.112' }],
    [
      '2afa7715181f03b6fe5acd7c82b8e818303a5de567af1a83d8c283010af2db44',
      { SHA256: '2afa7715181f03b6fe5acd7c82b8e818303a5de567af1a83d8c283010af2db44' },
    ],
    ['hxxp://example[.]com', { URL: 'http://example.com' }],
    ['admin@example.com', { EmailAddress: 'admin@example.com' }],
    ['printer.local', { Internal_HostFQDN: 'printer.local' }],
    ['D3Admin', { Internal_HostName: 'D3Admin' }],
    [
      'C:\\Windows\\System32\\playbookfile.exe',
      { FileName: 'playbookfile.exe', FilePath: 'C:\\Windows\\System32\\playbookfile.exe' },
    ],
    ['CORP\\jdoe', { UserName: 'CORP\\jdoe' }],
  ])('builds the composite fields for %s', (value, fields) => {
    expect(artifactFromValue(value)).toEqual(fields);
  });

  it('returns null when the value cannot be classified', () => {
    expect(artifactFromValue('21721')).toBeNull();
  });

  it('builds fields that detect as the composite type of the classified value', () => {
    const values = fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.domain(),
      fc.emailAddress(),
      // fc.webUrl() and fc.webSegment() take over a second to construct; this is enough here.
      fc
        .tuple(
          fc.constantFrom('http', 'https', 'hxxps'),
          fc.domain(),
          fc.stringMatching(/^[\w-]{0,12}$/),
        )
        .map(([scheme, domain, path]) => `${scheme}://${domain}/${path}`),
      fc.stringMatching(/^[0-9a-f]{64}$/),
      fc.uuid().map((id) => `{${id}}`),
    );
    fc.assert(
      fc.property(values, (value) => {
        const classification = classifyValue(value);
        const fields = artifactFromValue(value);
        if (classification === null || fields === null) return classification === fields;
        return detectArtifactType(fields).type === COMPOSITE_TYPE_OF[classification.type];
      }),
      { numRuns: 150 },
    );
  });
});
