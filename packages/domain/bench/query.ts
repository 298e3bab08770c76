// Benchmarks @d3soar/domain/query (the BUILT package): building Search Conditions, parsing them,
// checking regex safety, and matching 10,000 incidents — beside raw sift on the same query and
// the same incidents, measured in the same run.
import {
  checkRegexSafety,
  compileIncidentMatcher,
  matchesIncident,
  parseSearchConditions,
  searchConditions,
  type SearchConditions,
} from '@d3soar/domain/query';
import sift from 'sift';

import { measureRate, measureRates } from './measure.js';
import type { BenchResult } from './types.js';

const INCIDENTS = 10_000;
const SEVERITIES = ['Critical', 'High', 'Medium', 'Low', 'Informational'];
const STATUSES = ['Open', 'Closed', 'In Progress', 'On Hold'];
const START = Date.UTC(2023, 7, 1);
const DAY = 86_400_000;

/** Deterministic pseudo-random incidents (a fixed LCG, so every run matches the same ones). */
function makeIncidents(dates: 'Date' | 'ISO string'): Record<string, unknown>[] {
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: INCIDENTS }, (_, i) => {
    const created = new Date(START + Math.floor(next() * 60 * DAY));
    return {
      Number: `20230413-${i}`,
      Type: 'Suspicious Network Activity',
      Status: STATUSES[Math.floor(next() * STATUSES.length)],
      Title: next() < 0.3 ? `Incident Title ${i}` : `Other alert ${i}`,
      Severity: SEVERITIES[Math.floor(next() * SEVERITIES.length)],
      CustomField1: `value ${i % 10}`,
      CreatedUtcTime: dates === 'Date' ? created : created.toISOString(),
    };
  });
}

function buildSample() {
  return searchConditions()
    .where('Number')
    .equals('20230413-123')
    .where('Title')
    .matches(/^Incident Title/)
    .where('Severity')
    .in(['Critical', 'High'])
    .where('CreatedUtcTime')
    .after('2023-09-01T00:00:00Z')
    .where('CreatedUtcTime')
    .before('2023-09-21T00:00:00Z');
}

export async function run(): Promise<BenchResult[]> {
  const buildRate = measureRate(1, () => Object.keys(buildSample().toJSON()).length);

  const sampleText = JSON.stringify(buildSample().toJSON());
  const parseRate = measureRate(1, () => Object.keys(parseSearchConditions(sampleText)).length);

  const patterns = [
    '^Incident Title',
    'phishing.*(invoice|payment)',
    '(a+)+$',
    '^[A-Z]{3}-\\d{4}$',
  ];
  const safetyRate = measureRate(patterns.length, () => {
    let sink = 0;
    for (const pattern of patterns) sink += checkRegexSafety(pattern)?.length ?? 0;
    return sink;
  });

  // The matching query: no equality on Number, so the whole set is scanned and some incidents match.
  const conditions: SearchConditions = searchConditions()
    .where('Title')
    .matches(/^Incident Title/)
    .where('Severity')
    .in(['Critical', 'High'])
    .where('CreatedUtcTime')
    .after('2023-09-01T00:00:00Z')
    .where('CreatedUtcTime')
    .before('2023-09-21T00:00:00Z')
    .toJSON();
  const rawQuery = {
    Title: { $regex: '^Incident Title' },
    Severity: { $in: ['Critical', 'High'] },
    CreatedUtcTime: {
      $gt: new Date('2023-09-01T00:00:00Z'),
      $lt: new Date('2023-09-21T00:00:00Z'),
    },
  };
  const withDates = makeIncidents('Date');
  const withStrings = makeIncidents('ISO string');

  const ours = withDates.filter((incident) => matchesIncident(conditions, incident)).length;
  const rawTester = sift.default(rawQuery);
  const raw = withDates.filter((incident) => rawTester(incident)).length;
  if (ours !== raw || ours === 0) {
    throw new Error(
      `matchesIncident found ${ours} incidents, raw sift ${raw}: the comparison is void`,
    );
  }
  if (withStrings.filter((incident) => matchesIncident(conditions, incident)).length !== ours) {
    throw new Error('matchesIncident disagrees between Date and ISO-string incidents');
  }

  const countWith = (test: (incident: unknown) => boolean, incidents: readonly unknown[]) => {
    let count = 0;
    for (const incident of incidents) if (test(incident)) count += 1;
    return count;
  };
  const compiled = compileIncidentMatcher(conditions);
  const rates = measureRates(INCIDENTS, {
    ours: () => countWith((incident) => matchesIncident(conditions, incident), withDates),
    compiled: () => countWith(compiled, withDates),
    raw: () => countWith(rawTester, withDates),
    strings: () => countWith((incident) => matchesIncident(conditions, incident), withStrings),
  });
  // Compiling per incident is two orders of magnitude slower: a shorter measurement suffices.
  const rawRecompiledRate = measureRate(
    INCIDENTS,
    () => countWith((incident) => sift.default(rawQuery)(incident), withDates),
    { rounds: 3 },
  );
  const { ours: oursRate, compiled: compiledRate, raw: rawRate, strings: stringsRate } = rates;

  const msPer10k = (rate: number) => (INCIDENTS / rate) * 1000;
  const rawComparison = {
    name: 'raw sift, same query and incidents',
    value: msPer10k(rawRate),
    unit: 'ms',
  };
  return [
    {
      name: 'query: searchConditions() build + toJSON (vendor sample conditions)',
      value: Math.round(buildRate),
      unit: 'builds/s',
      target: '≥ 500,000 builds/s',
      meets: buildRate >= 500_000,
    },
    {
      name: 'query: parseSearchConditions (vendor sample conditions, JSON text)',
      value: Math.round(parseRate),
      unit: 'parses/s',
    },
    {
      name: 'query: checkRegexSafety (4 typical patterns)',
      value: Math.round(safetyRate),
      unit: 'patterns/s',
    },
    {
      name: `query: matchesIncident over ${INCIDENTS.toLocaleString('en-US')} incidents (Date values)`,
      value: msPer10k(oursRate),
      unit: 'ms',
      comparison: rawComparison,
    },
    {
      name: `query: compileIncidentMatcher predicate over ${INCIDENTS.toLocaleString('en-US')} incidents`,
      value: msPer10k(compiledRate),
      unit: 'ms',
      comparison: rawComparison,
    },
    {
      name: `query: matchesIncident over ${INCIDENTS.toLocaleString('en-US')} incidents (ISO-string dates)`,
      value: msPer10k(stringsRate),
      unit: 'ms',
      comparison: rawComparison,
    },
    {
      name: `query: raw sift compiling the query for every incident (no cache), ${INCIDENTS.toLocaleString('en-US')} incidents`,
      value: msPer10k(rawRecompiledRate),
      unit: 'ms',
      comparison: rawComparison,
    },
  ];
}
