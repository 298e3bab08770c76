import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSeed } from './default-seed.js';
import { checkSeed } from './state.js';
import { externalActionTrigger } from './types.js';

describe('defaultSeed', () => {
  it('has two sites, at least 50 events and at least 20 incidents', () => {
    expect(defaultSeed.sites).toHaveLength(2);
    expect(defaultSeed.events.length).toBeGreaterThanOrEqual(50);
    expect(defaultSeed.incidents.length).toBeGreaterThanOrEqual(20);
  });

  it('covers every known severity and status, several types and data sources, in both sites', () => {
    const values = (key: 'Severity' | 'Status' | 'Type' | 'DataSource' | 'Site') =>
      new Set(defaultSeed.incidents.map((incident) => incident[key]));
    expect(values('Severity')).toEqual(
      new Set(['Critical', 'High', 'Medium', 'Low', 'Informational']),
    );
    expect(values('Status')).toEqual(new Set(['Open', 'Closed', 'In Progress', 'On Hold']));
    expect(values('Type').size).toBeGreaterThanOrEqual(4);
    expect(values('DataSource').size).toBeGreaterThanOrEqual(4);
    expect(values('Site')).toEqual(new Set(defaultSeed.sites));
    const days = new Set(defaultSeed.incidents.map((i) => i.CreatedUtcTime.slice(0, 10)));
    expect(days.size).toBe(defaultSeed.incidents.length);
  });

  it('gives every site a playbook that reacts to external actions', () => {
    for (const site of defaultSeed.sites) {
      const reacting = defaultSeed.playbooks.filter(
        (p) => p.Site === site && p.Triggers.includes(externalActionTrigger),
      );
      expect(reacting.length).toBeGreaterThan(0);
    }
  });

  it('holds the events and incidents the vendor samples name', () => {
    const eventIds = defaultSeed.events.map((event) => event.EventId);
    expect(eventIds).toEqual(expect.arrayContaining([60250, 60251]));
    const numbers = defaultSeed.incidents.map((incident) => incident.Number);
    expect(numbers).toEqual(expect.arrayContaining(['20220114-11', '20230413-123']));
  });

  it('passes its own seed check', () => {
    expect(() => checkSeed(defaultSeed)).not.toThrow();
  });
});

describe('checkSeed', () => {
  const base = () => structuredClone(defaultSeed) as unknown as Record<string, unknown[]>;

  it('names the path of a bad value', () => {
    const seed = base();
    (seed['incidents']![3] as Record<string, unknown>)['CreatedUtcTime'] = 'yesterday';
    expect(() => checkSeed(seed)).toThrow(/seed\.incidents\[3\]\.CreatedUtcTime/);
  });

  it('requires creation times with Z or an explicit offset, naming the incident and the field', () => {
    const seed = base();
    const incident = seed['incidents']![5] as Record<string, unknown>;
    for (const created of [
      '2023-09-05T08:30:00', // no offset: the machine's zone would decide
      '2023-09-05 08:30:00Z',
      '2023-09-05',
      'Tue Sep 05 2023 08:30:00 GMT+0000',
      'Sep 5, 2023 08:30 UTC',
      '2023-02-30T08:30:00Z',
      '2023-09-05T24:00:00Z',
      '2023-09-05T08:30:00+25:00',
    ]) {
      incident['CreatedUtcTime'] = created;
      expect(() => checkSeed(seed), created).toThrow(
        new RegExp(
          `seed\\.incidents\\[5\\]\\.CreatedUtcTime: incident '${String(incident['Number'])}'`,
        ),
      );
    }
    for (const created of [
      '2023-09-05T08:30:00Z',
      '2023-09-05T10:30:00+02:00',
      '2023-09-05T03:30:00-05:00',
      '2023-09-05T08:30:00.125Z',
    ]) {
      incident['CreatedUtcTime'] = created;
      expect(() => checkSeed(seed), created).not.toThrow();
    }
  });

  it('accepts every instant written as yyyy-MM-ddTHH:mm:ssZ and refuses it without the Z', () => {
    const seed = base();
    const incident = seed['incidents']![0] as Record<string, unknown>;
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
          incident['CreatedUtcTime'] = iso;
          expect(() => checkSeed(seed)).not.toThrow();
          incident['CreatedUtcTime'] = iso.slice(0, -1);
          expect(() => checkSeed(seed)).toThrow(/CreatedUtcTime/);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects items in a site the seed does not list', () => {
    const seed = base();
    (seed['events']![0] as Record<string, unknown>)['Site'] = 'Elsewhere';
    expect(() => checkSeed(seed)).toThrow(/seed\.events\[0\]\.Site.*Elsewhere/);
  });

  it('rejects a duplicated incident number within a site', () => {
    const seed = base();
    seed['incidents']!.push(structuredClone(seed['incidents']![0]));
    expect(() => checkSeed(seed)).toThrow(/appears twice/);
  });

  it('returns a copy, so a mock never changes the seed it was given', () => {
    const copy = checkSeed(defaultSeed);
    copy.events[0]!.Techniques.push({
      TacticId: 'x',
      TacticName: 'x',
      TechniqueId: 'x',
      TechniqueName: 'x',
      AttackTacticId: 'x',
      AttackTechniqueId: 'x',
    });
    expect(defaultSeed.events[0]!.Techniques).toEqual([]);
  });
});
