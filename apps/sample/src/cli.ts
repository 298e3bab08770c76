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

/**
 * A reader that stops reading (`d3soar-sample ... | head -1`) closes the pipe: that is its choice,
 * not a failure, so the program ends quietly with 0. Any other write error is one line and 1.
 */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    process.stderr.write(`error: cannot write the output (${error.code ?? error.message})\n`);
    process.exit(1);
  });
}

endQuietlyOnClosedPipe(process.stdout);
process.exitCode = await main(process.argv);
