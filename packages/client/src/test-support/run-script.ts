import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs an ES module `script` in a new Node process in the package folder (TypeScript sources
 * import as `./src/...ts`), and resolves with its exit code and stdout. A process still running
 * after `killAfterMs` is killed (its code is then `null`): how the exit tests see a process that
 * something holds open.
 */
export function runScript(
  script: string,
  env: Record<string, string> = {},
  killAfterMs = 30_000,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx/esm', '--input-type=module', '-e', script],
      { cwd: packageDir, env: { ...process.env, ...env } },
      (error, stdout) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout }),
    );
    setTimeout(() => child.kill(), killAfterMs).unref();
  });
}

/**
 * A script that makes `calls` SetEventTechniques calls with a client over a `fetch` answering at
 * once, then prints `done` and has nothing left to do. `imports` and `options` (source text)
 * add to the script's imports and to the client's options.
 */
export function idleClientScript({
  imports = '',
  options,
  calls,
  after = '',
}: {
  imports?: string;
  options: string;
  calls: number;
  after?: string;
}): string {
  return `
import { createD3Client } from './src/client.ts';
${imports}
const client = createD3Client({
  baseUrl: 'https://d3.example/VSOC',
  username: 'Admin',
  site: 'S',
  auth: { apiKey: 'exit-test-key' },
  ${options},
  fetch: async (request) => {
    await request.text();
    return Response.json({ error: '', returnData: 'Successful', contextData: [] });
  },
});
for (let i = 0; i < ${calls}; i++) await client.setEventTechniques({ eventIds: [1], techniques: ['T1569'] });
${after}
console.log('done');
`;
}

/** What one process of `budget-worker.ts` printed. */
export interface BudgetWorkerReport {
  /** Calls by outcome: `ok`, or the error's name and status. */
  outcomes: Record<string, number>;
  warnings: string[];
  infos: string[];
  /** Wall-clock times of its first call and of its last answer. */
  startedAt: number;
  endedAt: number;
}

/**
 * Runs `count` budget worker processes at once with `env`; resolves with what each printed.
 * `root` is the package folder: the benchmark passes its own, since bundling it moves this
 * module's `import.meta.url` to the bundle's.
 */
export function runBudgetWorkers(
  count: number,
  env: Record<string, string>,
  root = packageDir,
): Promise<BudgetWorkerReport[]> {
  const worker = join(root, 'src/test-support/budget-worker.ts');
  const one = () =>
    new Promise<BudgetWorkerReport>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx/esm', worker],
        { cwd: root, env: { ...process.env, ...env } },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`budget worker failed: ${stderr}`));
          else resolve(JSON.parse(stdout) as BudgetWorkerReport);
        },
      );
    });
  return Promise.all(Array.from({ length: count }, one));
}

/** Milliseconds from the first worker's first call to the last worker's last answer. */
export const workersSpanMs = (reports: readonly BudgetWorkerReport[]): number =>
  Math.max(...reports.map((r) => r.endedAt)) - Math.min(...reports.map((r) => r.startedAt));
