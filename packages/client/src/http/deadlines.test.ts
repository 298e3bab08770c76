import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { createFakeClock } from '../test-support/fake-clock.js';
import { Deadlines, type Watched } from './deadlines.js';

/** A watched item that records when it expired. */
const item = (name: string, expired: string[], clock: Clock): Watched & { at?: number } => {
  const entry: Watched & { at?: number } = {
    due: 0,
    previous: undefined,
    next: undefined,
    expire() {
      expired.push(name);
      entry.at = clock.now();
    },
  };
  return entry;
};

describe('Deadlines', () => {
  it('expires each item its limit after it was watched, in order, with one timer at a time', async () => {
    const clock = createFakeClock();
    const deadlines = new Deadlines(clock, 100);
    const expired: string[] = [];
    const a = item('a', expired, clock);
    const b = item('b', expired, clock);
    deadlines.watch(a);
    await clock.advance(30);
    deadlines.watch(b);
    await clock.advance(69);
    expect(expired).toEqual([]);
    await clock.advance(1);
    expect(expired).toEqual(['a']);
    expect(a.at).toBe(100);
    await clock.advance(30);
    expect(expired).toEqual(['a', 'b']);
    expect(b.at).toBe(130);
    // One timer for the first item, one re-armed for the second: not one per item.
    expect(clock.timers).toEqual([100, 30]);
  });

  it('never expires an unwatched item, wherever it stood in the list', async () => {
    const clock = createFakeClock();
    const deadlines = new Deadlines(clock, 50);
    const expired: string[] = [];
    const items = ['a', 'b', 'c', 'd'].map((name) => item(name, expired, clock));
    for (const entry of items) {
      deadlines.watch(entry);
      await clock.advance(1);
    }
    // The first, a middle one and the last.
    for (const index of [0, 2, 3]) deadlines.unwatch(items[index]!);
    // Unwatching twice changes nothing.
    deadlines.unwatch(items[2]!);
    await clock.advance(100);
    expect(expired).toEqual(['b']);
  });

  it('expires exactly the items still watched at their due time (any order of watch and unwatch)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.boolean(), fc.nat(20)), { minLength: 1, maxLength: 30 }),
        async (steps) => {
          const clock = createFakeClock();
          const deadlines = new Deadlines(clock, 40);
          const expired: string[] = [];
          const watched: { name: string; entry: Watched; due: number }[] = [];
          const unwatched = new Set<string>();
          for (const [index, [drop, wait]] of steps.entries()) {
            const name = String(index);
            const entry = item(name, expired, clock);
            deadlines.watch(entry);
            watched.push({ name, entry, due: clock.now() + 40 });
            // Unwatch an earlier item that has not fallen due yet.
            const candidate = watched.find(
              (w) => !unwatched.has(w.name) && w.due > clock.now() && w.name !== name,
            );
            if (drop && candidate) {
              deadlines.unwatch(candidate.entry);
              unwatched.add(candidate.name);
            }
            await clock.advance(wait);
          }
          await clock.advance(100);
          const expected = watched.filter((w) => !unwatched.has(w.name)).map((w) => w.name);
          expect(expired).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('lets the process exit while nothing is watched, and holds it while something is', () => {
    const keptAlive: boolean[] = [];
    const clock: Clock = {
      now: () => 0,
      epochMs: () => 0,
      timer: () => ({ cancel() {}, keepAlive: (keep) => keptAlive.push(keep) }),
    };
    const deadlines = new Deadlines(clock, 10);
    const expired: string[] = [];
    const a = item('a', expired, clock);
    deadlines.watch(a);
    deadlines.unwatch(a);
    deadlines.watch(a);
    deadlines.unwatch(a);
    expect(keptAlive).toEqual([false, true, false]);
  });
});
