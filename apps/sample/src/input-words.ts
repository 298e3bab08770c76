import type { D3ValidationError, D3ValidationIssue } from '@d3soar/client';
import { CliUsageError } from './errors.js';

/**
 * Where the part of a call's input at a client path (`techniques.1`, `artifacts.3.URL`) came
 * from, in the user's words: `--technique 'T9999'`, `iocs.txt line 12`. `undefined` keeps the path.
 */
export type InputSource = (path: string) => string | undefined;

/** `D3ValidationError` by name: importing the class would load the client on every start. */
export const isValidationError = (error: unknown): error is D3ValidationError =>
  error instanceof Error && error.name === 'D3ValidationError';

/**
 * Runs `prepare` (a client preview); when the client refuses the input, says each problem where
 * the user gave the value, as a usage error (exit 2, nothing sent).
 */
export async function inUserWords<T>(prepare: () => Promise<T>, sourceOf: InputSource): Promise<T> {
  try {
    return await prepare();
  } catch (error) {
    if (!isValidationError(error)) throw error;
    throw new CliUsageError(await describeIssues(error.issues, sourceOf));
  }
}

/** The issues on one line, each under the flag, variable or file line its value came from. */
export async function describeIssues(
  issues: readonly D3ValidationIssue[],
  sourceOf: InputSource,
): Promise<string> {
  // Loaded already: the issues came from one of its previews.
  const { formatIssue } = await import('@d3soar/client');
  const described = issues.map((issue) =>
    withoutFullStop(formatIssue(issue, sourceOf(issue.path))),
  );
  return `${described.join('; ')} (nothing was sent)`;
}

/** `text` without its closing full stop, to be joined with others on one line. */
export const withoutFullStop = (text: string): string => text.replace(/[.\s]+$/, '');

/** A source for the flags of `names`: `{ eventIds: '--event' }` names `eventIds.3` `--event`. */
export function flagSources(
  names: Record<string, string>,
  values: Record<string, readonly unknown[]> = {},
): InputSource {
  return (path) => {
    const [head = '', ...rest] = path.split('.');
    const flag = names[head];
    if (flag === undefined) return undefined;
    const value = rest.length === 1 ? values[head]?.[Number(rest[0])] : undefined;
    if (typeof value === 'string') return `${flag} '${value}'`;
    // An item of a list whose values are not kept (`eventIds.3`): named after the flag and place.
    return rest.length > 0 && !(head in values) ? `${flag} at ${rest.join('.')}` : flag;
  };
}
