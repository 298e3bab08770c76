import { createRequire } from 'node:module';
import { Command, Help } from 'commander';
import { registerDemo } from './commands/demo.js';
import { registerSaveArtifacts } from './commands/save-artifacts.js';
import { registerTagEvents } from './commands/tag-events.js';
import { registerTrigger } from './commands/trigger.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const defaultHelp = new Help();

/**
 * The `d3soar-sample` program. Commander's own errors (unknown flag, missing required flag) are
 * printed by commander as one line and thrown instead of exiting, so `cli.ts` sets the exit code
 * in one place.
 */
export function createProgram(): Command {
  const program = new Command('d3soar-sample')
    .description(
      'Sample CLI for the D3 SOAR Command API: tag events with ATT&CK, save artifacts, trigger external actions.\n' +
        'Without D3_BASE_URL every command runs against an embedded mock D3.',
    )
    .version(version)
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureHelp({
      // Required flags say so in `--help` (commander only says so once one is missing).
      optionDescription: (option) => {
        const description = defaultHelp.optionDescription(option);
        return option.mandatory ? `(required) ${description}` : description;
      },
    })
    .configureOutput({
      // Commander puts its "(Did you mean ...?)" on a second line; errors stay one line.
      outputError: (message, write) => write(`${message.trimEnd().replace(/\s*\n\s*/g, ' ')}\n`),
    });
  // Each registers through `program.command()`, which copies exitOverride and output settings.
  for (const register of [
    registerDemo,
    registerTagEvents,
    registerSaveArtifacts,
    registerTrigger,
  ]) {
    register(program);
  }
  return program;
}
