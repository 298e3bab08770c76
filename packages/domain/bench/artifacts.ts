// Benchmarks @d3soar/domain/artifacts (the BUILT package): detection on the vendor's sample
// artifact objects and classification of a mixed set of bare indicator values.
import { classifyValue, detectArtifactType, validateArtifacts } from '@d3soar/domain/artifacts';

import { vendorRequestSample } from '../src/test-support/vendor-reference.js';
import { measureRate } from './measure.js';
import type { BenchResult } from './types.js';

/** Bare values of every kind classifyValue knows, plus a few it rejects. */
const VALUES = [
  '66.249.64.167',
  '192.168.2.112',
  '0:0:1:0:0:aaaa:cd9:d0a',
  'fe80::1',
  '::ffff:10.0.0.1',
  '66.249.64.167, 0:0:1:0:0:aaaa:cd9:d0a',
  'b0778a411c26f7b9b9ef5db8ed99566e',
  '62678242ac69a2fb5cfa6a2cc3256fd8229fd7f4',
  '2afa7715181f03b6fe5acd7c82b8e818303a5de567af1a83d8c283010af2db44',
  '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
  'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run',
  'D3Example.example.ca',
  'printer.local',
  'dc01.corp',
  'D3Admin',
  'playbookfile.exe',
  'C:\\Windows\\System32\\playbookfile.exe',
  'CORP\\jdoe',
  'http://example.com',
  'hxxps://evil[.]example[.]com/login',
  'admin@example.com',
  '1.2.3[.]4',
  '21721',
  '',
];

export function run(): BenchResult[] {
  const request = vendorRequestSample<{
    CommandParams: { 'Artifact Fields': Record<string, unknown>[] };
  }>('SaveArtifactForIncident');
  const objects = request.CommandParams['Artifact Fields'];

  const detectRate = measureRate(objects.length, () => {
    let sink = 0;
    for (const fields of objects) sink += detectArtifactType(fields).type.length;
    return sink;
  });
  const validateRate = measureRate(objects.length, () => validateArtifacts(null, objects).length);
  const classifyRate = measureRate(VALUES.length, () => {
    let sink = 0;
    for (const value of VALUES) sink += classifyValue(value)?.type.length ?? 0;
    return sink;
  });
  return [
    {
      name: `artifacts: detectArtifactType on the ${objects.length} vendor sample objects`,
      value: Math.round(detectRate),
      unit: 'objects/s',
      target: '≥ 1,000,000 objects/s',
      meets: detectRate >= 1_000_000,
    },
    {
      name: 'artifacts: validateArtifacts over the vendor sample batch',
      value: Math.round(validateRate),
      unit: 'objects/s',
    },
    {
      name: `artifacts: classifyValue on ${VALUES.length} mixed values (IPs, hashes, domains, URLs, ...)`,
      value: Math.round(classifyRate),
      unit: 'values/s',
      target: '≥ 500,000 values/s',
      meets: classifyRate >= 500_000,
    },
  ];
}
