import { deepFreeze, isoSeconds } from '@d3soar/support';
import {
  externalActionTrigger,
  type MockEvent,
  type MockIncident,
  type SeedData,
} from './types.js';

/** The sites of the default data set; the first is the one the vendor's samples use. */
export const defaultSites = ['Security Operations', 'Managed Detection'] as const;

const severities = ['Critical', 'High', 'Medium', 'Low', 'Informational'] as const;
const statuses = ['Open', 'In Progress', 'On Hold', 'Closed'] as const;
const stages = ['Detection', 'Investigation', 'Containment', 'Eradication', 'Recovery'] as const;
const ingestionTypes = [
  'Schedule Job',
  'Webhook',
  'Automation Rule',
  'Manual Creation',
  'Manual Escalation',
  'Command',
  'File',
  'Unknown',
] as const;

/** Incident types with the data source, connection, category and title each usually comes with. */
const incidentKinds = [
  {
    Type: 'Suspicious Network Activity',
    DataSource: 'QRadar Offense',
    Connection: 'QRadar Connection',
    Category: 'Network',
    titles: ['Beaconing to a rare external host', 'Port scan from an internal host'],
  },
  {
    Type: 'Phishing',
    DataSource: 'Phishing Mailbox',
    Connection: 'Office 365 Mailbox',
    Category: 'Email',
    titles: ['Credential harvesting email reported', 'Malicious attachment delivered'],
  },
  {
    Type: 'Malware',
    DataSource: 'CrowdStrike Detection',
    Connection: 'CrowdStrike Falcon',
    Category: 'Endpoint',
    titles: ['Ransomware behaviour blocked', 'PowerShell download cradle executed'],
  },
  {
    Type: 'Unauthorized Access',
    DataSource: 'Microsoft Sentinel Incident',
    Connection: 'Sentinel Workspace',
    Category: 'Identity',
    titles: ['Impossible travel sign-in', 'Cloud account used from TOR exit node'],
  },
  {
    Type: 'Data Exfiltration',
    DataSource: 'Splunk Notable Event',
    Connection: 'Splunk Enterprise',
    Category: 'Cloud',
    titles: ['Large upload to personal cloud storage', 'DNS tunnelling suspected'],
  },
] as const;

const owners = ['Admin', 'analyst.kim', 'analyst.osei', 'analyst.garcia'] as const;

function pick<T>(list: readonly T[], index: number): T {
  return list[index % list.length] as T;
}

function yyyymmdd(iso: string): string {
  return iso.slice(0, 10).replaceAll('-', '');
}

/** 24 incidents over two sites, covering every severity, status, type and data source. */
function buildIncidents(): MockIncident[] {
  const start = Date.UTC(2023, 0, 9, 9, 15, 0);
  const incidents: MockIncident[] = [];
  for (let i = 0; i < 22; i += 1) {
    const kind = pick(incidentKinds, i);
    const site = pick(defaultSites, i % 3 === 2 ? 1 : 0);
    // Spread creation times over about eighteen months, at uneven hours.
    const created = isoSeconds(start + i * 24.7 * 86_400_000 + ((i * 7919) % 86_400) * 1000);
    const id = 200 + i;
    incidents.push({
      IncidentId: id,
      Number: `${yyyymmdd(created)}-${id}`,
      Site: site,
      Title: `${pick(kind.titles, Math.floor(i / 5))} (${site === defaultSites[0] ? 'SOC' : 'MDR'}-${id})`,
      Type: kind.Type,
      Severity: pick(severities, i),
      Status: pick(statuses, (i * 3 + Math.floor(i / 4)) % 4),
      Stage: pick(stages, i * 2),
      DataSource: kind.DataSource,
      IncidentSource: i % 2 === 0 ? 'SIEM' : 'EDR',
      Connection: kind.Connection,
      IngestionType: pick(ingestionTypes, i),
      Category: kind.Category,
      ExternalKey: `EXT-${(i * 4241 + 1000) % 9973}`,
      Owner: pick(owners, i),
      CreatedUtcTime: created,
      CustomField1: i % 4 === 0 ? 'VIP' : 'Standard',
    });
  }
  // The incidents the vendor's samples name, so the samples work against the default data.
  incidents.push({
    IncidentId: 11,
    Number: '20220114-11',
    Site: defaultSites[0],
    Title: 'Incident Title: suspicious PowerShell on D3Example',
    Type: 'Malware',
    Severity: 'High',
    Status: 'In Progress',
    Stage: 'Investigation',
    DataSource: 'CrowdStrike Detection',
    IncidentSource: 'EDR',
    Connection: 'CrowdStrike Falcon',
    IngestionType: 'Webhook',
    Category: 'Endpoint',
    ExternalKey: 'EXT-20220114-11',
    Owner: 'Admin',
    CreatedUtcTime: '2022-01-14T16:02:11Z',
    CustomField1: 'Standard',
  });
  incidents.push({
    IncidentId: 123,
    Number: '20230413-123',
    Site: defaultSites[0],
    Title: 'Incident Title: outbound traffic to known C2 infrastructure',
    Type: 'Suspicious Network Activity',
    Severity: 'Critical',
    Status: 'Open',
    Stage: 'Sample Stage',
    DataSource: 'QRadar Offense',
    IncidentSource: 'Sample Incident Source',
    Connection: 'QRadar Connection',
    IngestionType: 'Webhook',
    Category: 'Incident Category',
    ExternalKey: 'Sample External Key',
    Owner: 'Admin',
    CreatedUtcTime: '2023-09-05T08:30:00Z',
    CustomField1: 'Sample Custom Field 1',
    CustomField2: 'Sample Custom Field 2',
  });
  return incidents;
}

const eventNames = [
  'Outbound connection to rare domain',
  'Multiple failed logons',
  'Encoded PowerShell command line',
  'New service installed',
  'Email with macro attachment',
  'Sign-in from unfamiliar location',
  'Large outbound transfer',
  'Scheduled task created',
] as const;

/** 60 events: 40 in the first site (IDs from 60250, as in the vendor's sample), 20 in the second. */
function buildEvents(incidents: readonly MockIncident[]): MockEvent[] {
  const events: MockEvent[] = [];
  const start = Date.UTC(2023, 8, 1, 0, 0, 0);
  for (let i = 0; i < 60; i += 1) {
    const firstSite = i < 40;
    const site = firstSite ? defaultSites[0] : defaultSites[1];
    const siteIncidents = incidents.filter((incident) => incident.Site === site);
    const event: MockEvent = {
      EventId: firstSite ? 60250 + i : 71000 + (i - 40),
      Site: site,
      EventName: pick(eventNames, i),
      DataSource: pick(incidentKinds, i).DataSource,
      Severity: pick(severities, i * 3),
      CreatedUtcTime: isoSeconds(start + i * 3_637_000),
      Techniques: [],
    };
    // Two events in three were escalated into an incident of their site.
    if (i % 3 !== 2) event.IncidentNumber = pick(siteIncidents, i).Number;
    events.push(event);
  }
  return events;
}

function buildSeed(): SeedData {
  const incidents = buildIncidents();
  return {
    sites: [...defaultSites],
    incidents,
    events: buildEvents(incidents),
    playbooks: [
      {
        PlaybookId: 501,
        PlaybookName: 'Trigger External Action Playbook',
        Site: defaultSites[0],
        Triggers: [externalActionTrigger],
      },
      {
        PlaybookId: 502,
        PlaybookName: 'Enrich Incident Indicators',
        Site: defaultSites[0],
        Triggers: ['On Incident Creation'],
      },
      {
        PlaybookId: 503,
        PlaybookName: 'Phishing Triage',
        Site: defaultSites[0],
        Triggers: ['On Incident Creation'],
      },
      {
        PlaybookId: 601,
        PlaybookName: 'Notify Customer on External Action',
        Site: defaultSites[1],
        Triggers: [externalActionTrigger],
      },
      {
        PlaybookId: 602,
        PlaybookName: 'Close False Positives',
        Site: defaultSites[1],
        Triggers: ['On Incident Creation'],
      },
    ],
    // Artifacts already on the vendor sample's incident, so the vendor's SaveArtifactForIncident
    // sample answers `Update` where the vendor's response does.
    artifacts: [
      {
        Site: defaultSites[0],
        IncidentNumber: '20220114-11',
        Fields: { UserName: 'Administrator' },
      },
      {
        Site: defaultSites[0],
        IncidentNumber: '20220114-11',
        Fields: {
          FileName: 'playbookfile.exe',
          FilePath: 'C:\\Windows\\System32\\playbookfile.exe',
          SHA256: '2afa7715181f03b6fe5acd7c82b8e818303a5de567af1a83d8c283010af2db44',
          MD5: 'b0778a411c26f7b9b9ef5db8ed99566e',
          SHA1: '62678242ac69a2fb5cfa6a2cc3256fd8229fd7f4',
          Reputation: 'Medium',
        },
      },
      {
        Site: defaultSites[0],
        IncidentNumber: '20220114-11',
        Fields: {
          External_HostName: 'D3Admin',
          External_HostFQDN: 'D3Admin.example.ca',
          External_IPAddress: '0:0:1:0:0:aaaa:cd9:d0a',
          Reputation: 'High',
        },
      },
      {
        Site: defaultSites[0],
        IncidentNumber: '20220114-11',
        Fields: { EmailAddress: 'admin@example.com' },
      },
    ],
  };
}

/**
 * The default data set: two sites, 60 events, 24 incidents across every severity, status, type and
 * data source, exactly one playbook with the `On Incident External Action` trigger in each site
 * (so each trigger starts one run, as in the vendor's sample), others without it, and the
 * artifacts the vendor's SaveArtifactForIncident sample updates. Deterministic; each mock works on
 * its own deep copy.
 */
export const defaultSeed: Readonly<SeedData> = deepFreeze(buildSeed());
