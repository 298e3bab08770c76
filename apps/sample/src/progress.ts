import { Presets, SingleBar } from 'cli-progress';

/** Fewer items than this go out in one request, where a progress bar would only flicker. */
const PROGRESS_MIN_ITEMS = 500;

/** Reports how many items (events, artifacts) the server has confirmed so far. */
export interface BatchProgress {
  /** False when no bar is drawn. */
  readonly active: boolean;
  /** Called with the number of items in each batch D3 confirmed (the client's `onProgress`). */
  advance(items: number): void;
  /** Removes the bar; safe to call more than once. */
  stop(): void;
}

/** The progress of runs that draw no bar. */
export const noProgress: BatchProgress = { active: false, advance: () => {}, stop: () => {} };

/** Options of {@link batchProgress}. */
interface BatchProgressOptions {
  /** `--json`: no bar, the output is exactly the JSON document. */
  json: boolean;
  /** What is done, e.g. `Tagging events`. */
  label: string;
  /** What is counted, e.g. `events`. */
  unit: string;
  stream?: NodeJS.WriteStream;
}

/**
 * A progress bar for `total` items sent in batches, drawn on stderr so stdout stays clean for
 * results. Only on an interactive terminal and never in `--json` mode: a bar in a log file or a
 * pipe is noise, and machine output must be exactly the JSON document.
 */
function batchProgress(total: number, options: BatchProgressOptions): BatchProgress {
  const stream = options.stream ?? process.stderr;
  if (options.json || !stream.isTTY || total < PROGRESS_MIN_ITEMS) return noProgress;
  const bar = new SingleBar(
    {
      stream,
      format: `${options.label} [{bar}] {value}/{total} ${options.unit} | {percentage}% | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  let stopped = false;
  return {
    active: true,
    advance: (items) => {
      if (!stopped) bar.increment(items);
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}

/** The client's `onProgress` for `progress`: each confirmed batch advances it by its items. */
export function onConfirmed(
  progress: BatchProgress,
): { onProgress: (batch: { ok: boolean; items: number }) => void } | undefined {
  if (!progress.active) return undefined;
  return {
    onProgress: ({ ok, items }) => {
      if (ok) progress.advance(items);
    },
  };
}

/** Runs `send` with a bar for `total` items (when one is drawn), removing the bar at the end. */
export async function withProgress<T>(
  total: number,
  options: BatchProgressOptions,
  send: (progress: BatchProgress) => Promise<T>,
): Promise<T> {
  const progress = batchProgress(total, options);
  try {
    return await send(progress);
  } finally {
    progress.stop();
  }
}
