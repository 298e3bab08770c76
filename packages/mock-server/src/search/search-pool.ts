// Runs the searches that can be costly — those with a `$regex`, which JavaScript's backtracking
// engine may take unbounded time on — in worker threads, each under a deadline counted from the
// request's arrival. The mock is one event loop: a pattern evaluated on it stops every other
// request. In a worker it stops only that worker, and a regex match cannot be interrupted, so a
// search past its deadline ends by terminating its worker; the next search starts a fresh one.
//
// Why node:worker_threads rather than a pool library (piscina): the one thing needed beyond a
// queue is killing the worker that runs a late job, and a pool that hides its workers would have
// to be torn down whole for that. The queue here is a list; the workers are at most `size`.
//
// Searches without a `$regex` never come here: the handler runs them in-line (equality, `$in` and
// dates are linear in the incidents), so they never wait behind costly ones.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** What a search found: the index of the first matching incident (or -1), or why it stopped. */
export type SearchOutcome =
  | { readonly kind: 'found'; readonly index: number }
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'deadline' };

export interface SearchPool {
  /**
   * The first of `incidents` (in the order given) that the conditions match. The conditions are
   * checked JSON: the worker checks and compiles them once, as the contract's grammar has it.
   * Resolves with `deadline` when the search has not finished by `deadlineAt`
   * (`performance.now()` time), however long it queued.
   */
  first(
    conditions: unknown,
    incidents: readonly unknown[],
    deadlineAt: number,
  ): Promise<SearchOutcome>;
  /** Ends every worker; pending searches resolve with `deadline`. */
  close(): Promise<void>;
}

interface Job {
  readonly conditions: unknown;
  readonly incidents: readonly unknown[];
  readonly deadlineAt: number;
  readonly resolve: (outcome: SearchOutcome) => void;
}

interface Slot {
  readonly worker: Worker;
  job: Job | undefined;
  /** When the worker started, until it has loaded the matcher; then `undefined`. */
  startingSince: number | undefined;
}

/** The most a worker's start-up may add to the first job's deadline. */
const startupAllowanceMs = 10_000;

const require = createRequire(import.meta.url);
/** Where the worker imports the query checker and matcher from: the same package the mock uses. */
const modules = {
  query: pathToFileURL(require.resolve('@d3soar/domain/query')).href,
  match: pathToFileURL(require.resolve('@d3soar/domain/query/match')).href,
};

// Evaluated as CommonJS in the worker. Kept as source here (rather than a file of its own) so the
// worker runs the same in the built package and in tests that load this package from source.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const loaded = Promise.all([import(workerData.query), import(workerData.match)]);
loaded.then(() => parentPort.postMessage({ kind: 'ready' }));
parentPort.on('message', async ({ conditions, incidents }) => {
  const [{ parseSearchConditions }, { compileIncidentMatcher }] = await loaded;
  try {
    const matches = compileIncidentMatcher(parseSearchConditions(conditions), {
      regexEngine: 'javascript',
    });
    parentPort.postMessage({ kind: 'found', index: incidents.findIndex((incident) => matches(incident)) });
  } catch (error) {
    parentPort.postMessage({ kind: 'refused', message: error instanceof Error ? error.message : String(error) });
  }
});
`;

export function createSearchPool(size: number): SearchPool {
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let closed = false;

  function start(): Slot {
    const worker = new Worker(workerSource, { eval: true, workerData: modules });
    const slot: Slot = { worker, job: undefined, startingSince: performance.now() };
    // An idle worker never keeps the process alive; a busy one does, until its answer.
    worker.unref();
    worker.on('message', (message: SearchOutcome | { kind: 'ready' }) => {
      if (message.kind === 'ready') ready(slot);
      else finish(slot, message);
    });
    worker.on('error', (error: Error) => {
      retire(slot);
      finish(slot, { kind: 'refused', message: `the search failed: ${error.message}` });
    });
    slots.push(slot);
    return slot;
  }

  function retire(slot: Slot): void {
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
    void slot.worker.terminate();
  }

  function finish(slot: Slot, outcome: SearchOutcome): void {
    const job = slot.job;
    if (job === undefined) return;
    slot.job = undefined;
    clearTimeout(timers.get(slot));
    timers.delete(slot);
    if (slots.includes(slot)) slot.worker.unref();
    job.resolve(outcome);
    pump();
  }

  const timers = new Map<Slot, ReturnType<typeof setTimeout>>();

  /**
   * Arms the deadline of the slot's job. The time a new worker took to start (loading the matcher,
   * a few hundred milliseconds once per worker, more on a busy machine) is the mock's own cost, not
   * the search's, so it is added to that job's deadline.
   */
  function arm(slot: Slot, job: Job, startup: number): void {
    const remaining = job.deadlineAt + startup - performance.now();
    timers.set(
      slot,
      setTimeout(
        () => {
          // A match cannot be interrupted: the worker goes, and a fresh one takes the next job.
          retire(slot);
          finish(slot, { kind: 'deadline' });
        },
        Math.max(0, remaining),
      ),
    );
  }

  function ready(slot: Slot): void {
    const since = slot.startingSince;
    slot.startingSince = undefined;
    if (slot.job !== undefined && since !== undefined) {
      clearTimeout(timers.get(slot));
      arm(slot, slot.job, performance.now() - since);
    }
  }

  function pump(): void {
    while (queue.length > 0 && !closed) {
      const job = queue[0] as Job;
      const remaining = job.deadlineAt - performance.now();
      if (remaining <= 0) {
        // Queued past its deadline: answered without running.
        queue.shift();
        job.resolve({ kind: 'deadline' });
        continue;
      }
      const slot =
        slots.find((candidate) => candidate.job === undefined) ??
        (slots.length < size ? start() : undefined);
      if (slot === undefined) return;
      queue.shift();
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ conditions: job.conditions, incidents: job.incidents });
      // A worker still starting re-arms the deadline when it is ready (see `arm`); until then a
      // generous allowance stands, so a worker that never starts still ends the job.
      arm(slot, job, slot.startingSince === undefined ? 0 : startupAllowanceMs);
    }
    // Jobs left waiting still end at their deadline, even if no worker frees up before it.
    const next = queue[0];
    if (next !== undefined && !closed && !waiting) {
      waiting = setTimeout(
        () => {
          waiting = undefined;
          pump();
        },
        Math.max(0, next.deadlineAt - performance.now()),
      );
      waiting.unref();
    }
  }
  let waiting: ReturnType<typeof setTimeout> | undefined;

  return {
    first(conditions, incidents, deadlineAt) {
      if (closed) return Promise.resolve({ kind: 'deadline' });
      return new Promise((resolve) => {
        queue.push({ conditions, incidents, deadlineAt, resolve });
        pump();
      });
    },
    async close() {
      closed = true;
      if (waiting !== undefined) clearTimeout(waiting);
      for (const job of queue.splice(0)) job.resolve({ kind: 'deadline' });
      const running = slots.splice(0);
      for (const slot of running) {
        clearTimeout(timers.get(slot));
        slot.job?.resolve({ kind: 'deadline' });
        slot.job = undefined;
      }
      await Promise.all(running.map((slot) => slot.worker.terminate()));
    },
  };
}
