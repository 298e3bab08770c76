import { describe, expect, it } from 'vitest';
import { vendorRequestSample } from '../test-support/vendor-reference.js';
import { searchConditions } from './builder.js';
import { matchesIncident } from './match/match.js';
import { parseSearchConditions } from './parse.js';

const request = vendorRequestSample<{ CommandParams: { 'Search Conditions': unknown } }>(
  'TriggerIncidentExternalAction',
);
const sample = request.CommandParams['Search Conditions'];

describe('the vendor TriggerIncidentExternalAction sample', () => {
  it('parses and round-trips to the same JSON', () => {
    const parsed = parseSearchConditions(sample);
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(sample));
    expect(JSON.stringify(parseSearchConditions(JSON.stringify(parsed)))).toBe(
      JSON.stringify(sample),
    );
  });

  it('is what the builder produces from the same constraints', () => {
    const parsed = parseSearchConditions(sample);
    const builder = searchConditions();
    for (const [field, condition] of Object.entries(parsed)) {
      if (typeof condition !== 'object') {
        builder.whereAny(field).equals(condition);
        continue;
      }
      if (condition.$regex !== undefined) builder.whereAny(field).matches(condition.$regex);
      if (condition.$in !== undefined) builder.whereAny(field).in(condition.$in);
      if (typeof condition.$gt === 'object') builder.whereAny(field).after(condition.$gt.$date);
      if (typeof condition.$lt === 'object') builder.whereAny(field).before(condition.$lt.$date);
    }
    expect(JSON.stringify(builder.toJSON())).toBe(JSON.stringify(sample));
  });

  it('matches an incident that has every sample value, and not one created outside the range', () => {
    const parsed = parseSearchConditions(sample);
    const incident: Record<string, unknown> = {};
    for (const [field, condition] of Object.entries(parsed)) {
      if (typeof condition !== 'object') incident[field] = condition;
    }
    Object.assign(incident, {
      Title: 'Incident Title: beaconing from WKS-0042',
      Severity: 'High',
      CreatedUtcTime: '2023-09-10T08:00:00Z',
    });
    expect(matchesIncident(parsed, incident)).toBe(true);
    expect(matchesIncident(parsed, { ...incident, CreatedUtcTime: '2023-09-21T00:00:00Z' })).toBe(
      false,
    );
  });
});
