import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Connection } from '../config.js';
import { CliUsageError } from '../errors.js';
import { blocks, subheading, table, truncate } from '../format.js';
import { collectRepeated } from '../parse-flags.js';
import { addCommonOptions, print, withConnection, type CommonFlags } from './shared.js';

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
  saved?: SavedArtifact[];
}

/**
 * Detects what each input is, the way D3 will, so the user sees the types before sending. Bare
 * values become fields with `artifactFromValue`; the whole list is then checked at once with
 * `validateArtifacts` (against `--type` when given), so every bad input is reported together.
 */
export async function previewArtifacts(input: SaveArtifactsInput): Promise<SaveArtifactsReport> {
  // Loaded on demand: the public-suffix data behind domain detection is the largest module the
  // CLI uses, and only this command needs it.
  const { artifactFromValue, classifyValue, validateArtifacts } =
    await import('@d3soar/domain/artifacts');
  const problems: string[] = [];
  const label = (item: ArtifactInput, index: number) =>
    typeof item === 'string' ? `'${item}'` : `artifact ${index + 1}`;
  const fieldSets = input.artifacts.map((item, index) => {
    if (typeof item !== 'string') return item;
    const fields = artifactFromValue(item);
    if (fields === null) {
      problems.push(
        `${label(item, index)}: not a recognisable indicator (expected an IP, hash, domain, host name, URL, e-mail address, file name, user name, ...)`,
      );
    }
    return fields ?? {};
  });
  const validations = validateArtifacts(input.artifactType, fieldSets);
  const artifacts: PreviewedArtifact[] = [];
  validations.forEach((validation, index) => {
    const item = input.artifacts[index] ?? {};
    if (!validation.ok) {
      // A value we could not classify was already reported; its empty stand-in adds nothing.
      if (typeof item !== 'string' || artifactFromValue(item) !== null) {
        problems.push(`${label(item, index)}: ${validation.error.message}`);
      }
      return;
    }
    const classified = typeof item === 'string' ? classifyValue(item) : null;
    artifacts.push({
      input: item,
      ...(classified ? { valueType: { type: classified.type, reason: classified.reason } } : {}),
      detectedType: validation.type,
      identity: { field: validation.identity.field, value: String(validation.identity.value) },
      fields: { ...validation.fields },
    });
  });
  if (problems.length > 0) throw new CliUsageError(problems.join('; '));
  return {
    command: 'SaveArtifactForIncident',
    dryRun: true,
    incidentNumber: input.incidentNumber,
    artifactType: input.artifactType,
    artifacts,
  };
}

/** Sends the previewed artifacts through the client and records D3's Add/Update answer. */
export async function saveArtifacts(
  connection: Connection,
  preview: SaveArtifactsReport,
  input: SaveArtifactsInput,
): Promise<SaveArtifactsReport> {
  const result = await connection.client.saveArtifacts({
    incidentNumber: input.incidentNumber,
    artifacts: input.artifacts,
    ...(input.artifactType ? { artifactType: input.artifactType } : {}),
  });
  const saved = (result.contextData ?? []).map((entry) => ({
    type: entry.ArtifactType,
    name: entry.ArtifactName ?? '',
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
export async function readArtifactsFile(path: string): Promise<ArtifactInput[]> {
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
  addCommonOptions(command).action(async (flags: SaveArtifactsFlags) => {
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
    if (flags.dryRun) {
      print(flags, preview, renderArtifacts);
      return;
    }
    const report = await withConnection(flags, (connection) =>
      saveArtifacts(connection, preview, input),
    );
    print(flags, report, renderArtifacts);
  });
}
