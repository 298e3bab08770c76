import { Presets, SingleBar } from 'cli-progress';

/** Fewer events than this go out in one request, where a progress bar would only flicker. */
const PROGRESS_MIN_EVENTS = 500;

/** Reports how many events the server has confirmed so far. */
export interface EventProgress {
  /** False when no bar is drawn. */
  readonly active: boolean;
  /** Called with the number of events in each batch D3 confirmed (the client's `onProgress`). */
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
