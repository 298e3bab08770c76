import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createMockD3, mockDefaults } from './create-mock.js';
import { parseFaultRules } from './faults.js';
import { checkSeed } from './state.js';
import type { MockD3, MockD3Options } from './types.js';

/** Usage text of `d3soar-mock`. */
export const usage = `Usage: d3soar-mock [options]

Serves a mock D3 SOAR Command API (SetEventTechniques, SaveArtifactForIncident,
TriggerIncidentExternalAction) until stopped with Ctrl+C (SIGINT) or SIGTERM.

Options:
  --port <n>          Port to listen on (default 4010; 0 picks a free port)
  --host <address>    Interface to bind (default 127.0.0.1)
  --namespace <path>  Namespace of the printed base URL (default MainApp/VSOC; any is served)
  --seed <file>       JSON data set { sites, events, incidents, playbooks, artifacts? }
  --faults <file>     JSON array of fault rules [{ command, fault, times?, probability? }]
  --api-key <key>     Accepted d3key (default mock-api-key)
  --jwt-secret <s>    Accepted d3jwt HS256 secret (default mock-jwt-secret)
  --rate-limit <n>    Requests per second (default 50; 0 turns it off)
  --rate-limit-scope <installation|credential>
                      What one budget covers: the whole mock, as D3 counts (default), or each key
  --random <n>        Seed of fault probabilities (default 1)
  --search-deadline-ms <n>
                      Limit of a TriggerIncidentExternalAction search with a $regex (default 1000)
  -h, --help          Show this help
`;

/** A parsed command line: what to serve, and where. */
export interface CliConfig {
  port: number;
  host: string;
  namespace: string;
  options: MockD3Options;
  apiKey: string;
  jwtSecret: string;
}

function integer(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(`--${name} must be an integer >= ${min}, got "${text}"`);
  }
  return value;
}

/** A TCP port: Node's own message for one out of range names its internals, not the flag. */
function port(text: string | undefined): number {
  const value = integer('port', text, 4010, 0);
  if (value > 65_535)
    throw new TypeError(`--port must be a port number from 0 to 65535, got "${text}"`);
  return value;
}

function scope(text: string | undefined): 'installation' | 'credential' {
  if (text === undefined || text === 'installation' || text === 'credential') {
    return text ?? 'installation';
  }
  throw new TypeError(`--rate-limit-scope must be installation or credential, got "${text}"`);
}

async function readJson(flag: string, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new TypeError(`--${flag} ${file}: cannot read the file (${(error as Error).message})`, {
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new TypeError(`--${flag} ${file}: not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/** Parses `d3soar-mock`'s arguments, reading `--seed` and `--faults` files; `null` asks for help. */
export async function parseCli(argv: readonly string[]): Promise<CliConfig | null> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      namespace: { type: 'string' },
      seed: { type: 'string' },
      faults: { type: 'string' },
      'api-key': { type: 'string' },
      'jwt-secret': { type: 'string' },
      'rate-limit': { type: 'string' },
      'rate-limit-scope': { type: 'string' },
      random: { type: 'string' },
      'search-deadline-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return null;
  const apiKey = values['api-key'] ?? mockDefaults.apiKey;
  const jwtSecret = values['jwt-secret'] ?? mockDefaults.jwtSecret;
  const rate = integer('rate-limit', values['rate-limit'], mockDefaults.requestsPerSecond, 0);
  const options: MockD3Options = {
    apiKeys: [apiKey],
    jwtSecrets: [jwtSecret],
    rateLimit:
      rate === 0 ? false : { requestsPerSecond: rate, scope: scope(values['rate-limit-scope']) },
    random: integer('random', values.random, mockDefaults.random, 0),
    searchDeadlineMs: integer('search-deadline-ms', values['search-deadline-ms'], 1000, 1),
  };
  if (values.seed !== undefined) {
    options.seed = checkSeed(await readJson('seed', values.seed));
  }
  if (values.faults !== undefined) {
    options.faults = parseFaultRules(await readJson('faults', values.faults), values.faults);
  }
  return {
    port: port(values.port),
    host: values.host ?? mockDefaults.host,
    namespace: values.namespace ?? mockDefaults.namespace,
    options,
    apiKey,
    jwtSecret,
  };
}

/** Starts the mock a command line describes and returns it with the lines to print. */
export async function startFromCli(config: CliConfig): Promise<{ mock: MockD3; banner: string }> {
  const mock = createMockD3(config.options);
  const baseUrl = await mock.listen({
    port: config.port,
    host: config.host,
    namespace: config.namespace,
  });
  const banner = [
    `D3 SOAR mock listening on ${baseUrl}`,
    `  Commands:   POST ${baseUrl}/api/Command/{SetEventTechniques|SaveArtifactForIncident|TriggerIncidentExternalAction}`,
    `  API key:    ${config.apiKey}  (header d3key)`,
    `  JWT secret: ${config.jwtSecret}  (HS256, header d3jwt, claim Username)`,
    `  Sites:      ${mock.state.sites.join(', ')}`,
    'Stop with Ctrl+C.',
  ].join('\n');
  return { mock, banner };
}
