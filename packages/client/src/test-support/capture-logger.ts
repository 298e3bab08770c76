import type { D3Logger } from '../logger.js';

/** A logger that keeps every line, with fields as full JSON (nothing hidden by depth limits). */
export interface CapturedLogger extends D3Logger {
  /** Every line, `<level> <message> <fields JSON>`, in order. */
  readonly lines: string[];
  /** Lines of one level. */
  at(level: 'debug' | 'info' | 'warn' | 'error'): string[];
}

export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const write =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push(`${level} ${message} ${fields === undefined ? '' : JSON.stringify(fields)}`);
    };
  return {
    lines,
    // Every line starts with its level and a space, so the level is read back from the line.
    at: (level) => lines.filter((line) => line.startsWith(`${level} `)),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}
