import type { TriggerIncidentExternalActionPreview } from '@d3soar/client';
import type { D3Warning } from '@d3soar/client';
import { QueryError, searchConditions, type SearchConditionsBuilder } from '@d3soar/domain/query';
import type { Command } from 'commander';
import { targetsEmbeddedMock, type Connection } from '../config.js';
import { CliUsageError } from '../errors.js';
import { blocks, json, keyValueTable, subheading, table } from '../format.js';
import { dateParser, keyValueCollector, type KeyValue } from '../parse-flags.js';
import { inUserWords } from '../input-words.js';
import {
  asSent,
  addCommonOptions,
  addStrictOption,
  dryRunNote,
  onlyD3Checks,
  type DryRunScope,
  type Prepared,
  heedWarnings,
  sendUnlessDryRun,
  type CommonFlags,
} from './shared.js';

/** The search the user asked for, in flag form. */
export interface TriggerSearch {
  /** `--where key=value`: equality; a key given twice or more becomes `$in`. */
  where: KeyValue[];
  since?: Date;
  until?: Date;
  /** `--title-regex`: a pattern, or `/pattern/i` for a case-insensitive one. */
  titleRegex?: string;
}

/** The outcome of `trigger`: the Search Conditions and Trigger Data, and D3's answer. */
export interface TriggerReport extends DryRunScope {
  command: 'TriggerIncidentExternalAction';
  dryRun: boolean;
  /** The `Search Conditions` JSON exactly as sent. */
  searchConditions: Record<string, unknown>;
  /** The `Trigger Data` exactly as sent. */
  triggerData: Record<string, string>;
  /** What D3 may not take in the conditions (operators the vendor does not show, ...). */
  warnings: D3Warning[];
  /** The incident D3 acted on and the playbooks it ran (absent in a dry run). */
  result?: {
    status: string;
    incidentId: number;
    incidentNumber: string;
    playbooks: { runtimeId: number; name: string }[];
  };
}

/**
 * Builds the Search Conditions with the domain builder, which gets dates and regexes right; a
 * builder error is re-worded to name the flag the user typed.
 */
function buildConditions(search: TriggerSearch): SearchConditionsBuilder {
  if (
    search.where.length === 0 &&
    !search.since &&
    !search.until &&
    search.titleRegex === undefined
  ) {
    // Said in flag terms here; the client would refuse the empty conditions in its own terms.
    throw new CliUsageError(
      'no search conditions: give --where, --since, --until or --title-regex',
    );
  }
  const builder = searchConditions();
  const byKey = new Map<string, string[]>();
  for (const { key, value } of search.where) byKey.set(key, [...(byKey.get(key) ?? []), value]);
  for (const [key, values] of byKey) {
    asFlag('--where', () => {
      const field = builder.whereAny(key);
      if (values.length === 1) field.equals(values[0] ?? '');
      else field.in(values);
    });
  }
  if (search.since && search.until && search.since >= search.until) {
    throw new CliUsageError(
      `--since (${search.since.toISOString()}) must be before --until (${search.until.toISOString()}): no incident could match`,
    );
  }
  if (search.since) {
    const since = search.since;
    // `$gt`, the vendor's form: --since is exclusive, as --help says.
    asFlag('--since', () => builder.where('CreatedUtcTime').after(since));
  }
  if (search.until) {
    const until = search.until;
    asFlag('--until', () => builder.where('CreatedUtcTime').before(until));
  }
  if (search.titleRegex !== undefined) {
    const pattern = toPattern(search.titleRegex);
    asFlag('--title-regex', () => builder.where('Title').matches(pattern));
  }
  return builder;
}

function asFlag(flag: string, build: () => unknown): void {
  try {
    build();
  } catch (error) {
    if (error instanceof QueryError) throw new CliUsageError(`${flag}: ${error.message}`);
    throw error;
  }
}

/** `/text/i` → a case-insensitive RegExp; anything else is the pattern itself. */
function toPattern(text: string): RegExp | string {
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(text);
  try {
    if (literal) return new RegExp(literal[1] ?? '', literal[2]);
    new RegExp(text);
    return text;
  } catch (error) {
    throw new CliUsageError(
      `--title-regex: '${text}' is not a valid regular expression (${(error as Error).message})`,
    );
  }
}

/** Turns the `--data key=value` pairs into Trigger Data; a repeated key is a mistake, not an overwrite. */
function toTriggerData(pairs: KeyValue[]): Record<string, string> {
  const data: Record<string, string> = {};
  for (const { key, value } of pairs) {
    if (Object.hasOwn(data, key)) throw new CliUsageError(`--data: key '${key}' is given twice`);
    // defineProperty, so a key such as `__proto__` is stored as data, never as the prototype.
    Object.defineProperty(data, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return data;
}

/**
 * Previews what would be sent with the client's own preview: the Search Conditions JSON exactly as
 * the call sends it, and the Trigger Data. Bad input throws the client's `D3ValidationError`.
 */
export async function previewTrigger(
  builder: SearchConditionsBuilder,
  triggerData: Record<string, string>,
): Promise<PreparedTrigger> {
  // Loaded on demand, like the client in `connect`: it is the bulk of the CLI's start-up time.
  const { previewTriggerIncidentExternalAction } = await import('@d3soar/client');
  const prepared = previewTriggerIncidentExternalAction({ where: builder, triggerData });
  const report: TriggerReport = {
    command: 'TriggerIncidentExternalAction',
    dryRun: true,
    searchConditions: prepared.params['Search Conditions'],
    triggerData,
    warnings: prepared.warnings,
    onlyD3Checks: onlyD3Checks(
      "which incident of the user's site the search finds first (D3 searches its own data)",
    ),
  };
  return { report, prepared };
}

/** A `trigger` report and the prepared call behind it. */
export type PreparedTrigger = Prepared<TriggerReport, TriggerIncidentExternalActionPreview>;

/** Sends the trigger. TriggerIncidentExternalAction runs playbooks, so the client never retries it. */
export async function trigger(
  connection: Connection,
  { report: preview, prepared }: PreparedTrigger,
): Promise<TriggerReport> {
  const response = await connection.client.send(prepared);
  const data = response.returnData.Data;
  return {
    ...asSent(preview),
    result: {
      status: response.returnData.Status,
      incidentId: data.IncidentId,
      incidentNumber: data.IncidentNo,
      playbooks: data.TriggeredPlaybooks.map((run) => ({
        runtimeId: run.RuntimeId,
        name: run.PlaybookName,
      })),
    },
  };
}

/** The readable form: the condition JSON and Trigger Data, then the incident and playbooks. */
export function renderTrigger(report: TriggerReport): string {
  const result = report.result;
  return blocks(
    subheading('Search Conditions (built with searchConditions())'),
    json(report.searchConditions),
    subheading('Trigger Data'),
    Object.keys(report.triggerData).length > 0 ? json(report.triggerData) : '{}',
    dryRunNote(report),
    result &&
      blocks(
        subheading(`D3 acted on the first matching incident: ${result.incidentNumber}`),
        keyValueTable([
          ['Status', result.status],
          ['Incident ID', result.incidentId],
          ['Incident number', result.incidentNumber],
        ]),
        table(
          ['Runtime ID', 'Playbook triggered'],
          result.playbooks.map((run) => [run.runtimeId, run.name]),
        ),
      ),
  );
}

/** The flag that put each part of the Search Conditions or Trigger Data there. */
function triggerSources(path: string): string | undefined {
  const [head, field, operator = ''] = path.split('.');
  if (head === 'triggerData') return field ? `--data ${field}` : '--data';
  if (head !== 'where') return undefined;
  if (field === 'Title' && /^\$(regex|options)/.test(operator)) return '--title-regex';
  if (field === 'CreatedUtcTime') {
    return operator.startsWith('$gt')
      ? '--since'
      : operator.startsWith('$lt')
        ? '--until'
        : '--since/--until';
  }
  return field ? `--where ${field}` : '--where';
}

interface TriggerFlags extends CommonFlags {
  where?: KeyValue[];
  since?: Date;
  until?: Date;
  titleRegex?: string;
  data?: KeyValue[];
  dryRun?: boolean;
  strict?: boolean;
}

/** Registers `trigger`. */
export function registerTrigger(program: Command): void {
  const command = program
    .command('trigger')
    .description(
      "Run the 'On Incident External Action' playbooks on the first incident a search finds (TriggerIncidentExternalAction)",
    )
    .option(
      '--where <field=value>',
      'incident field equals value, e.g. Status=Open; repeat a field to match any of its values',
      keyValueCollector('--where', 'Status=Open'),
    )
    .option(
      '--since <date>',
      'created after, exclusive ($gt; ISO 8601, e.g. 2024-05-01 or 2024-05-01T08:00:00Z)',
      dateParser('--since'),
    )
    .option('--until <date>', 'created before, exclusive ($lt; ISO 8601)', dateParser('--until'))
    .option(
      '--title-regex <pattern>',
      "title matches the regex; /pattern/i for case-insensitive (sends $options, which D3's documentation does not show: a warning says so)",
    )
    .option(
      '--data <key=value>',
      'Trigger Data entry; repeatable',
      keyValueCollector('--data', 'Ticket=SOC-4711'),
    )
    .option('--dry-run', 'show the Search Conditions and Trigger Data, without sending');
  addCommonOptions(addStrictOption(command)).action(async (flags: TriggerFlags) => {
    const builder = buildConditions({
      where: flags.where ?? [],
      ...(flags.since ? { since: flags.since } : {}),
      ...(flags.until ? { until: flags.until } : {}),
      ...(flags.titleRegex !== undefined ? { titleRegex: flags.titleRegex } : {}),
    });
    const prepared = await inUserWords(
      () => previewTrigger(builder, toTriggerData(flags.data ?? [])),
      triggerSources,
    );
    heedWarnings(flags, prepared.report.warnings, triggerSources);
    if (flags.dryRun && targetsEmbeddedMock(flags) && flags.titleRegex !== undefined) {
      const { mockDefaults } = await import('@d3soar/mock-server');
      prepared.report.embeddedMockLimits = [
        `a search with $regex may take at most ${mockDefaults.searchDeadlineMs} ms (D3 sets its own limits)`,
      ];
    }
    await sendUnlessDryRun(
      flags,
      prepared.report,
      (connection) => trigger(connection, prepared),
      renderTrigger,
    );
  });
}
