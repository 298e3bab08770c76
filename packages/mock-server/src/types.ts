import { operationIds, type OperationId } from '@d3soar/openapi/contract';

/** The three D3 commands the mock serves: the contract's operationIds, as in the URL path. */
export const commandNames = operationIds;

/** One of the commands the mock serves. */
export type CommandName = OperationId;

/** The trigger name D3 gives playbooks that TriggerIncidentExternalAction runs. */
export const externalActionTrigger = 'On Incident External Action';

/** A tactic/technique pair stored on an event, in the shape SetEventTechniques answers with. */
export interface MockTechniquePair {
  /** Stable GUID derived from the ATT&CK tactic ID (upper-case, like D3's). */
  TacticId: string;
  TacticName: string;
  /** Stable GUID derived from the ATT&CK technique ID (upper-case, like D3's). */
  TechniqueId: string;
  /** The technique's D3 name: `Parent: Sub-technique` for sub-techniques. */
  TechniqueName: string;
  /** The ATT&CK IDs behind the GUIDs, so tests can assert on them. */
  AttackTacticId: string;
  AttackTechniqueId: string;
}

/** An event (D3's unit below an incident) that SetEventTechniques can tag. */
export interface MockEvent {
  /** The ID SetEventTechniques' `Event IDs` refer to (unique within its site). */
  EventId: number;
  /** The site the event belongs to; a request for another site does not see it. */
  Site: string;
  EventName: string;
  DataSource: string;
  Severity: string;
  /** ISO 8601 UTC time, e.g. `2023-09-01T00:00:00Z`. */
  CreatedUtcTime: string;
  /** The number of the incident the event was escalated into, if any. */
  IncidentNumber?: string;
  /** The tactic/technique pairs set on the event so far (SetEventTechniques adds to them). */
  Techniques: MockTechniquePair[];
}

/**
 * An incident, with D3's field names (those the vendor's Search Conditions sample uses). Search
 * Conditions are evaluated against this object, so extra fields (e.g. `CustomField3`) work too.
 */
export interface MockIncident {
  /** D3's internal incident ID, answered as `IncidentId`. */
  IncidentId: number;
  /** The incident number (`20230413-123`), unique within its site; answered as `IncidentNo`. */
  Number: string;
  /** The site the incident belongs to; commands only see incidents of the request's site. */
  Site: string;
  Title: string;
  Type: string;
  Severity: string;
  Status: string;
  Stage: string;
  DataSource: string;
  IncidentSource: string;
  Connection: string;
  IngestionType: string;
  Category: string;
  ExternalKey: string;
  Owner: string;
  /** ISO 8601 UTC creation time, e.g. `2023-09-05T10:00:00Z`. */
  CreatedUtcTime: string;
  [customField: `CustomField${number}`]: string | number | undefined;
}

/** A playbook; those with the `On Incident External Action` trigger run on TriggerIncidentExternalAction. */
export interface MockPlaybook {
  PlaybookId: number;
  /** The name TriggerIncidentExternalAction answers in `TriggeredPlaybooks`. */
  PlaybookName: string;
  /** Only incidents of this site start the playbook. */
  Site: string;
  /** Trigger names, e.g. `On Incident External Action`. */
  Triggers: string[];
}

/** An artifact linked to an incident, as SaveArtifactForIncident stored it. */
export interface MockArtifact {
  /** Assigned by the mock, counting from 1. */
  ArtifactId: number;
  Site: string;
  /** The incident the artifact is linked to. */
  IncidentNumber: string;
  /** The request-side type name: a composite type (`ExternalEndpoint`, ...), or a user-defined type. */
  ArtifactType: string;
  /** The type name D3 answers with (`External_Endpoint`, `Email`, ...). */
  ResponseType: string;
  /** The field and value that identify the artifact within its type (upserts match on it). */
  Identity: { field: string; value: string };
  /** The identity value, as answered in `ArtifactName`. */
  ArtifactName: string;
  /** The fields as last saved, with the vendor's casing. */
  Fields: Record<string, unknown>;
  CreatedUtcTime: string;
  UpdatedUtcTime: string;
}

/** One playbook run started by TriggerIncidentExternalAction. */
export interface MockPlaybookRun {
  /** The run's ID, new for every run; answered in `TriggeredPlaybooks`. */
  RuntimeId: number;
  PlaybookId: number;
  PlaybookName: string;
  Site: string;
  /** The request's `Username`. */
  Username: string;
  /** A snapshot of the incident the run was started for. */
  Incident: MockIncident;
  /** The request's `Trigger Data`, as sent. */
  TriggerData: Record<string, unknown>;
  StartedUtcTime: string;
}

/**
 * An artifact in a data set: its site, incident and fields. The type is detected from the fields
 * when `ArtifactType` is absent, as SaveArtifactForIncident does; a {@link MockArtifact} fits too.
 */
export interface SeedArtifact {
  Site: string;
  /** The number of an incident of the same site in the data set. */
  IncidentNumber: string;
  /** As SaveArtifactForIncident's `Artifact Type`: blank or absent to detect it from the fields. */
  ArtifactType?: string | null;
  /** The artifact's fields, as in one element of `Artifact Fields`. */
  Fields: Record<string, unknown>;
}

/** A data set the mock starts from: the default one, one given in options, or a `--seed` file. */
export interface SeedData {
  /** Site names; every item's `Site` must be one of them. */
  sites: string[];
  events: MockEvent[];
  incidents: MockIncident[];
  playbooks: MockPlaybook[];
  /** Artifacts already linked to incidents (optional). */
  artifacts?: SeedArtifact[];
}

/** What the mock holds and what happened to it; tests assert on it. Mutated in place. */
export interface MockState {
  readonly sites: string[];
  readonly events: MockEvent[];
  readonly incidents: MockIncident[];
  readonly playbooks: MockPlaybook[];
  readonly artifacts: MockArtifact[];
  readonly playbookRuns: MockPlaybookRun[];
  /**
   * Requests received per command: every request routed to a command counts, whatever its outcome
   * (auth failure, 429, fault, success).
   */
  readonly requests: Record<CommandName, number>;
  /** Answers sent, by HTTP status (`"200"`, `"429"`, ...), for every request the mock served. */
  readonly statuses: Record<string, number>;
}

/**
 * The HTTP statuses a `status` fault may answer: those the OpenAPI contract documents for every
 * command (a proxy's 502/504 is an `html` fault).
 */
export const faultStatuses = [400, 401, 429, 500, 503] as const;

/** One of {@link faultStatuses}. */
export type FaultStatus = (typeof faultStatuses)[number];

/**
 * A fault the mock can inject in place of a command's normal answer.
 * - `status`: an `{"Error": ...}` answer with that status, one of {@link faultStatuses}. A 429 says
 *   `Retry-After: 1` unless `retryAfterSeconds` gives another wait; other statuses send
 *   `Retry-After` only when `retryAfterSeconds` is set.
 * - `latency`: waits `ms` milliseconds, then answers normally (it combines with other faults).
 * - `drop`: the connection is dropped without an answer (a network error for the caller).
 * - `truncated`: the command runs, then its JSON answer is cut in half (invalid JSON, 200).
 * - `html`: an HTML error page as a proxy sends (status 502 unless `status` is given).
 * - `command-error`: a 200 whose `error` carries `message` (D3's command-level failure).
 */
export type Fault =
  | { type: 'status'; status: FaultStatus; retryAfterSeconds?: number }
  | { type: 'latency'; ms: number }
  | { type: 'drop' }
  | { type: 'truncated' }
  | { type: 'html'; status?: number }
  | { type: 'command-error'; message: string };

/** When an injected fault applies. */
export interface FaultSchedule {
  /** Apply to the next `times` matching calls, then retire the rule ("fail the next 2 calls"). */
  times?: number;
  /** Apply each matching call with this probability (0..1), drawn from the seeded generator. */
  probability?: number;
}

/** A fault rule: which command, which fault, and when. Without a schedule the fault always applies. */
export interface FaultRule extends FaultSchedule {
  /** The command the rule applies to, or `*` for every command. */
  command: CommandName | '*';
  fault: Fault;
}

/** Sites an API key may act on. Without `sites`, every site. */
export interface ApiKeyGrant {
  sites?: string[];
}

/** Options of {@link createMockD3}. */
export interface MockD3Options {
  /**
   * Accepted `d3key` values: a list (each valid for every site) or a map from key to the sites it is
   * bound to. Default: `['mock-api-key']`.
   */
  apiKeys?: string[] | Record<string, ApiKeyGrant>;
  /** Accepted HS256 secrets for `d3jwt` tokens (valid for every site). Default: `['mock-jwt-secret']`. */
  jwtSecrets?: string[];
  /** The data set to start from (deep-copied). Default: {@link defaultSeed}. */
  seed?: SeedData;
  /** Fault rules active from the start. */
  faults?: FaultRule[];
  /**
   * Token-bucket limit, or `false` to turn it off. Default: 50 requests/s for the whole mock, as
   * D3 counts per installation (`scope: 'installation'`); `scope: 'credential'` gives each API key
   * and JWT secret a bucket of its own.
   */
  rateLimit?:
    { requestsPerSecond: number; burst?: number; scope?: 'installation' | 'credential' } | false;
  /** Seed of the generator behind fault probabilities, so runs are reproducible. Default: 1. */
  random?: number;
  /**
   * How long a TriggerIncidentExternalAction search with a `$regex` may take, in milliseconds
   * from the request's arrival (queueing included), before it is answered with a command-level
   * failure naming this limit. Such searches run in worker threads, so a costly pattern never
   * holds up other requests. Default: 1000.
   */
  searchDeadlineMs?: number;
  /** Worker threads for those searches, started on first need. Default: 2. */
  searchWorkers?: number;
}

/** Options of {@link MockD3.listen}. */
export interface ListenOptions {
  /** Port to bind; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind. Default: `127.0.0.1`. */
  host?: string;
  /** Path prefix of the printed base URL. Default: `MainApp/VSOC` (any namespace is served). */
  namespace?: string;
}

/** A running mock D3. */
export interface MockD3 {
  /** Serves a request in-process (web-standard `fetch` signature); pass it to a client. */
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Starts a real HTTP listener; resolves to the base URL, e.g. `http://127.0.0.1:4010/MainApp/VSOC`. */
  listen: (options?: ListenOptions) => Promise<string>;
  /** The mock's data and what happened to it. */
  state: MockState;
  /** Adds a fault rule at run time. */
  inject: (command: CommandName | '*', fault: Fault, schedule?: FaultSchedule) => void;
  /** Removes every fault rule (those from options too). */
  clearFaults: () => void;
  /** Stops the listener (if any), dropping open connections, and the search workers. */
  close: () => Promise<void>;
  /** `close()`, for `await using mock = createMockD3()`. */
  [Symbol.asyncDispose]: () => Promise<void>;
}
