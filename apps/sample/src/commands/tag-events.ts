// The `tag-events` command: flags, preview, sending and rendering of one command, kept together
// (the module is long) so a reader follows the command from its flags to its output in one place.
import type { D3Warning, SetEventTechniquesPreview } from '@d3soar/client';
import type { AttackCatalog } from '@d3soar/domain/attack';
import { Option, type Command } from 'commander';
import type { Connection } from '../config.js';
import { CliFailure, CliUsageError, describeError } from '../errors.js';
import { blocks, paragraph, subheading, table } from '../format.js';
import { collectEventIds, collectRepeated } from '../parse-flags.js';
import { flagSources, inUserWords } from '../input-words.js';
import { checkLayerTarget, layerPairs, writeLayer, type WrittenLayer } from '../navigator-layer.js';
import { noProgress, onConfirmed, withProgress, type BatchProgress } from '../progress.js';
import {
  asSent,
  addCommonOptions,
  addStrictOption,
  dryRunNote,
  onlyD3Checks,
  type DryRunScope,
  type Prepared,
  heedWarnings,
  print,
  withConnection,
  type CommonFlags,
} from './shared.js';

/** How tactics and techniques are sent: ATT&CK IDs, or the names D3 shows. */
export type SendAs = 'id' | 'name';

/** What `tag-events` (and the demo's first section) is asked to do. */
export interface TagEventsInput {
  eventIds: number[];
  tactics: string[];
  techniques: string[];
  as: SendAs;
}

/** How one tactic input resolved. */
export interface ResolvedTactic {
  input: string;
  id: string;
  name: string;
}

/** How one technique input resolved; `replaces` lists the revoked IDs followed to reach it. */
export interface ResolvedTechnique {
  input: string;
  id: string;
  d3Name: string;
  tactics: string[];
  replaces: { id: string; name: string }[];
  deprecated: boolean;
}

/** The tactic/technique pairs stored on one event, as D3 answered. */
export interface EventTagging {
  eventId: number;
  pairs: { tactic: string; technique: string }[];
}

/** The outcome of `tag-events`: the preview, and what D3 answered unless it was a dry run. */
export interface TagEventsReport extends DryRunScope {
  command: 'SetEventTechniques';
  dryRun: boolean;
  eventIds: number[];
  as: SendAs;
  resolved: { tactics: ResolvedTactic[]; techniques: ResolvedTechnique[] };
  /** The `Tactics` and `Techniques` values the request carries. */
  send: { tactics: string[]; techniques: string[] };
  /** The pairs D3 stores on each event: each technique under each requested tactic it belongs to. */
  pairs: { tacticId: string; tactic: string; techniqueId: string; technique: string }[];
  /** Techniques that fit none of the requested tactics: D3 stores nothing for them. */
  unpaired: { id: string; d3Name: string; tactics: string[] }[];
  /** What D3 may not do as asked (unpaired, deprecated or revoked techniques): the client's. */
  warnings: D3Warning[];
  /** D3's answer per event (absent in a dry run). */
  events?: EventTagging[];
  /** Batches the client could not deliver, with their event IDs (partial success). */
  failedBatches?: { eventIds: number[]; error: string }[];
  /** How many requests the event IDs are (or would be) sent in. */
  batches: number;
  /** The ATT&CK Navigator layer written for `--navigator-layer`. */
  navigatorLayer?: WrittenLayer;
}

/** A `tag-events` report and the prepared call behind it. */
export type PreparedTagging = Prepared<TagEventsReport, SetEventTechniquesPreview>;

/**
 * Resolves every tactic and technique input with the client's own preview, so the user sees what
 * each one became before anything is sent, resolved exactly as the call will resolve it. Bad
 * inputs throw the client's `D3ValidationError`, which lists them all with suggestions.
 */
export async function previewTagging(
  input: TagEventsInput,
  attackCatalog?: AttackCatalog,
): Promise<PreparedTagging> {
  // Loaded on demand, like the client in `connect`: it is the bulk of the CLI's start-up time.
  const { previewSetEventTechniques } = await import('@d3soar/client');
  const preview = previewSetEventTechniques(input, { attackCatalog });
  return { report: toReport(input, preview), prepared: preview };
}

function toReport(input: TagEventsInput, preview: SetEventTechniquesPreview): TagEventsReport {
  const unpaired = preview.unpaired.map((technique) => ({
    id: technique.id,
    d3Name: technique.d3Name,
    tactics: technique.tactics.map((tactic) => tactic.name),
  }));
  return {
    command: 'SetEventTechniques',
    dryRun: true,
    eventIds: [...preview.params['Event IDs']],
    as: input.as,
    resolved: {
      tactics: preview.resolved.tactics.map(({ input, tactic }) => ({
        input,
        id: tactic.id,
        name: tactic.name,
      })),
      techniques: preview.resolved.techniques.map(({ input, technique }) => ({
        input,
        id: technique.id,
        d3Name: technique.d3Name,
        tactics: technique.tactics.map((tactic) => tactic.name),
        replaces: (technique.replaces ?? []).map(({ id, name }) => ({ id, name })),
        deprecated: technique.deprecated,
      })),
    },
    send: {
      tactics: [...(preview.params.Tactics ?? [])],
      techniques: [...(preview.params.Techniques ?? [])],
    },
    pairs: preview.pairs.map(({ tactic, technique }) => ({
      tacticId: tactic.id,
      tactic: tactic.name,
      techniqueId: technique.id,
      technique: technique.d3Name,
    })),
    unpaired,
    warnings: preview.warnings,
    batches: preview.call.requests.length,
    onlyD3Checks: onlyD3Checks("that the events exist in the user's site"),
  };
}

/**
 * Sends exactly the prepared call (its batches included); a partial batch failure is reported,
 * not thrown. Each batch D3 confirms advances `progress` by its events.
 */
export async function tagEvents(
  connection: Connection,
  { report: preview, prepared }: PreparedTagging,
  progress: BatchProgress = noProgress,
): Promise<TagEventsReport> {
  const result = await connection.client.send(prepared, onConfirmed(progress));
  const events: EventTagging[] = result.contextData.map((entry) => ({
    eventId: entry.EventId,
    pairs: entry.techniques.map((pair) => ({
      tactic: pair.TacticName,
      technique: pair.TechniqueName,
    })),
  }));
  const failedBatches = result.failedBatches.map((batch) => ({
    eventIds: [...batch.eventIds],
    error: describeError(batch.error).message,
  }));
  return {
    ...asSent(preview),
    events,
    ...(failedBatches.length > 0 ? { failedBatches } : {}),
  };
}

/** How many events the readable output lists one by one before summarising the rest. */
const LISTED_EVENTS = 12;

/** The readable form of a tagging report: resolution, pairing, then D3's answer. */
export function renderTagging(report: TagEventsReport): string {
  const resolution = table(
    ['Input', 'Kind', 'Resolved to', 'Note'],
    [
      ...report.resolved.tactics.map((t) => [t.input, 'tactic', `${t.id} ${t.name}`, '']),
      ...report.resolved.techniques.map((t) => [
        t.input,
        'technique',
        `${t.id} ${t.d3Name}`,
        [
          t.replaces.length > 0
            ? `revoked: ${[...t.replaces.map((r) => r.id), t.id].join(' -> ')}`
            : '',
          t.deprecated ? 'deprecated' : '',
        ]
          .filter(Boolean)
          .join('; '),
      ]),
    ],
  );
  const pairs = table(
    ['Tactic', 'Technique'],
    report.pairs.map((pair) => [
      `${pair.tacticId} ${pair.tactic}`,
      `${pair.techniqueId} ${pair.technique}`,
    ]),
  );
  const sent = table(
    ['Parameter', `${report.dryRun ? 'Would send' : 'Sent'} (as ${report.as})`],
    [
      ['Event IDs', summariseIds(report.eventIds)],
      ['Tactics', report.send.tactics.join('\n')],
      ['Techniques', report.send.techniques.join('\n')],
    ],
  );
  let answer: string | undefined;
  if (report.events) {
    // Every event normally gets the same pairs, so compare each with the pairing above instead
    // of repeating it; `--json` has every pair of every event.
    const expected = pairKeys(
      report.pairs.map((pair) => ({ tactic: pair.tactic, technique: pair.technique })),
    );
    const listed = report.events.slice(0, LISTED_EVENTS);
    const rest = report.events.length - listed.length;
    answer = blocks(
      subheading(`D3 answered: ${report.events.length} event(s) tagged`),
      table(
        ['Event', 'Pairs stored', 'As predicted above'],
        listed.map((event) => [
          event.eventId,
          event.pairs.length,
          pairKeys(event.pairs) === expected ? 'yes' : 'no: see --json',
        ]),
      ) + (rest > 0 ? `\n… and ${rest} more event(s) (use --json for all)` : ''),
    );
  }
  const failed = report.failedBatches?.length
    ? blocks(
        subheading(`Failed batches: ${report.failedBatches.length}`),
        table(
          ['Event IDs', 'Error'],
          report.failedBatches.map((batch) => [summariseIds(batch.eventIds), batch.error]),
        ),
      )
    : undefined;
  return blocks(
    subheading('How each input resolved'),
    resolution,
    subheading('Pairs D3 stores on each event'),
    report.pairs.length > 0 ? pairs : '(none: no technique fits a requested tactic)',
    subheading(report.dryRun ? 'Dry run: would send' : 'Sent'),
    sent,
    answer,
    failed,
    dryRunNote(report),
    report.navigatorLayer &&
      paragraph(
        `ATT&CK Navigator layer (${report.navigatorLayer.techniques} technique cells, scored by events): ${report.navigatorLayer.file}`,
      ),
  );
}

function pairKeys(pairs: readonly { tactic: string; technique: string }[]): string {
  return pairs
    .map((pair) => `${pair.tactic}\u0000${pair.technique}`)
    .sort()
    .join('\n');
}

function summariseIds(ids: readonly number[]): string {
  if (ids.length <= 6) return ids.join(', ');
  return `${ids.slice(0, 3).join(', ')}, … ${ids.slice(-2).join(', ')} (${ids.length} events)`;
}

interface TagEventsFlags extends CommonFlags {
  event: number[];
  tactic?: string[];
  technique?: string[];
  as: SendAs;
  dryRun?: boolean;
  strict?: boolean;
  navigatorLayer?: string;
}

/** Registers `tag-events`. */
export function registerTagEvents(program: Command): void {
  const command = program
    .command('tag-events')
    .description('Set ATT&CK tactics and techniques on events (SetEventTechniques)')
    .requiredOption(
      '--event <ids>',
      'event ID; repeatable, or a comma list, or a range 60250-60260',
      collectEventIds,
    )
    .option(
      '--tactic <tactic>',
      'tactic as ID, name or shortname (TA0001, "Initial Access"); repeatable',
      collectRepeated,
    )
    .option(
      '--technique <technique>',
      'technique as ID, name or "Parent: Sub" name (T1078.004, "Valid Accounts: Cloud Accounts"); repeatable',
      collectRepeated,
    )
    .addOption(
      new Option('--as <form>', 'send IDs or D3 names').choices(['id', 'name']).default('name'),
    )
    .option('--dry-run', 'show how the inputs resolve and what would be sent, without sending')
    .option(
      '--navigator-layer <file>',
      'also write what was tagged as an ATT&CK Navigator layer (JSON) to this file',
    );
  addCommonOptions(addStrictOption(command)).action(async (flags: TagEventsFlags) => {
    const input: TagEventsInput = {
      eventIds: flags.event,
      tactics: flags.tactic ?? [],
      techniques: flags.technique ?? [],
      as: flags.as,
    };
    if (input.tactics.length === 0 && input.techniques.length === 0) {
      throw new CliUsageError('give at least one --tactic or --technique');
    }
    // Resolve first: bad input fails before any connection is opened.
    const sources = flagSources(
      { eventIds: '--event', tactics: '--tactic', techniques: '--technique', as: '--as' },
      { tactics: input.tactics, techniques: input.techniques },
    );
    const prepared = await inUserWords(() => previewTagging(input), sources);
    heedWarnings(flags, prepared.report.warnings, sources);
    const layerFile = flags.navigatorLayer;
    if (layerFile !== undefined) await checkLayerTarget(layerFile);
    const sent = flags.dryRun
      ? prepared.report
      : await withConnection(flags, (connection) =>
          withProgress(
            input.eventIds.length,
            { json: flags.json ?? false, label: 'Tagging events', unit: 'events' },
            (progress) => tagEvents(connection, prepared, progress),
          ),
        );
    const report =
      layerFile === undefined
        ? sent
        : {
            ...sent,
            navigatorLayer: await writeLayer(
              layerFile,
              layerPairs(prepared.prepared, sent.events),
              sent.dryRun
                ? 'Dry run: what tag-events would store (score: events)'
                : 'What D3 stored on the tagged events (score: events)',
            ),
          };
    print(flags, report, renderTagging);
    const failed = report.failedBatches?.reduce((sum, batch) => sum + batch.eventIds.length, 0);
    if (failed) {
      throw new CliFailure(
        `${failed} of ${input.eventIds.length} events were not tagged (see the failed batches above)`,
      );
    }
  });
}
