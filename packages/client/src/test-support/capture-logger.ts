import type { D3Logger } from '../logger.js';

/** A logger that keeps every line, with fields as full JSON (nothing hidden by depth limits). */
export interface CapturedLogger extends D3Logger {
  readonly lines: string[];
  /** Lines of one level. */
  at(level: 'debug' | 'info' | 'warn' | 'error'): string[];
}

export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const entries: { level: string; line: string }[] = [];
  const write =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      const line = `${level} ${message} ${fields === undefined ? '' : JSON.stringify(fields)}`;
      lines.push(line);
      entries.push({ level, line });
    };
  return {
    lines,
    at: (level) => entries.filter((entry) => entry.level === level).map((entry) => entry.line),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}
