#!/usr/bin/env node
// Builds dist/ with tsc only when a source changed since the last build, so `npm start` starts at
// once on an unchanged checkout. "Changed" means a file under src/ (tests aside), a tsconfig or the
// lockfile is newer than the last successful build; folders count too, so a removed or renamed
// file also triggers a build.
//   node scripts/build-if-changed.mjs [project folder]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const tools = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const root = path.resolve(process.argv[2] ?? tools);
const stamp = path.join(root, 'dist', '.build-stamp');

function newest(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(entry) ? 0 : stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) latest = Math.max(latest, newest(path.join(entry, name)));
  return latest;
}

const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((name) =>
  path.join(root, name),
);
const changed = Math.max(...inputs.map(newest));
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : -1;
if (built > changed) {
  console.log('Sources unchanged since the last build: starting the built server.');
  process.exit(0);
}

console.log('Sources changed since the last build: building (tsc)…');
const started = new Date();
const tsc = spawnSync(
  process.execPath,
  [path.join(tools, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')],
  { cwd: root, stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
// Stamped with the time the build started: a file saved while it ran is built next time.
fs.mkdirSync(path.dirname(stamp), { recursive: true });
fs.writeFileSync(stamp, '');
fs.utimesSync(stamp, started, started);
