import { isPlainObject, parseTimestamp } from '@d3soar/support';
import type { MockArtifact, MockState, SeedData } from './types.js';
import { commandNames, type CommandName } from './types.js';

function fail(path: string, message: string): never {
  throw new TypeError(`seed${path}: ${message}`);
}

function requireArray(value: Record<string, unknown>, key: string, optional = false): unknown[] {
  const list = value[key];
  if (list === undefined && optional) return [];
  if (!Array.isArray(list)) fail(`.${key}`, 'must be an array');
  return list;
}

function requireString(item: Record<string, unknown>, path: string, key: string): string {
  const value = item[key];
  if (typeof value !== 'string' || value === '')
    fail(`${path}.${key}`, 'must be a non-empty string');
  return value;
}

function requireInteger(item: Record<string, unknown>, path: string, key: string): number {
  const value = item[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    fail(`${path}.${key}`, 'must be an integer');
  return value;
}

function requireSite(
  sites: ReadonlySet<string>,
  item: Record<string, unknown>,
  path: string,
): string {
  const site = requireString(item, path, 'Site');
  if (!sites.has(site)) fail(`${path}.Site`, `'${site}' is not listed in seed.sites`);
  return site;
}

/**
 * Checks a data set (from options or a `--seed` file) and returns a deep copy the mock may mutate.
 * Errors name the offending path, e.g. `seed.incidents[3].CreatedUtcTime`.
 */
export function checkSeed(value: unknown): SeedData {
  if (!isPlainObject(value))
    fail('', 'must be an object { sites, events, incidents, playbooks, artifacts? }');
  const sitesList = requireArray(value, 'sites');
  sitesList.forEach((site, i) => {
    if (typeof site !== 'string' || site === '') fail(`.sites[${i}]`, 'must be a non-empty string');
  });
  const sites = new Set(sitesList as string[]);

  const eventIds = new Set<string>();
  requireArray(value, 'events').forEach((event, i) => {
    const path = `.events[${i}]`;
    if (!isPlainObject(event)) fail(path, 'must be an object');
    const id = requireInteger(event, path, 'EventId');
    const site = requireSite(sites, event, path);
    const key = eventKey(site, id);
    if (eventIds.has(key)) fail(`${path}.EventId`, `${id} appears twice in site '${site}'`);
    eventIds.add(key);
    if (event['Techniques'] !== undefined && !Array.isArray(event['Techniques'])) {
      fail(`${path}.Techniques`, 'must be an array when present');
    }
  });

  const numbers = new Set<string>();
  requireArray(value, 'incidents').forEach((incident, i) => {
    const path = `.incidents[${i}]`;
    if (!isPlainObject(incident)) fail(path, 'must be an object');
    requireInteger(incident, path, 'IncidentId');
    const number = requireString(incident, path, 'Number');
    const site = requireSite(sites, incident, path);
    const created = requireString(incident, path, 'CreatedUtcTime');
    // An offset-less time would mean one instant to the matcher (UTC) and, to anyone reading
    // the seed, whatever their zone says: require the offset, so "first by creation time" is
    // unambiguous.
    if (parseTimestamp(created, 'required') === null) {
      fail(
        `${path}.CreatedUtcTime`,
        `incident '${number}' has ${JSON.stringify(created)}; write yyyy-MM-ddTHH:mm:ssZ, or a date and time with an explicit offset such as 2023-09-05T10:30:00+02:00`,
      );
    }
    const key = incidentKey(site, number);
    if (numbers.has(key)) fail(`${path}.Number`, `'${number}' appears twice in site '${site}'`);
    numbers.add(key);
  });

  requireArray(value, 'playbooks').forEach((playbook, i) => {
    const path = `.playbooks[${i}]`;
    if (!isPlainObject(playbook)) fail(path, 'must be an object');
    requireInteger(playbook, path, 'PlaybookId');
    requireString(playbook, path, 'PlaybookName');
    requireSite(sites, playbook, path);
    const triggers = playbook['Triggers'];
    if (!Array.isArray(triggers) || !triggers.every((t) => typeof t === 'string')) {
      fail(`${path}.Triggers`, 'must be an array of trigger names');
    }
  });

  requireArray(value, 'artifacts', true).forEach((artifact, i) => {
    const path = `.artifacts[${i}]`;
    if (!isPlainObject(artifact)) fail(path, 'must be an object');
    const site = requireSite(sites, artifact, path);
    const number = requireString(artifact, path, 'IncidentNumber');
    if (!numbers.has(incidentKey(site, number))) {
      fail(`${path}.IncidentNumber`, `no incident '${number}' in site '${site}'`);
    }
    if (!isPlainObject(artifact['Fields']))
      fail(`${path}.Fields`, 'must be an object of artifact fields');
  });

  const copy = structuredClone(value) as unknown as SeedData;
  // A seed may leave Techniques out; the stored event always has the list.
  for (const event of copy.events) if (!Array.isArray(event.Techniques)) event.Techniques = [];
  return copy;
}

/** Builds the mutable state from a checked seed; seeded artifacts are prepared by the caller. */
export function createState(seed: SeedData, artifacts: MockArtifact[]): MockState {
  const requests = Object.fromEntries(commandNames.map((name) => [name, 0])) as Record<
    CommandName,
    number
  >;
  return {
    sites: [...seed.sites],
    events: seed.events,
    incidents: seed.incidents,
    playbooks: seed.playbooks,
    artifacts,
    playbookRuns: [],
    requests,
    statuses: {},
  };
}

/**
 * A lookup index over one of the state's arrays, rebuilt when the array's length changes. Tests may
 * push seeded items into `state` arrays directly; the index notices on the next lookup.
 */
export function createIndex<T>(
  list: () => readonly T[],
  keyOf: (item: T) => string,
): (key: string) => T | undefined {
  let indexed: readonly T[] | undefined;
  let indexedLength = -1;
  let map = new Map<string, T>();
  const rebuild = (items: readonly T[]): void => {
    map = new Map(items.map((item) => [keyOf(item), item]));
    indexed = items;
    indexedLength = items.length;
  };
  return (key) => {
    const items = list();
    let fresh = false;
    if (items !== indexed || items.length !== indexedLength) {
      rebuild(items);
      fresh = true;
    }
    let found = map.get(key);
    // Items edited in place since indexing (a renumbered incident) are caught by re-indexing once.
    if ((found === undefined || keyOf(found) !== key) && !fresh) {
      rebuild(items);
      found = map.get(key);
    }
    return found;
  };
}

/** Key of an event within its site. */
export function eventKey(site: string, eventId: number): string {
  return `${site}\u0000${eventId}`;
}

/** Key of an incident within its site. */
export function incidentKey(site: string, number: string): string {
  return `${site}\u0000${number}`;
}
