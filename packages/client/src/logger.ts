/** Where the client reports what it does. `console` fits; so do pino and winston loggers. */
export interface D3Logger {
  /** Every attempt and answer (method, URL, redacted headers, status, duration). */
  debug(message: string, fields?: Record<string, unknown>): void;
  /** Notable but expected events. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Retries, unpaired ATT&CK techniques, failed batches. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Failures the client could not handle itself. */
  error(message: string, fields?: Record<string, unknown>): void;
}
