import { getAttackCatalog } from '@d3soar/domain/attack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { D3ValidationIssue } from '../errors.js';
import { prepareSetEventTechniques, previewSetEventTechniques } from './set-event-techniques.js';

const catalog = getAttackCatalog('enterprise');

function prepare(input: Parameters<typeof prepareSetEventTechniques>[0]) {
  const issues: D3ValidationIssue[] = [];
  return { prepared: prepareSetEventTechniques(input, issues, catalog), issues };
}

describe('prepareSetEventTechniques', () => {
  it('resolves the vendor sample to tactic names and D3 technique names', () => {
    const { prepared, issues } = prepare({
      eventIds: [60250, 60251],
      tactics: ['Initial Access', 'TA0002', 'TA0003'],
      techniques: ['Valid Accounts: Cloud Accounts', 'T1569', 'Traffic Signaling: Port Knocking'],
    });
    expect(issues).toEqual([]);
    expect(prepared?.params).toEqual({
      'Event IDs': [60250, 60251],
      Tactics: ['Initial Access', 'Execution', 'Persistence'],
      Techniques: [
        'Valid Accounts: Cloud Accounts',
        'System Services',
        'Traffic Signaling: Port Knocking',
      ],
    });
    expect(prepared?.unpaired).toEqual([]);
    expect(prepared?.resolved.tactics.map((r) => [r.input, r.tactic.id])).toEqual([
      ['Initial Access', 'TA0001'],
      ['TA0002', 'TA0002'],
      ['TA0003', 'TA0003'],
    ]);
    expect(prepared?.resolved.techniques.map((r) => [r.input, r.technique.id])).toEqual([
      ['Valid Accounts: Cloud Accounts', 'T1078.004'],
      ['T1569', 'T1569'],
      ['Traffic Signaling: Port Knocking', 'T1205.001'],
    ]);
    // Each technique under each requested tactic it belongs to.
    expect(prepared?.pairs.map((p) => `${p.tactic.id}/${p.technique.id}`)).toContain(
      'TA0001/T1078.004',
    );
    expect(prepared?.pairs.map((p) => `${p.tactic.id}/${p.technique.id}`)).toContain(
      'TA0002/T1569',
    );
  });

  it('sends ATT&CK IDs when asked, de-duplicating inputs that name the same entry', () => {
    const { prepared } = prepare({
      eventIds: [7, 7, 8],
      tactics: ['execution', 'TA0002'],
      techniques: ['t1569', 'System Services'],
      as: 'id',
    });
    expect(prepared?.params).toEqual({
      'Event IDs': [7, 8],
      Tactics: ['TA0002'],
      Techniques: ['T1569'],
    });
    expect(prepared?.resolved.techniques.map((r) => r.input)).toEqual(['t1569', 'System Services']);
  });

  it('reports techniques that fit none of the requested tactics as unpaired', () => {
    const { prepared } = prepare({
      eventIds: [1],
      tactics: ['TA0001'],
      techniques: ['T1569', 'T1078'],
    });
    expect(prepared?.unpaired.map((t) => t.id)).toEqual(['T1569']);
  });

  it('lists every problem at once, with suggestions for misspelt ATT&CK names', () => {
    const { prepared, issues } = prepare({
      eventIds: [1, 2.5, -3, '4' as unknown as number],
      tactics: ['Initial Acess'],
      techniques: ['powershel', ''],
    });
    expect(prepared).toBeUndefined();
    expect(issues.map((issue) => issue.path)).toEqual([
      'eventIds.1',
      'eventIds.2',
      'eventIds.3',
      'tactics.0',
      'techniques.0',
      'techniques.1',
    ]);
    expect(issues[3]?.suggestions?.[0]).toContain('TA0001');
    expect(issues[4]?.suggestions?.some((s) => s.includes('PowerShell'))).toBe(true);
  });

  it('rejects an empty event list and a request that sets nothing', () => {
    expect(prepare({ eventIds: [], techniques: ['T1569'] }).issues[0]?.path).toBe('eventIds');
    expect(prepare({ eventIds: [1] }).issues).toEqual([
      { path: 'techniques', message: 'give at least one tactic or technique to set' },
    ]);
  });

  it('accepts exactly the positive safe integers as event IDs', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)), (id) => {
        const { issues } = prepare({ eventIds: [id as number], techniques: ['T1569'] });
        const valid = typeof id === 'number' && Number.isSafeInteger(id) && id > 0;
        expect(issues.length === 0).toBe(valid);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the prepared call of previewSetEventTechniques', () => {
  it('splits the event IDs, de-duplicated and in order, into batches of at most batchSize (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        (eventIds, batchSize) => {
          const { params, call } = previewSetEventTechniques(
            { eventIds, techniques: ['T1569'] },
            { batchSize },
          );
          const batches = call.requests.map((request) => request.params['Event IDs']);
          expect(batches.flat()).toEqual([...new Set(eventIds)]);
          expect(batches.flat()).toEqual(params['Event IDs']);
          expect(batches.every((ids) => ids.length > 0 && ids.length <= batchSize)).toBe(true);
          expect(call.requests.map((request) => request.items)).toEqual(
            batches.map((ids) => ids.length),
          );
          for (const request of call.requests) {
            expect(request.params.Techniques).toEqual(params.Techniques);
          }
        },
      ),
    );
  });

  it('refuses a batchSize that is not a positive integer', () => {
    for (const batchSize of [0, 1.5, -3, Number.NaN]) {
      expect(() =>
        previewSetEventTechniques({ eventIds: [1], techniques: ['T1569'] }, { batchSize }),
      ).toThrow(/batchSize must be a finite integer >= 1/);
    }
  });
});
