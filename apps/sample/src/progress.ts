import { Presets, SingleBar } from 'cli-progress';

/** Fewer events than this go out in one request, where a progress bar would only flicker. */
const PROGRESS_MIN_EVENTS = 500;

/** Reports how many events the server has confirmed so far. */
export interface EventProgress {
  /** False when no bar is drawn, so the transport need not count anything. */
  readonly active: boolean;
  /** Called with the number of events in each SetEventTechniques request that came back 200. */
  advance(events: number): void;
  /** Removes the bar; safe to call more than once. */
  stop(): void;
}

/** The progress of runs that draw no bar. */
export const noProgress: EventProgress = { active: false, advance: () => {}, stop: () => {} };

/**
 * A progress bar for tagging `total` events, drawn on stderr so stdout stays clean for results.
 * Only on an interactive terminal and never in `--json` mode: a bar in a log file or a pipe is
 * noise, and machine output must be exactly the JSON document.
 */
export function eventProgress(
  total: number,
  options: { json: boolean; stream?: NodeJS.WriteStream },
): EventProgress {
  const stream = options.stream ?? process.stderr;
  if (options.json || !stream.isTTY || total < PROGRESS_MIN_EVENTS) return noProgress;
  const bar = new SingleBar(
    {
      stream,
      format: 'Tagging events [{bar}] {value}/{total} events | {percentage}% | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  let stopped = false;
  return {
    active: true,
    advance: (events) => {
      if (!stopped) bar.increment(events);
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}

/**
 * Wraps a `fetch` so each successful SetEventTechniques request advances the progress by the
 * number of events it carried. The client batches large requests itself; counting at the
 * transport keeps the CLI from re-implementing that batching just to draw a bar. Only answers
 * that are 200 with an empty `error` count (D3 reports a failed command in a 200), so failed and
 * retried attempts never move the bar.
 */
export function countingFetch(inner: typeof fetch, progress: () => EventProgress): typeof fetch {
  return async (input, init) => {
    if (!progress().active) return inner(input, init);
    const request = new Request(input, init);
    const events = request.url.endsWith('/Command/SetEventTechniques')
      ? await countEventIds(request.clone())
      : 0;
    const response = await inner(request);
    if (events > 0 && response.status === 200 && (await succeeded(response.clone()))) {
      progress().advance(events);
    }
    return response;
  };
}

async function countEventIds(request: Request): Promise<number> {
  const body = await readJson(request);
  const ids = (body as { CommandParams?: { 'Event IDs'?: unknown } } | undefined)?.CommandParams?.[
    'Event IDs'
  ];
  return Array.isArray(ids) ? ids.length : 0;
}

async function succeeded(response: Response): Promise<boolean> {
  const body = await readJson(response);
  return (body as { error?: unknown } | undefined)?.error === '';
}

async function readJson(message: Request | Response): Promise<unknown> {
  try {
    return await message.json();
  } catch {
    // Counting is cosmetic: a body we cannot read simply does not move the bar.
    return undefined;
  }
}
