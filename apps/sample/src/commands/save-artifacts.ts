// The `save-artifacts` command: flags, reading the file, preview, sending and rendering of one
// command, kept together (the module is long) so a reader follows the command from its flags to
// its output in one place, as in `tag-events`.
import type {
  D3Warning,
  SaveArtifactsInput as ClientSaveArtifactsInput,
  SaveArtifactsPreview,
} from '@d3soar/client';
import type { Command } from 'commander';
import type { Connection } from '../config.js';
import { CliFailure, CliUsageError, describeError } from '../errors.js';
import { blocks, paragraph, subheading, table, truncate } from '../format.js';
import { readArtifactFile, type ArtifactFile, type ArtifactInput } from '../artifact-file.js';
import {
  describeIssues,
  inUserWords,
  isValidationError,
  withoutFullStop,
  type InputSource,
} from '../input-words.js';
import { collectRepeated } from '../parse-flags.js';
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

/** What `save-artifacts` (and the demo's second section) is asked to do. */
export interface SaveArtifactsInput {
  incidentNumber: string;
  artifacts: ArtifactInput[];
  /** An explicit `Artifact Type`; `null` lets D3 detect each object's type. */
  artifactType: string | null;
}

/** How one input was understood before sending. */
export interface PreviewedArtifact {
  /** The input as given (a bare value, or the field object). */
  input: ArtifactInput;
  /** For a bare value: its single-field type and why (e.g. `External IP`, public address). */
  valueType?: { type: string; reason: string };
  /** The composite type D3 will detect, e.g. `ExternalEndpoint`, or `UserDefined`. */
  detectedType: string;
  /** The field and value that identify the artifact (D3 upserts on it). */
  identity: { field: string; value: string };
  /** The fields sent, with the vendor's casing. */
  fields: Record<string, unknown>;
}

/** What D3 answered for one artifact. */
export interface SavedArtifact {
  type: string;
  name: string;
  updateOrAdd: string;
  status: string;
}

/** The outcome of `save-artifacts`: the preview, and what D3 answered unless it was a dry run. */
export interface SaveArtifactsReport extends DryRunScope {
  command: 'SaveArtifactForIncident';
  dryRun: boolean;
  incidentNumber: string;
  artifactType: string | null;
  artifacts: PreviewedArtifact[];
  /** What D3 may not take as meant (an address outside its field's range, ...): the client's. */
  warnings: D3Warning[];
  /** How many requests the artifacts are (or would be) sent in. */
  batches: number;
  /** What D3 answered, for the artifacts of every successful batch, in input order. */
  saved?: SavedArtifact[];
  /** Batches that failed: their first artifact's index, how many artifacts, and why. */
  failedBatches?: { firstIndex: number; artifacts: number; error: string }[];
  /** Lines of `--file` left out because they could not be read as artifacts (not with --strict). */
  skipped?: { source: string; reason: string }[];
}

/** A `save-artifacts` report and the prepared call behind it. */
export type PreparedArtifacts = Prepared<SaveArtifactsReport, SaveArtifactsPreview>;

/**
 * Detects what each input is with the client's own preview, so the user sees the types (and the
 * fields as they will be sent) before sending; the prepared call is what a real run sends. Bad
 * inputs throw the client's `D3ValidationError`, which lists them all.
 */
export async function previewArtifacts(input: SaveArtifactsInput): Promise<PreparedArtifacts> {
  // Loaded on demand: the client and the public-suffix data behind domain detection are the
  // largest modules the CLI uses.
  const { previewSaveArtifacts } = await import('@d3soar/client');
  const preview = previewSaveArtifacts(toClientInput(input));
  const report: SaveArtifactsReport = {
    command: 'SaveArtifactForIncident',
    dryRun: true,
    incidentNumber: input.incidentNumber,
    artifactType: input.artifactType,
    artifacts: preview.artifacts.map((artifact) => ({
      input: artifact.input,
      ...(artifact.value
        ? { valueType: { type: artifact.value.type, reason: artifact.value.reason } }
        : {}),
      detectedType: artifact.type,
      identity: { field: artifact.identity.field, value: artifact.identity.value },
      fields: { ...artifact.fields },
    })),
    warnings: preview.warnings,
    batches: preview.call.requests.length,
    onlyD3Checks: onlyD3Checks(`that incident ${input.incidentNumber} exists in the user's site`),
  };
  return { report, prepared: preview };
}

/** The client's input for the CLI's; the type name is checked by the client, not here. */
function toClientInput(input: SaveArtifactsInput): ClientSaveArtifactsInput {
  return {
    incidentNumber: input.incidentNumber,
    artifacts: input.artifacts,
    artifactType: input.artifactType,
  };
}

/**
 * Sends exactly the prepared call (its batches included) and records D3's Add/Update answers; a
 * failed batch is reported, not thrown. Each batch D3 confirms advances `progress`.
 */
export async function saveArtifacts(
  connection: Connection,
  { report, prepared }: PreparedArtifacts,
  progress: BatchProgress = noProgress,
): Promise<SaveArtifactsReport> {
  const result = await connection.client.send(prepared, onConfirmed(progress));
  const saved = result.contextData.map((entry) => ({
    type: entry.ArtifactType,
    name: entry.ArtifactName,
    updateOrAdd: entry.UpdateOrAdd,
    status: entry.Status,
  }));
  const failedBatches = result.failedBatches.map((batch) => ({
    firstIndex: batch.firstIndex,
    artifacts: batch.artifacts.length,
    error: describeError(batch.error).message,
  }));
  return {
    ...asSent(report),
    saved,
    ...(failedBatches.length > 0 ? { failedBatches } : {}),
  };
}

/** D3's answer for each artifact by input index; none for the artifacts of a failed batch. */
function answersByIndex(report: SaveArtifactsReport): (SavedArtifact | undefined)[] {
  const answers = new Array<SavedArtifact | undefined>(report.artifacts.length);
  const failed = new Set<number>();
  for (const batch of report.failedBatches ?? []) {
    for (let i = 0; i < batch.artifacts; i++) failed.add(batch.firstIndex + i);
  }
  const saved = report.saved ?? [];
  let next = 0;
  for (let index = 0; index < answers.length && next < saved.length; index++) {
    if (!failed.has(index)) answers[index] = saved[next++];
  }
  return answers;
}

/** How many artifacts were (or would be) saved: `3 of 4` when a batch failed. */
function savedCount(report: SaveArtifactsReport): string {
  const total = report.artifacts.length;
  const saved = report.saved?.length ?? total;
  return saved === total ? String(total) : `${saved} of ${total}`;
}

/** How many artifacts the readable output lists one by one before summarising the rest. */
const LISTED_ARTIFACTS = 20;

/** The readable form: each input's detected type, then D3's Add/Update answer beside it. */
export function renderArtifacts(report: SaveArtifactsReport): string {
  const answers = answersByIndex(report);
  const listed = report.artifacts.slice(0, LISTED_ARTIFACTS);
  const rest = report.artifacts.length - listed.length;
  const rows = listed.map((artifact, index) => {
    const saved = answers[index];
    const input =
      typeof artifact.input === 'string'
        ? artifact.input
        : Object.entries(artifact.input)
            .map(([key, value]) =>
              truncate(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`, 34),
            )
            .join('\n');
    const detected = artifact.valueType
      ? `${artifact.valueType.type}: ${artifact.valueType.reason}\n-> ${artifact.detectedType}`
      : artifact.detectedType;
    const row = [index + 1, input, detected, artifact.identity.field];
    return report.saved ? [...row, saved ? `${saved.updateOrAdd} (${saved.type})` : 'failed'] : row;
  });
  const batches = report.batches > 1 ? ` in ${report.batches} requests` : '';
  const head = ['#', 'Input', 'Detected type', 'Identity field'];
  return blocks(
    subheading(
      `${report.dryRun ? 'Dry run: would save' : 'Saved'} ${savedCount(report)} artifact(s) to incident ${report.incidentNumber}` +
        (report.artifactType ? ` as ${report.artifactType}` : ' (types detected)') +
        batches,
    ),
    (report.saved ? table([...head, 'D3 answered'], rows) : table(head, rows)) +
      (rest > 0 ? `\n… and ${rest} more artifact(s) (use --json for all)` : ''),
    dryRunNote(report),
    ...(report.failedBatches ?? []).map((batch) =>
      paragraph(
        `not saved: artifacts ${batch.firstIndex + 1}-${batch.firstIndex + batch.artifacts}: ${batch.error}`,
      ),
    ),
  );
}

interface SaveArtifactsFlags extends CommonFlags {
  incident: string;
  file?: string;
  value?: string[];
  type?: string;
  dryRun?: boolean;
  strict?: boolean;
}

/** Registers `save-artifacts`. */
export function registerSaveArtifacts(program: Command): void {
  const command = program
    .command('save-artifacts')
    .description('Save artifacts and link them to an incident (SaveArtifactForIncident)')
    .requiredOption('--incident <number>', 'incident number, e.g. 20220114-11')
    .option(
      '--file <path>',
      'artifacts from a file: JSON (field objects and/or indicators), text (one indicator per line) or CSV (a header row of field names)',
    )
    .option(
      '--value <indicator>',
      'a bare indicator (IP, hash, domain, URL, email, ...); repeatable',
      collectRepeated,
    )
    .option('--type <artifactType>', 'explicit Artifact Type (default: D3 detects each type)')
    .option('--dry-run', 'show the detected types and what would be sent, without sending');
  addCommonOptions(addStrictOption(command)).action(async (flags: SaveArtifactsFlags) => {
    const file: ArtifactFile | undefined = flags.file
      ? await readArtifactFile(flags.file)
      : undefined;
    const values = flags.value ?? [];
    const inputs: Sourced[] = [
      ...(file?.artifacts ?? []).map((artifact, i) => ({
        artifact,
        source: file?.sources[i] ?? '--file',
      })),
      ...values.map((value) => ({ artifact: value, source: `--value '${value}'` })),
    ];
    const skipped = [...(file?.unreadable ?? [])];
    if (inputs.length === 0) {
      throw new CliUsageError(
        flags.file
          ? `--file: '${flags.file}' holds no artifacts${skipped.length ? ` it can read (${skipped.map((s) => s.source).join(', ')})` : ''}`
          : 'give --file and/or at least one --value',
      );
    }
    const { prepared, kept } = await prepareReadable(flags, inputs, skipped);
    const artifactCount = prepared.report.artifacts.length;
    if (skipped.length > 0) {
      if (flags.strict) {
        throw new CliUsageError(
          `--strict: nothing sent because of ${skipped.length} unreadable line(s): ${skipped.map((s) => `${s.source}: ${s.reason}`).join('; ')}`,
        );
      }
      prepared.report.skipped = skipped;
      if (flags.json !== true) {
        for (const line of skipped) {
          process.stderr.write(`warning: ${line.source}: ${line.reason}; left out\n`);
        }
      }
    }
    heedWarnings(flags, prepared.report.warnings, (path) => sourceOf(kept, path));
    if (flags.dryRun) {
      print(flags, prepared.report, renderArtifacts);
      return;
    }
    const report = await withConnection(flags, (connection) =>
      withProgress(
        artifactCount,
        { json: flags.json ?? false, label: 'Saving artifacts', unit: 'artifacts' },
        (progress) => saveArtifacts(connection, prepared, progress),
      ),
    );
    print(flags, report, renderArtifacts);
    const failed = report.failedBatches?.reduce((sum, batch) => sum + batch.artifacts, 0);
    if (failed) {
      throw new CliFailure(
        `${failed} of ${artifactCount} artifacts were not saved (see the failed batches above)`,
      );
    }
  });
}

/** An artifact and where the user gave it. */
interface Sourced {
  artifact: ArtifactInput;
  source: string;
}

/** Where the artifact at a client path (`artifacts.3.URL`) came from, in the user's words. */
function sourceOf(inputs: readonly Sourced[], path: string): string | undefined {
  const [head, index, field] = path.split('.');
  if (head === 'incidentNumber') return '--incident';
  if (head === 'artifactType') return '--type';
  const source = head === 'artifacts' ? inputs[Number(index)]?.source : undefined;
  return source && field ? `${source} (${field})` : source;
}

/**
 * The client's preview of the artifacts. Items of `--file` the client cannot read as artifacts
 * (an unknown indicator on a text line, a CSV row that breaks the rules) are left out and added to
 * `skipped`, and the rest previewed again, so one bad line does not stop the others; with
 * `--strict`, or when a problem is not in one such item, nothing is sent.
 */
async function prepareReadable(
  flags: SaveArtifactsFlags,
  inputs: readonly Sourced[],
  skipped: { source: string; reason: string }[],
): Promise<{ prepared: PreparedArtifacts; kept: Sourced[] }> {
  const inputOf = (items: readonly Sourced[]): SaveArtifactsInput => ({
    incidentNumber: flags.incident,
    artifacts: items.map((item) => item.artifact),
    artifactType: flags.type ?? null,
  });
  const words: (items: readonly Sourced[]) => InputSource = (items) => (path) =>
    sourceOf(items, path);
  try {
    return { prepared: await previewArtifacts(inputOf(inputs)), kept: [...inputs] };
  } catch (error) {
    if (!isValidationError(error)) throw error;
    const { issues } = error;
    const fileItems = new Set(
      issues.map((issue) => {
        const [head, index] = issue.path.split('.');
        const item = head === 'artifacts' ? inputs[Number(index)] : undefined;
        return item && !item.source.startsWith('--value') ? Number(index) : -1;
      }),
    );
    if (flags.strict || fileItems.has(-1)) {
      const described = await describeIssues(issues, words(inputs));
      throw new CliUsageError(fileItems.has(-1) ? described : `--strict: ${described}`);
    }
    for (const issue of issues) {
      skipped.push({
        source: sourceOf(inputs, issue.path) ?? issue.path,
        reason: withoutFullStop(issue.message),
      });
    }
    const kept = inputs.filter((_, index) => !fileItems.has(index));
    if (kept.length === 0) {
      throw new CliUsageError(
        `--file: no line of '${flags.file ?? ''}' holds an artifact: ${skipped.map((s) => `${s.source}: ${s.reason}`).join('; ')}`,
      );
    }
    return {
      prepared: await inUserWords(() => previewArtifacts(inputOf(kept)), words(kept)),
      kept,
    };
  }
}
