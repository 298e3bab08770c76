// Progress lines for `attack:update` on stderr, so that stdout carries only the change summary.
// On a terminal a download redraws one line; elsewhere (CI logs, pipes) it prints a line at most
// every two seconds, so a slow download is never silent and a fast one is not noisy.

export interface Progress {
  /** A step starts. */
  step(line: string): void;
  /** Bytes arrived; `total` is NaN when the size is unknown. */
  bytes(label: string, received: number, total: number): void;
  /** The step that showed bytes is over. */
  done(line: string): void;
}

export function createProgress(
  stream: { write(text: string): unknown; isTTY?: boolean },
  now: () => number = Date.now,
): Progress {
  let lastShown = 0;
  let redrawn = false;
  const line = (text: string) => {
    stream.write(`${redrawn ? '\r\u001b[K' : ''}${text}\n`);
    redrawn = false;
  };
  return {
    step: line,
    bytes(label, received, total) {
      const time = now();
      if (time - lastShown < (stream.isTTY === true ? 100 : 2000)) return;
      lastShown = time;
      const amount = Number.isFinite(total)
        ? `${megabytes(received)} of ${megabytes(total)}`
        : megabytes(received);
      if (stream.isTTY === true) {
        stream.write(`\r\u001b[K${label}: ${amount}`);
        redrawn = true;
      } else {
        stream.write(`${label}: ${amount}\n`);
      }
    },
    done: line,
  };
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
