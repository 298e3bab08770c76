import { describe, expect, it } from 'vitest';
import { checkFaultRule, createFaultBook, parseFaultRules } from './faults.js';

describe('createFaultBook', () => {
  it('applies a scripted rule to exactly the next `times` calls of its command', () => {
    const book = createFaultBook(1, [
      { command: 'SetEventTechniques', fault: { type: 'status', status: 503 }, times: 2 },
    ]);
    expect(book.select('SaveArtifactForIncident').answer).toBeUndefined();
    const answers = Array.from({ length: 4 }, () => book.select('SetEventTechniques').answer);
    expect(answers.map((a) => a?.type)).toEqual(['status', 'status', undefined, undefined]);
  });

  it('applies a `*` rule to every command', () => {
    const book = createFaultBook(1, [{ command: '*', fault: { type: 'html' } }]);
    expect(book.select('SaveArtifactForIncident').answer).toEqual({ type: 'html' });
    expect(book.select('TriggerIncidentExternalAction').answer).toEqual({ type: 'html' });
  });

  it('adds latencies together and lets the first answering fault win', () => {
    const book = createFaultBook(1, [
      { command: '*', fault: { type: 'latency', ms: 10 } },
      { command: '*', fault: { type: 'drop' }, times: 1 },
      { command: '*', fault: { type: 'latency', ms: 5 } },
      { command: '*', fault: { type: 'truncated' }, times: 1 },
    ]);
    expect(book.select('SetEventTechniques')).toEqual({ latencyMs: 15, answer: { type: 'drop' } });
    // The truncated rule was not used up by the call the drop answered.
    expect(book.select('SetEventTechniques')).toEqual({
      latencyMs: 15,
      answer: { type: 'truncated' },
    });
  });

  it('draws probabilities from the seed, so equal seeds give equal sequences', () => {
    const run = (seed: number) => {
      const book = createFaultBook(seed, [
        { command: '*', fault: { type: 'status', status: 429 }, probability: 0.3 },
      ]);
      return Array.from(
        { length: 200 },
        () => book.select('SetEventTechniques').answer !== undefined,
      );
    };
    const first = run(7);
    expect(run(7)).toEqual(first);
    expect(run(8)).not.toEqual(first);
    const share = first.filter(Boolean).length / first.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.45);
  });

  it('forgets every rule on clear()', () => {
    const book = createFaultBook(1, [{ command: '*', fault: { type: 'drop' } }]);
    book.clear();
    expect(book.select('SetEventTechniques').answer).toBeUndefined();
  });
});

describe('fault rule checks', () => {
  it('name the offending field of a rule from a file', () => {
    expect(() =>
      parseFaultRules([{ command: 'SetEventTechniques', fault: { type: 'status', status: 200 } }]),
    ).toThrow(/faults\[0\]\.fault\.status/);
    expect(() => parseFaultRules([{ command: 'Nope', fault: { type: 'drop' } }])).toThrow(
      /faults\[0\]\.command/,
    );
    expect(() =>
      parseFaultRules([{ command: '*', fault: { type: 'drop' }, probability: 2 }]),
    ).toThrow(/faults\[0\]\.probability/);
    expect(() => parseFaultRules([{ command: '*', fault: { type: 'explode' } }])).toThrow(
      /faults\[0\]\.fault\.type/,
    );
    expect(() => parseFaultRules({})).toThrow(/array/);
  });

  it('accept only the statuses the contract documents for a status fault, naming them', () => {
    for (const status of [400, 401, 429, 500, 503]) {
      expect(
        checkFaultRule({ command: '*', fault: { type: 'status', status } }, 'rule').fault,
      ).toEqual({ type: 'status', status });
    }
    for (const status of [402, 404, 405, 413, 502, 504, 599, 429.5, '429']) {
      expect(() => parseFaultRules([{ command: '*', fault: { type: 'status', status } }])).toThrow(
        /faults\[0\]\.fault\.status: must be one of .*400, 401, 429, 500, 503/,
      );
    }
  });

  it('accept every documented fault kind', () => {
    const faults = [
      { type: 'status', status: 429, retryAfterSeconds: 2 },
      { type: 'latency', ms: 5 },
      { type: 'drop' },
      { type: 'truncated' },
      { type: 'html', status: 502 },
      { type: 'command-error', message: 'Event 1 was not found.' },
    ];
    for (const fault of faults) {
      expect(checkFaultRule({ command: '*', fault, times: 1 }, 'rule').fault).toEqual(fault);
    }
  });
});
