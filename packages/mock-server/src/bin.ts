#!/usr/bin/env node
// The `d3soar-mock` command: serves the mock until SIGINT or SIGTERM.
import { parseCli, startFromCli, usage } from './cli.js';

async function main(): Promise<void> {
  let config;
  try {
    config = await parseCli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`d3soar-mock: ${(error as Error).message}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (config === null) {
    process.stdout.write(usage);
    return;
  }
  const { mock, banner } = await startFromCli(config);
  process.stdout.write(`${banner}\n`);
  const stop = (): void => {
    void mock.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`d3soar-mock: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
