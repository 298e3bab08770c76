import type { D3Warning } from '@d3soar/client';
import { type Command, Option } from 'commander';
import {
  connect,
  resolveTarget,
  type ConnectOptions,
  type Connection,
  type ConnectionFlags,
} from '../config.js';
import { CliUsageError } from '../errors.js';
import { json, paragraph } from '../format.js';
import type { InputSource } from '../input-words.js';

/** Flags every command shares: where to connect and how to print. */
export interface CommonFlags extends ConnectionFlags {
  /** `--json`: print one JSON document on stdout instead of tables. */
  json?: boolean;
  /** `--verbose`: print the client's debug and info lines on stderr. */
  verbose?: boolean;
}

/** Adds the connection and output flags to a command. */
export function addCommonOptions(command: Command): Command {
  return command
    .option('--json', 'print one JSON document on stdout instead of tables')
    .option('--verbose', "print the client's debug and info lines on stderr")
    .option(
      '--base-url <url>',
      'D3 base URL, e.g. https://d3.example.com/MainApp/VSOC (env D3_BASE_URL; omit to use the embedded mock)',
    )
    .option('--username <name>', 'D3 user the commands run as (env D3_USERNAME)')
    .option('--site <name>', 'D3 site the commands run on (env D3_SITE)')
    .addOption(
      new Option(
        '--api-key <key>',
        'API key sent in the d3key header (env D3_API_KEY; prefer the env var: flags show up in process lists)',
      ),
    )
    .addOption(
      new Option('--jwt-secret <secret>', 'HS256 secret for d3jwt tokens (env D3_JWT_SECRET)'),
    )
    .option('--allow-insecure-http', 'allow plain http:// to a host that is not loopback')
    .addOption(
      new Option(
        '--redis-url <url>',
        'share the 50 requests/s budget with other processes through this Redis (env D3_REDIS_URL; prefer the env var when the URL holds a password)',
      ),
    );
}

/** Opens a connection for the command, runs `fn`, and always closes it. */
export async function withConnection<T>(
  flags: CommonFlags,
  fn: (connection: Connection) => Promise<T>,
  options: ConnectOptions = {},
): Promise<T> {
  const connection = await connect(resolveTarget(flags), {
    verbose: flags.verbose ?? false,
    ...options,
  });
  try {
    return await fn(connection);
  } finally {
    await connection.close();
  }
}

/** Prints a command's result: the JSON document with `--json`, else the readable rendering. */
export function print<T>(flags: CommonFlags, report: T, render: (report: T) => string): void {
  process.stdout.write(`${flags.json ? json(report) : render(report)}\n`);
}

/**
 * The end of a command that sends: with `--dry-run`, prints the preview and opens no connection;
 * otherwise sends through a connection and prints what came back.
 */
export async function sendUnlessDryRun<T>(
  flags: CommonFlags & { dryRun?: boolean },
  preview: T,
  send: (connection: Connection) => Promise<T>,
  render: (report: T) => string,
): Promise<void> {
  const report = flags.dryRun ? preview : await withConnection(flags, send);
  print(flags, report, render);
}

/**
 * A command's report and the client's prepared call behind it: what a real run sends, without
 * checking anything again. Kept beside the report, not in it: the report is the `--json` output.
 */
export interface Prepared<Report, Preview> {
  report: Report;
  prepared: Preview;
}

/** `--strict`, for the commands that send. */
export function addStrictOption(command: Command): Command {
  return command.option(
    '--strict',
    'treat warnings (what D3 may not take as meant) as errors: send nothing and exit 2',
  );
}

/** How a warning reads on one line. */
const warningLine = ({ code, path, message }: D3Warning): string => `${path}: ${message} (${code})`;

/**
 * Shows a call's warnings and applies `--strict`, before anything is sent (dry runs alike). In
 * table mode each warning goes to stderr, so stdout keeps only the report; with `--json` they are
 * in the report's `warnings`. Under `--strict` any warning stops the command.
 */
export function heedWarnings(
  flags: CommonFlags & { strict?: boolean },
  warnings: readonly D3Warning[],
  sourceOf: InputSource = () => undefined,
): void {
  const line = (warning: D3Warning): string =>
    warningLine({ ...warning, path: sourceOf(warning.path) ?? warning.path });
  if (flags.strict && warnings.length > 0) {
    throw new CliUsageError(
      `--strict: nothing sent because of ${warnings.length} warning(s): ${warnings.map(line).join('; ')}`,
    );
  }
  if (flags.json !== true) {
    for (const warning of warnings) process.stderr.write(`warning: ${line(warning)}\n`);
  }
}

/**
 * What a dry run cannot know, said in its report: the checks only D3 makes (its own data, the
 * credentials), so "the dry run passed" is read for what it covers.
 */
export interface DryRunScope {
  /** Present in dry runs only: what only D3 checks, in words. */
  onlyD3Checks?: string[] | undefined;
  /** Present in dry runs against the embedded mock: limits of its own the call may meet. */
  embeddedMockLimits?: string[] | undefined;
}

/** A preview's report as the real run's report starts: not a dry run, so no dry-run scope. */
export const asSent = <R extends DryRunScope & { dryRun: boolean }>(report: R): R => ({
  ...report,
  dryRun: false,
  onlyD3Checks: undefined,
});

/** The credentials: only D3 knows whether they are good, for every command. */
const CREDENTIALS = 'that the credentials are accepted for the user and site';

/** The dry-run scope of a command whose other server-side checks are `checks`. */
export const onlyD3Checks = (...checks: string[]): string[] => [...checks, CREDENTIALS];

/** The line a dry run's readable output ends with. */
export function dryRunNote(report: DryRunScope & { dryRun: boolean }): string | undefined {
  if (!report.dryRun) return undefined;
  const checks = report.onlyD3Checks ?? [];
  const limits = report.embeddedMockLimits?.length
    ? ` The embedded mock has limits of its own: ${report.embeddedMockLimits.join('; ')}.`
    : '';
  return paragraph(
    `Dry run: nothing was sent. Checked here as the real run checks before sending; only D3 can check ${checks.join(', and ')}.${limits}`,
  );
}
