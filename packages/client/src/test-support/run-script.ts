import { execFile } from 'node:child_process';
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
