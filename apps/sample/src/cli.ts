import { createProgram } from './program.js';
import { describeError } from './errors.js';

/**
 * The entry point (`bin/d3soar-sample.js` imports this module). Every failure ends here as one
 * line on stderr and an exit code; no stack trace reaches the user.
 */
async function main(argv: string[]): Promise<number> {
  try {
    await createProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    const report = describeError(error);
    if (report.message !== '') process.stderr.write(`error: ${report.message}\n`);
    return report.exitCode;
  }
}

process.exitCode = await main(process.argv);
