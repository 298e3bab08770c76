// The `demo` command: the three commands in turn against the embedded mock, and the report of
// each, kept together (the module is long) so the whole tour reads in one place.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { D3ValidationError } from '@d3soar/client';
import { getAttackCatalog, type AttackCatalog } from '@d3soar/domain/attack';
import { searchConditions } from '@d3soar/domain/query';
import { matchesIncident } from '@d3soar/domain/query/match';
import type { Command } from 'commander';
import {
  connect,
  envNames,
  resolveTarget,
  targetsEmbeddedMock,
  type Connection,
} from '../config.js';
import { checkLayerTarget, layerPairs, writeLayer } from '../navigator-layer.js';
import { blocks, heading, json, keyValueTable, subheading, table, paragraph } from '../format.js';
import type { ArtifactInput } from '../artifact-file.js';
import {
  previewArtifacts,
  renderArtifacts,
  saveArtifacts,
  type SaveArtifactsReport,
} from './save-artifacts.js';
import { previewTagging, renderTagging, tagEvents, type TagEventsReport } from './tag-events.js';
import { previewTrigger, renderTrigger, trigger, type TriggerReport } from './trigger.js';

/** Everything the demo did, in the order it did it; `--json` prints exactly this. */
export interface DemoReport {
  target: {
    kind: 'mock';
    /** How requests reach the mock: through its in-process `fetch`, never over a socket. */
    transport: 'in-process (no network)';
    username: string;
    site: string;
    attack: string;
  };
  tagEvents: TagEventsReport & {
    /**
     * A misspelt technique, refused by the client before sending: the client's issue for it
     * (`path`, `message`) and its suggestions, best first.
     */
    typoRejected: { input: string; path: string; message: string; suggestions: string[] };
  };
  saveArtifacts: {
    first: SaveArtifactsReport;
    /** The same artifacts saved again with a changed reputation: D3 answers Update. */
    second: SaveArtifactsReport;
  };
  trigger: TriggerReport & {
    /** Incidents of the site that match the conditions, oldest first; D3 acts on the first. */
    matchingIncidents: { number: string; title: string; severity: string; created: string }[];
    /** Playbook runs the mock recorded for this trigger, with the Trigger Data they received. */
    recordedRuns: { runtimeId: number; playbook: string; incident: string; triggerData: unknown }[];
  };
}

/**
 * The revoked technique the demo sends: the first one (by ID) whose `revoked-by` chain has more
 * than one hop, else the one with the longest chain. Found by asking the catalog about technique
 * IDs that are not live, so no ATT&CK knowledge is hard-coded here; stopping at the first
 * multi-hop chain keeps the scan short (each miss computes suggestions).
 */
function findRevokedTechnique(catalog: AttackCatalog): string | undefined {
  const live = new Set(catalog.techniques.map((technique) => technique.id));
  let best: { id: string; hops: number } | undefined;
  for (let n = 1000; n < 1700 && (best?.hops ?? 0) < 2; n++) {
    const id = `T${n}`;
    if (live.has(id)) continue;
    try {
      const hops = catalog.technique(id).replaces?.length ?? 0;
      if (hops > (best?.hops ?? 0)) best = { id, hops };
    } catch {
      // Not an ATT&CK ID in this version: skip.
    }
  }
  return best?.id;
}

async function runTagging(
  connection: Connection,
  catalog: AttackCatalog,
  site: string,
  layerFile: string,
) {
  const mock = connection.mock;
  const eventIds = (mock?.state.events ?? [])
    .filter((event) => event.Site === site)
    .slice(0, 3)
    .map((event) => event.EventId);
  const revoked = findRevokedTechnique(catalog);
  const input = {
    eventIds,
    // A name, an ID and a shortname: three ways people write tactics.
    tactics: ['Initial Access', 'TA0002', 'persistence'],
    techniques: [
      'Valid Accounts: Cloud Accounts', // D3's "Parent: Sub" name
      'T1569', // an ID
      'traffic signaling: port knocking', // any case
      'PowerShell', // a bare sub-technique name that is unique
      ...(revoked ? [revoked] : []), // a revoked ID from an old detection
      'T1046', // Network Service Discovery: in no requested tactic, so unpaired
    ],
    as: 'name' as const,
  };
  const prepared = await previewTagging(input, catalog);
  const tagged = await tagEvents(connection, prepared);
  const report = {
    ...tagged,
    navigatorLayer: await writeLayer(
      layerFile,
      layerPairs(prepared.prepared, tagged.events),
      'd3soar-sample demo: what D3 stored on the tagged events (score: events)',
    ),
  };
  const typo = 'Powershel';
  try {
    await connection.client.setEventTechniques({ eventIds, techniques: [typo] });
  } catch (error) {
    // By name, not `instanceof`: a static import of the client would slow every command's start.
    if (!(error instanceof Error && error.name === 'D3ValidationError')) throw error;
    const issue = (error as Error & Pick<D3ValidationError, 'issues'>).issues[0];
    if (issue) {
      const { path, message, suggestions = [] } = issue;
      return { ...report, typoRejected: { input: typo, path, message, suggestions } };
    }
  }
  throw new Error(`the client accepted the misspelt technique '${typo}'`);
}

/** Field objects of several types and bare indicators, some defanged, as analysts paste them. */
function demoArtifacts(reputation: string): ArtifactInput[] {
  return [
    {
      FileName: 'invoice_2023.pdf.exe',
      FilePath: 'C:\\Users\\j.doe\\Downloads\\invoice_2023.pdf.exe',
      SHA256: '3f7c2b9e5d1a8c4f6e0b2d7a9c1e3f5b7d9a2c4e6f8b0d1a3c5e7f9b2d4a6c8e',
      Reputation: reputation,
    },
    { Internal_HostName: 'FIN-WS-042', Internal_IPAddress: '10.20.30.42' },
    { UserName: 'j.doe' },
    '66.249.64.167',
    '44d88612fea8a8f36de82e1278abb02f',
    'login-micros0ft[.]com',
    'billing@login-micros0ft.com',
    'hxxps://login-micros0ft[.]com/owa/auth.php',
  ];
}

async function runArtifacts(connection: Connection, site: string) {
  const incidents = connection.mock?.state.incidents ?? [];
  const incident =
    incidents.find((candidate) => candidate.Number === '20220114-11' && candidate.Site === site) ??
    incidents.find((candidate) => candidate.Site === site);
  const incidentNumber = incident?.Number ?? '20220114-11';
  const save = async (reputation: string) => {
    const input = { incidentNumber, artifacts: demoArtifacts(reputation), artifactType: null };
    return saveArtifacts(connection, await previewArtifacts(input));
  };
  const first = await save('Medium');
  const second = await save('High');
  return { first, second };
}

async function runTrigger(connection: Connection, site: string) {
  // The vendor's own example search, in the vendor's documented forms only ($in, $gt/$lt with a
  // $date, $regex): severe incidents of early September 2023 whose title starts "Incident Title".
  const builder = searchConditions()
    .where('Severity')
    .in(['Critical', 'High'])
    .where('CreatedUtcTime')
    .after('2023-09-01T00:00:00Z')
    .where('CreatedUtcTime')
    .before('2023-09-21T00:00:00Z')
    .where('Title')
    .matches(/^Incident Title/);
  const triggerData = {
    Reason: 'Confirmed C2 traffic: isolate the host',
    RequestedBy: 'd3soar-sample demo',
    Ticket: 'SOC-4711',
  };
  const mock = connection.mock;
  const matching = (mock?.state.incidents ?? [])
    .filter((incident) => incident.Site === site && matchesIncident(builder, incident))
    .sort((a, b) => Date.parse(a.CreatedUtcTime) - Date.parse(b.CreatedUtcTime))
    .map((incident) => ({
      number: incident.Number,
      title: incident.Title,
      severity: incident.Severity,
      created: incident.CreatedUtcTime,
    }));
  const runsBefore = mock?.state.playbookRuns.length ?? 0;
  const report = await trigger(connection, await previewTrigger(builder, triggerData));
  const recordedRuns = (mock?.state.playbookRuns ?? []).slice(runsBefore).map((run) => ({
    runtimeId: run.RuntimeId,
    playbook: run.PlaybookName,
    incident: run.Incident.Number,
    triggerData: run.TriggerData,
  }));
  return { ...report, matchingIncidents: matching, recordedRuns };
}

/** Runs the whole scenario against the embedded mock and returns what happened. */
async function runDemo(options: DemoFlags): Promise<DemoReport> {
  const connection = await connect(resolveTarget({}, {}), {
    verbose: options.verbose ?? false,
  });
  try {
    const catalog = getAttackCatalog('enterprise');
    const { site, username } = connection.describe;
    const tagging = await runTagging(connection, catalog, site, options.navigatorLayer);
    const artifacts = await runArtifacts(connection, site);
    const triggered = await runTrigger(connection, site);
    return {
      target: {
        kind: 'mock',
        transport: 'in-process (no network)',
        username,
        site,
        attack: `ATT&CK ${catalog.domain} v${catalog.version}`,
      },
      tagEvents: tagging,
      saveArtifacts: artifacts,
      trigger: triggered,
    };
  } finally {
    await connection.close();
  }
}

/** The readable form of the demo: a header, then one section per command. */
function renderDemo(report: DemoReport): string {
  const { first, second } = report.saveArtifacts;
  const comparison = table(
    ['#', 'Detected type', 'Identity', '1st save', '2nd save'],
    first.artifacts.map((artifact, index) => [
      index + 1,
      artifact.detectedType,
      artifact.identity.value,
      first.saved?.[index]?.updateOrAdd,
      second.saved?.[index]?.updateOrAdd,
    ]),
  );
  const trig = report.trigger;
  return blocks(
    heading('d3soar sample: the three D3 commands, end to end'),
    keyValueTable([
      ['Target', 'embedded mock D3, in-process (no network)'],
      ['Base URL', `none: ${report.target.transport}`],
      ['Username / site', `${report.target.username} / ${report.target.site}`],
      ['ATT&CK data', report.target.attack],
    ]),
    heading('1. Tag events with tactics and techniques (SetEventTechniques)'),
    renderTagging(report.tagEvents),
    paragraph(
      `Caught before sending (${report.tagEvents.typoRejected.path}): ${report.tagEvents.typoRejected.message}`,
    ),
    heading('2. Save artifacts to an incident (SaveArtifactForIncident)'),
    renderArtifacts(first),
    subheading('Saved again (reputation changed): D3 updates what it already has'),
    comparison,
    heading(
      '3. Trigger the external action on a searched incident (TriggerIncidentExternalAction)',
    ),
    subheading('Incidents matching the search, oldest first (D3 acts on the first only)'),
    table(
      ['Number', 'Severity', 'Created (UTC)', 'Title'],
      trig.matchingIncidents.map((incident) => [
        incident.number,
        incident.severity,
        incident.created,
        incident.title,
      ]),
    ),
    renderTrigger(trig),
    subheading('Playbook runs recorded by the mock, with the Trigger Data they received'),
    table(
      ['Runtime ID', 'Playbook', 'Incident', 'Trigger Data'],
      trig.recordedRuns.map((run) => [
        run.runtimeId,
        run.playbook,
        run.incident,
        json(run.triggerData),
      ]),
    ),
  );
}

interface DemoFlags {
  json?: boolean;
  verbose?: boolean;
  navigatorLayer: string;
}

/** Registers `demo`. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Run a realistic scenario of all three commands against the embedded mock D3')
    .option('--json', 'print one JSON document on stdout instead of tables')
    .option('--verbose', "print the client's debug and info lines on stderr")
    .option(
      '--navigator-layer <file>',
      'where to write the ATT&CK Navigator layer of what was tagged',
      join(tmpdir(), 'd3soar-demo-navigator-layer.json'),
    )
    .action(async (flags: DemoFlags) => {
      if (!targetsEmbeddedMock({})) {
        // The demo changes data and runs playbooks: it must never do that to a real installation.
        process.stderr.write(
          `note: the demo always runs against the embedded mock; ${envNames.baseUrl} is ignored\n`,
        );
      }
      await checkLayerTarget(flags.navigatorLayer);
      const report = await runDemo(flags);
      process.stdout.write(`${flags.json ? json(report) : renderDemo(report)}\n`);
    });
}
