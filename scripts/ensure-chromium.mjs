// The API reference test drives a real Chromium. A newcomer's machine or a fresh CI machine
// has none, so the test command installs Debian's package when it can, rather than letting the
// browser test fail with a missing-binary error deep inside the run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function hasCommand(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (existsSync(chromiumPath)) process.exit(0);

const canInstall = process.getuid?.() === 0 && hasCommand('apt-get');
if (!canInstall) {
  console.error(
    `The API reference test needs Chromium at ${chromiumPath}. Install Debian's package ` +
      `(sudo apt-get install chromium) or point CHROMIUM_PATH at a Chromium binary.`,
  );
  process.exit(1);
}

// A step per line with its duration, and apt's own progress in between: the install takes
// minutes on a fresh machine, and a silent one looks hung.
const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
function step(label, args) {
  console.log(`${label}…`);
  const start = Date.now();
  execFileSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: aptEnv });
  console.log(`${label}: done in ${Math.round((Date.now() - start) / 1000)} s`);
}
console.log("The API reference test needs Chromium; installing Debian's package.");
step('apt-get update', ['update', '-q']);
step('apt-get install chromium', ['install', '-y', '-q', 'chromium']);
if (!existsSync(chromiumPath)) {
  console.error(`apt-get installed chromium, but ${chromiumPath} is still missing.`);
  process.exit(1);
}
