// Two tests drive real programs from Debian's packages: the API reference test a Chromium, the
// client's shared rate-limit tests a redis-server. A newcomer's machine or a fresh CI machine has
// neither, so the test command installs the missing packages when it can, rather than letting a
// test fail with a missing-binary error deep inside the run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function hasCommand(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const redisServer = process.env.REDIS_SERVER_PATH ?? 'redis-server';
const packages = [
  {
    name: 'chromium',
    neededBy: 'The API reference test',
    present: () => existsSync(chromiumPath),
    where: `at ${chromiumPath} (or set CHROMIUM_PATH)`,
  },
  {
    name: 'redis-server',
    neededBy: "The client's shared rate-limit tests",
    present: () => hasCommand(redisServer),
    where: `on the PATH (or set REDIS_SERVER_PATH)`,
  },
];

const missing = packages.filter((item) => !item.present());
if (missing.length === 0) process.exit(0);

const canInstall = process.getuid?.() === 0 && hasCommand('apt-get');
if (!canInstall) {
  for (const item of missing) {
    console.error(
      `${item.neededBy} needs ${item.name} ${item.where}. Install Debian's package: ` +
        `sudo apt-get install ${item.name}`,
    );
  }
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
const names = missing.map((item) => item.name);
console.log(`The tests need ${names.join(' and ')}; installing Debian's packages.`);
step('apt-get update', ['update', '-q']);
step(`apt-get install ${names.join(' ')}`, ['install', '-y', '-q', ...names]);
for (const item of missing) {
  if (!item.present()) {
    console.error(`apt-get installed ${item.name}, but it is not ${item.where}.`);
    process.exit(1);
  }
}
