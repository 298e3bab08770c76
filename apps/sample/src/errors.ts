import type { D3Error } from '@d3soar/client';
import { CommanderError } from 'commander';

/**
 * A mistake in how the CLI was called (a malformed flag value, a missing input, conflicting
 * configuration). It is reported as one line on stderr with exit code 2, like commander's own
 * usage errors.
 */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/**
 * The command ran but did not fully succeed (e.g. some batches failed); its report has already
 * been printed, so this only sets exit code 1 and a one-line summary.
 */
export class CliFailure extends Error {
  override name = 'CliFailure';
}

/** Exit codes: documented in the README so scripts can branch on them. */
export const exitCodes = {
  /** Everything was sent and accepted. */
  ok: 0,
  /** D3 (or the network) failed the call, or only part of a batched call succeeded. */
  failed: 1,
  /** The input was wrong; nothing was sent. */
  usage: 2,
} as const;

/** What to tell the user about an error: one line, and the exit code. */
export interface ErrorReport {
  message: string;
  exitCode: number;
}

/**
 * Turns any thrown value into one line for stderr and an exit code. The package errors already
 * state their contract and name the offending value; this adds what the user should do next and
 * collapses multi-line messages, so no stack trace or object dump ever reaches the terminal.
 */
export function describeError(error: unknown): ErrorReport {
  if (error instanceof CommanderError) {
    // Commander has already printed its one-line message; help and --version exit cleanly.
    const clean = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(
      error.code,
    );
    return {
      message: '',
      exitCode: clean && error.exitCode === 0 ? exitCodes.ok : exitCodes.usage,
    };
  }
  if (error instanceof CliUsageError) return usage(error.message);
  if (error instanceof CliFailure) return failed(error.message);
  if (isNamed(error, 'D3ValidationError') && isD3Error(error)) {
    // The client's message already lists every one of `error.issues` with its path and, for
    // ATT&CK names, the closest matches; only its bulleted lines need joining.
    return usage(oneLine(error.message));
  }
  if (isNamed(error, 'ArtifactError') || isNamed(error, 'QueryError')) {
    return usage(oneLine(error.message));
  }
  if (isD3Error(error)) return failed(describeD3Error(error));
  if (error instanceof Error) return failed(`unexpected error: ${oneLine(error.message)}`);
  return failed(`unexpected error: ${String(error)}`);
}

/*
 * Package errors are recognised by their `name` (which the packages spell out as constants for
 * exactly this kind of check) rather than with `instanceof`: importing the error classes would
 * load the client and every domain module before the first flag is parsed, adding about half a
 * second to every run, including the ones that only report a typo.
 */
function isNamed(error: unknown, name: string): error is Error {
  return error instanceof Error && error.name === name;
}

function isD3Error(error: unknown): error is D3Error {
  return (
    error instanceof Error &&
    typeof (error as Partial<D3Error>).command === 'string' &&
    typeof (error as Partial<D3Error>).outcome === 'string' &&
    typeof (error as Partial<D3Error>).attempts === 'number'
  );
}

/** What the user can do about a kind of failure, where the client's own advice stops. */
const NEXT_STEP: Partial<Record<string, string>> = {
  D3AuthError: 'check the API key or JWT secret, the username and the site',
};

/**
 * The client's advice inside a line: its option names as the CLI's flags, and a sentence's capital
 * dropped (`The outcome is unknown` reads `the outcome...` after a semicolon; `D3` keeps its own).
 */
const inFlagWords = (advice: string): string =>
  advice
    .replace(/\bbaseUrl\b/g, '--base-url')
    .replace(/^[A-Z](?=[a-z])/, (letter) => letter.toLowerCase());

/**
 * One line from the parts the client's errors carry (`command`, `reason`, D3's own words,
 * `advice`), each said once, plus what to do next where the CLI knows better.
 */
function describeD3Error(error: D3Error): string {
  if (error.name === 'AbortError') return 'aborted';
  const said = `${error.command}: ${error.reason}${error.d3Message ? `: ${error.d3Message}` : ''}`;
  const advice = [error.advice && inFlagWords(error.advice), NEXT_STEP[error.name]]
    .filter(Boolean)
    .join('; ');
  return oneLine(advice ? `${said}; ${advice}` : said);
}

/**
 * Collapses a multi-line message (e.g. a bulleted list) into one line, and shortens long lists of
 * numbers (event IDs echoed back by D3) to their ends and a count.
 */
function oneLine(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim().replace(/^- /, ''))
    .filter((line) => line !== '')
    .join('; ')
    .replace(/:;/g, ':')
    .replace(/\b\d+(?:, \d+){9,}\b/g, (list) => {
      const items = list.split(', ');
      return `${items.slice(0, 3).join(', ')}, … ${items.at(-1)} (${items.length} in all)`;
    });
}

function usage(message: string): ErrorReport {
  return { message, exitCode: exitCodes.usage };
}

function failed(message: string): ErrorReport {
  return { message, exitCode: exitCodes.failed };
}
