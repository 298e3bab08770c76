import { isPlainObject } from '@d3soar/support';
import { createRandom } from './random.js';
import {
  commandNames,
  faultStatuses,
  type CommandName,
  type Fault,
  type FaultRule,
  type FaultStatus,
} from './types.js';

/** The faults that fire for one call: every firing latency, and at most one fault that answers. */
export interface SelectedFaults {
  latencyMs: number;
  /** The first firing fault that replaces or spoils the answer, if any. */
  answer: Exclude<Fault, { type: 'latency' }> | undefined;
}

interface ActiveRule {
  command: CommandName | '*';
  fault: Fault;
  remaining: number;
  probability: number;
}

/** Fault rules in the order they were added; each call draws from one seeded generator. */
export interface FaultBook {
  add(rule: FaultRule): void;
  clear(): void;
  select(command: CommandName): SelectedFaults;
}

export function createFaultBook(randomSeed: number, initial: readonly FaultRule[] = []): FaultBook {
  const random = createRandom(randomSeed);
  let rules: ActiveRule[] = [];

  function add(rule: FaultRule): void {
    const checked = checkFaultRule(rule, 'fault rule');
    rules.push({
      command: checked.command,
      fault: checked.fault,
      remaining: checked.times ?? Number.POSITIVE_INFINITY,
      probability: checked.probability ?? 1,
    });
  }
  initial.forEach((rule, index) => add(checkFaultRule(rule, `faults[${index}]`)));

  return {
    add,
    clear() {
      rules = [];
    },
    select(command) {
      const selected: SelectedFaults = { latencyMs: 0, answer: undefined };
      for (const rule of rules) {
        if (rule.command !== '*' && rule.command !== command) continue;
        const isLatency = rule.fault.type === 'latency';
        if (!isLatency && selected.answer !== undefined) continue;
        // Draw only for probabilistic rules, so scripted sequences do not shift the random stream.
        if (rule.probability < 1 && random() >= rule.probability) continue;
        rule.remaining -= 1;
        if (rule.fault.type === 'latency') selected.latencyMs += rule.fault.ms;
        else selected.answer = rule.fault;
      }
      rules = rules.filter((rule) => rule.remaining > 0);
      return selected;
    },
  };
}

function fail(where: string, message: string): never {
  throw new TypeError(`${where}: ${message}`);
}

/** Checks a fault (from options, a `--faults` file or `inject`); the error names the bad field. */
export function checkFault(value: unknown, where: string): Fault {
  if (!isPlainObject(value)) fail(where, 'a fault must be an object with a "type"');
  const nonNegative = (field: string): number => {
    const n = value[field];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
      fail(`${where}.${field}`, `must be a non-negative number, got ${JSON.stringify(n)}`);
    }
    return n;
  };
  const httpStatus = (field: string): number => {
    const n = value[field];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 200 || n > 599) {
      fail(`${where}.${field}`, `must be an HTTP status 200..599, got ${JSON.stringify(n)}`);
    }
    return n;
  };
  const faultStatus = (): FaultStatus => {
    const n = value['status'];
    if (!faultStatuses.includes(n as FaultStatus)) {
      fail(
        `${where}.status`,
        `must be one of the statuses the contract documents, ${faultStatuses.join(', ')}; got ${JSON.stringify(n)} (a proxy's 502 or 504 is an html fault)`,
      );
    }
    return n as FaultStatus;
  };
  switch (value['type']) {
    case 'status': {
      const status = faultStatus();
      if (value['retryAfterSeconds'] === undefined) return { type: 'status', status };
      return { type: 'status', status, retryAfterSeconds: nonNegative('retryAfterSeconds') };
    }
    case 'latency':
      return { type: 'latency', ms: nonNegative('ms') };
    case 'drop':
      return { type: 'drop' };
    case 'truncated':
      return { type: 'truncated' };
    case 'html':
      return value['status'] === undefined
        ? { type: 'html' }
        : { type: 'html', status: httpStatus('status') };
    case 'command-error': {
      const message = value['message'];
      if (typeof message !== 'string' || message === '') {
        fail(`${where}.message`, 'a command-error fault needs a non-empty message');
      }
      return { type: 'command-error', message };
    }
    default:
      return fail(
        `${where}.type`,
        `must be one of status, latency, drop, truncated, html, command-error; got ${JSON.stringify(value['type'])}`,
      );
  }
}

/** Checks a fault rule; the error names the bad field. */
export function checkFaultRule(value: unknown, where: string): FaultRule {
  if (!isPlainObject(value))
    fail(where, 'a fault rule must be an object { command, fault, times?, probability? }');
  const command = value['command'];
  if (command !== '*' && !commandNames.includes(command as CommandName)) {
    fail(
      `${where}.command`,
      `must be "*" or one of ${commandNames.join(', ')}; got ${JSON.stringify(command)}`,
    );
  }
  const rule: FaultRule = {
    command: command as CommandName | '*',
    fault: checkFault(value['fault'], `${where}.fault`),
  };
  const times = value['times'];
  if (times !== undefined) {
    if (typeof times !== 'number' || !Number.isInteger(times) || times < 1) {
      fail(`${where}.times`, `must be a positive integer, got ${JSON.stringify(times)}`);
    }
    rule.times = times;
  }
  const probability = value['probability'];
  if (probability !== undefined) {
    if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
      fail(
        `${where}.probability`,
        `must be a number from 0 to 1, got ${JSON.stringify(probability)}`,
      );
    }
    rule.probability = probability;
  }
  return rule;
}

/** Parses a `--faults` file's JSON: an array of fault rules. */
export function parseFaultRules(json: unknown, where = 'faults'): FaultRule[] {
  if (!Array.isArray(json)) fail(where, 'must be an array of fault rules');
  return json.map((rule, index) => checkFaultRule(rule, `${where}[${index}]`));
}
