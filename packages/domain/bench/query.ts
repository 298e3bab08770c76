// Benchmarks @d3soar/domain/query (the BUILT package): building Search Conditions, parsing them,
// checking regex safety, and matching 10,000 incidents — beside raw sift on the same query and
// the same incidents, measured in the same run. Raw sift runs `$regex` with JavaScript's RegExp,
// the package with RE2 (re2js); a regex-only query isolates that difference, and matching checked
// conditions (compiled once, cached by identity) is compared with plain ones (checked and compiled
// on every call).
import {
  parseSearchConditions,
  searchConditions,
  type CheckedSearchConditions,
  type SearchConditions,
  type SearchConditionsBuilder,
} from '@d3soar/domain/query';
import {
  checkRegexSafety,
  compileIncidentMatcher,
  matchesIncident,
} from '@d3soar/domain/query/match';
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

/** The vendor sample's title, severity and date constraints, added to `builder`. */
function withSampleConstraints(builder: SearchConditionsBuilder): SearchConditionsBuilder {
  return builder
    .where('Title')
    .matches(/^Incident Title/)
    .where('Severity')
    .in(['Critical', 'High'])
    .where('CreatedUtcTime')
    .after('2023-09-01T00:00:00Z')
    .where('CreatedUtcTime')
    .before('2023-09-21T00:00:00Z');
}

/** The vendor sample's conditions, `Number` equality first (as in the sample). */
function buildSample() {
  return withSampleConstraints(searchConditions().where('Number').equals('20230413-123'));
}

export function run(): BenchResult[] {
  const buildRate = measureRate(1, () => Object.keys(buildSample().toJSON()).length);

  const sampleText = JSON.stringify(buildSample().toJSON());
  const parseRate = measureRate(1, () => Object.keys(parseSearchConditions(sampleText)).length);

  const patterns = [
    '^Incident Title',
    'phishing.*(invoice|payment)',
    '(a+)+$',
    '^[A-Z]{3}-\\d{4}$',
    `${'.{0,100}'.repeat(4)}X`,
  ];
  const safetyRate = measureRate(patterns.length, () => {
    let sink = 0;
    for (const pattern of patterns) sink += checkRegexSafety(pattern)?.length ?? 0;
    return sink;
  });

  // The matching query: no equality on Number, so the whole set is scanned and some incidents match.
  const conditions: CheckedSearchConditions = withSampleConstraints(searchConditions()).toJSON();
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
  const builderConditions = withSampleConstraints(searchConditions());
  // The same conditions as a fresh plain literal on every call: checked and compiled every time.
  const freshConditions = (): SearchConditions => ({
    Title: { $regex: '^Incident Title' },
    Severity: { $in: ['Critical', 'High'] },
    CreatedUtcTime: {
      $gt: { $date: '2023-09-01T00:00:00Z' },
      $lt: { $date: '2023-09-21T00:00:00Z' },
    },
  });
  const rates = measureRates(INCIDENTS, {
    ours: () => countWith((incident) => matchesIncident(conditions, incident), withDates),
    fresh: () => countWith((incident) => matchesIncident(freshConditions(), incident), withDates),
    compiled: () => countWith(compiled, withDates),
    builder: () => countWith((incident) => matchesIncident(builderConditions, incident), withDates),
    raw: () => countWith(rawTester, withDates),
    strings: () => countWith((incident) => matchesIncident(conditions, incident), withStrings),
  });

  // `$regex` alone: RE2 (the package) against JavaScript's backtracking RegExp (raw sift).
  const regexOnly = parseSearchConditions({ Title: { $regex: '^Incident Title' } });
  const regexOnlyIgnoreCase = parseSearchConditions({
    Title: { $regex: 'incident title \\d+$', $options: 'i' },
  });
  const rawRegexOnly = sift.default({ Title: { $regex: '^Incident Title' } });
  const rawRegexOnlyIgnoreCase = sift.default({
    Title: { $regex: 'incident title \\d+$', $options: 'i' },
  });
  const ourRegex = compileIncidentMatcher(regexOnly);
  const ourRegexIgnoreCase = compileIncidentMatcher(regexOnlyIgnoreCase);
  if (
    countWith(ourRegex, withDates) !== countWith(rawRegexOnly, withDates) ||
    countWith(ourRegexIgnoreCase, withDates) !== countWith(rawRegexOnlyIgnoreCase, withDates)
  ) {
    throw new Error('RE2 and RegExp disagree on the regex-only queries: the comparison is void');
  }
  const regexRates = measureRates(INCIDENTS, {
    re2: () => countWith(ourRegex, withDates),
    native: () => countWith(rawRegexOnly, withDates),
    re2IgnoreCase: () => countWith(ourRegexIgnoreCase, withDates),
    nativeIgnoreCase: () => countWith(rawRegexOnlyIgnoreCase, withDates),
  });

  // Compiling checked conditions on every call (no parse, no cache).
  const uncachedRate = measureRate(
    INCIDENTS,
    () => countWith((incident) => compileIncidentMatcher(conditions)(incident), withDates),
    { rounds: 3 },
  );
  // Compiling per incident is two orders of magnitude slower: a shorter measurement suffices.
  const rawRecompiledRate = measureRate(
    INCIDENTS,
    () => countWith((incident) => sift.default(rawQuery)(incident), withDates),
    { rounds: 3 },
  );
  const {
    ours: oursRate,
    compiled: compiledRate,
    builder: builderRate,
    fresh: freshRate,
    raw: rawRate,
    strings: stringsRate,
  } = rates;

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
      name: `query: checkRegexSafety (${patterns.length} typical patterns)`,
      value: Math.round(safetyRate),
      unit: 'patterns/s',
    },
    {
      name: `query: matchesIncident, checked conditions (compiled once, cached by identity), over ${INCIDENTS.toLocaleString('en-US')} incidents (Date values)`,
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
      name: `query: matchesIncident with a builder (cached by identity) over ${INCIDENTS.toLocaleString('en-US')} incidents`,
      value: msPer10k(builderRate),
      unit: 'ms',
      comparison: rawComparison,
    },
    {
      name: `query: matchesIncident, a fresh plain literal per call (checked and compiled each call), ${INCIDENTS.toLocaleString('en-US')} incidents`,
      value: msPer10k(freshRate),
      unit: 'ms',
      comparison: rawComparison,
    },
    {
      name: `query: compiling checked conditions on every call (no cache), ${INCIDENTS.toLocaleString('en-US')} incidents`,
      value: msPer10k(uncachedRate),
      unit: 'ms',
      comparison: rawComparison,
    },
    {
      name: `query: $regex only, RE2 (compileIncidentMatcher) over ${INCIDENTS.toLocaleString('en-US')} incidents`,
      value: msPer10k(regexRates.re2),
      unit: 'ms',
      comparison: {
        name: 'raw sift, JavaScript RegExp, same query',
        value: msPer10k(regexRates.native),
        unit: 'ms',
      },
    },
    {
      name: `query: $regex only with $options i, RE2 over ${INCIDENTS.toLocaleString('en-US')} incidents`,
      value: msPer10k(regexRates.re2IgnoreCase),
      unit: 'ms',
      comparison: {
        name: 'raw sift, JavaScript RegExp, same query',
        value: msPer10k(regexRates.nativeIgnoreCase),
        unit: 'ms',
      },
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
