import { readFile } from 'node:fs/promises';
import type { D3Warning, SaveArtifactsInput as ClientSaveArtifactsInput } from '@d3soar/client';
import type { Command } from 'commander';
import type { Connection } from '../config.js';
import { CliUsageError } from '../errors.js';
import { blocks, subheading, table, truncate } from '../format.js';
import { collectRepeated } from '../parse-flags.js';
import {
  addCommonOptions,
  addStrictOption,
  heedWarnings,
  sendUnlessDryRun,
  type CommonFlags,
} from './shared.js';

/** One artifact as given: a field object, or a bare indicator value. */
export type ArtifactInput = Record<string, unknown> | string;

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
export interface SaveArtifactsReport {
  command: 'SaveArtifactForIncident';
  dryRun: boolean;
  incidentNumber: string;
  artifactType: string | null;
  artifacts: PreviewedArtifact[];
  /** What D3 may not take as meant (an address outside its field's range, ...): the client's. */
  warnings: D3Warning[];
  saved?: SavedArtifact[];
}

/**
 * Detects what each input is with the client's own preview, so the user sees the types (and the
 * fields as they will be sent) before sending. Bad inputs throw the client's `D3ValidationError`,
 * which lists them all.
 */
export async function previewArtifacts(input: SaveArtifactsInput): Promise<SaveArtifactsReport> {
  // Loaded on demand: the client and the public-suffix data behind domain detection are the
  // largest modules the CLI uses.
  const { previewSaveArtifacts } = await import('@d3soar/client');
  const preview = previewSaveArtifacts(toClientInput(input));
  return {
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
  };
}

/** The client's input for the CLI's; the type name is checked by the client, not here. */
function toClientInput(input: SaveArtifactsInput): ClientSaveArtifactsInput {
  return {
    incidentNumber: input.incidentNumber,
    artifacts: input.artifacts,
    artifactType: input.artifactType,
  };
}

/** Sends the previewed artifacts through the client and records D3's Add/Update answer. */
export async function saveArtifacts(
  connection: Connection,
  preview: SaveArtifactsReport,
  input: SaveArtifactsInput,
): Promise<SaveArtifactsReport> {
  const result = await connection.client.saveArtifacts(toClientInput(input));
  const saved = result.contextData.map((entry) => ({
    type: entry.ArtifactType,
    name: entry.ArtifactName,
    updateOrAdd: entry.UpdateOrAdd,
    status: entry.Status,
  }));
  return { ...preview, dryRun: false, saved };
}

/** The readable form: each input's detected type, then D3's Add/Update answer beside it. */
export function renderArtifacts(report: SaveArtifactsReport): string {
  const rows = report.artifacts.map((artifact, index) => {
    const saved = report.saved?.[index];
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
    return report.saved ? [...row, saved ? `${saved.updateOrAdd} (${saved.type})` : ''] : row;
  });
  const head = ['#', 'Input', 'Detected type', 'Identity field'];
  const widths = [4, 38, 36, 20];
  return blocks(
    subheading(
      `${report.dryRun ? 'Dry run: would save' : 'Saved'} ${report.artifacts.length} artifact(s) to incident ${report.incidentNumber}` +
        (report.artifactType ? ` as ${report.artifactType}` : ' (types detected)'),
    ),
    report.saved
      ? table([...head, 'D3 answered'], rows, [...widths, 26])
      : table(head, rows, widths),
  );
}

/** Reads `--file`: a JSON array of field objects and/or bare values, or a single field object. */
async function readArtifactsFile(path: string): Promise<ArtifactInput[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliUsageError(`--file: cannot read '${path}'${code ? ` (${code})` : ''}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`--file: '${path}' is not valid JSON (${(error as Error).message})`);
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  items.forEach((item, index) => {
    const isObject = typeof item === 'object' && item !== null && !Array.isArray(item);
    if (!isObject && typeof item !== 'string') {
      throw new CliUsageError(
        `--file: item ${index + 1} of '${path}' must be an object of artifact fields or an indicator string`,
      );
    }
  });
  return items as ArtifactInput[];
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
      'JSON file: an array of artifact field objects and/or indicator strings',
    )
    .option(
      '--value <indicator>',
      'a bare indicator (IP, hash, domain, URL, email, ...); repeatable',
      collectRepeated,
    )
    .option('--type <artifactType>', 'explicit Artifact Type (default: D3 detects each type)')
    .option('--dry-run', 'show the detected types and what would be sent, without sending');
  addCommonOptions(addStrictOption(command)).action(async (flags: SaveArtifactsFlags) => {
    const artifacts = [
      ...(flags.file ? await readArtifactsFile(flags.file) : []),
      ...(flags.value ?? []),
    ];
    if (artifacts.length === 0) throw new CliUsageError('give --file and/or at least one --value');
    const input: SaveArtifactsInput = {
      incidentNumber: flags.incident,
      artifacts,
      artifactType: flags.type ?? null,
    };
    const preview = await previewArtifacts(input);
    heedWarnings(flags, preview.warnings);
    await sendUnlessDryRun(
      flags,
      preview,
      (connection) => saveArtifacts(connection, preview, input),
      renderArtifacts,
    );
  });
}
