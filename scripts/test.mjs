#!/usr/bin/env node
// Runs every test: type check, unit and HTTP tests on SQLite, the HTTP tests again on PostgreSQL,
// then the browser tests in Chromium. Outside CI a missing PostgreSQL or Chromium is reported
// loudly as skipped; with CI=true it fails the run.
//   node scripts/test.mjs [--only=lint,typecheck,sqlite,postgres,browser]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const ci = process.env.CI === 'true' || process.env.CI === '1';
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice(7).split(',')) : null;
const wanted = (stage) => !only || only.has(stage);
const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (/\.test\.tsx?$/.test(entry.name)) out.push(path.relative(root, full));
  }
  return out.sort();
}

const sourceTests = walk(path.join(root, 'src')).concat(
  walk(path.join(root, 'test')).filter((f) => !f.startsWith('test/browser/')),
);
const httpTests = sourceTests.filter((f) => /\.http\.test\.tsx?$/.test(f));
const browserTests = fs.existsSync(path.join(root, 'test/browser')) ? walk(path.join(root, 'test/browser')) : [];

/**
 * Runs one stage's test files in a child process. Stages that may overlap (SQLite and PostgreSQL:
 * one waits mostly on its own file, the other on the database server) run at the same time, each
 * line of their report prefixed with the stage's tag so the two read apart.
 */
function runNodeTests(label, tag, files, env = {}) {
  if (files.length === 0) return Promise.resolve();
  console.log(`\n=== ${label}: ${files.length} file(s) ===`);
  const tap = path.join(os.tmpdir(), `sanad-tap-${process.pid}-${label.replace(/\W+/g, '-')}.txt`);
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  const prefix = (stream, out) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) out.write(`[${tag}] ${line}\n`);
    });
    stream.on('end', () => rest && out.write(`[${tag}] ${rest}\n`));
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  return new Promise((resolve) => {
    child.on('close', (status) => {
      const summary = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
      const count = (name) => Number((new RegExp(`^# ${name} (\\d+)`, 'm').exec(summary) ?? [])[1] ?? 0);
      totals.passed += count('pass');
      totals.failed += count('fail') + count('cancelled');
      totals.skipped += count('skipped') + count('todo');
      fs.rmSync(tap, { force: true });
      console.log(
        `\n=== ${label}: ${status === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s ===`,
      );
      if (status !== 0) problems.push(`${label} failed`);
      resolve();
    });
  });
}

function missing(what, why) {
  const message = `${what} is not available (${why})`;
  if (ci) {
    problems.push(`${message}: required in CI`);
    console.error(`\n✖ ${message}. CI requires it.`);
  } else {
    console.warn(
      `\n${'!'.repeat(72)}\n!! SKIPPED: ${message}.\n!! These tests did not run. CI will fail without it.\n${'!'.repeat(72)}`,
    );
  }
}

if (wanted('lint')) {
  console.log('=== format and lint (Biome) ===');
  const biome = spawnSync(process.execPath, [path.join(root, 'node_modules/@biomejs/biome/bin/biome'), 'check', '.'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (biome.status !== 0) problems.push('format or lint check failed (npm run format fixes formatting)');
}

if (wanted('typecheck')) {
  console.log('=== typecheck ===');
  const tsc = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'],
    { cwd: root, stdio: 'inherit' },
  );
  if (tsc.status !== 0) problems.push('typecheck failed');
}

const overlapping = [];
if (wanted('sqlite'))
  overlapping.push(runNodeTests('unit and HTTP tests on SQLite', 'sqlite', sourceTests, { SANAD_TEST_DB: 'sqlite' }));

if (wanted('postgres')) {
  const url = process.env.SANAD_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  let reachable = false;
  try {
    await client.connect();
    await client.query('select 1');
    reachable = true;
  } catch (error) {
    missing('PostgreSQL', `${error.message}`);
  } finally {
    await client.end().catch(() => {});
  }
  if (reachable)
    overlapping.push(
      runNodeTests('HTTP tests on PostgreSQL', 'postgres', httpTests, {
        SANAD_TEST_DB: 'postgres',
        SANAD_TEST_PG_URL: url,
      }),
    );
}
await Promise.all(overlapping);

if (wanted('browser')) {
  const chromium =
    process.env.CHROMIUM_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
  // The HTML checker (vnu) among them runs on Java.
  const java = process.env.JAVA_PATH || 'java';
  const javaFound = spawnSync(java, ['-version'], { stdio: 'ignore' }).status === 0;
  if (!chromium) missing('Chromium', 'install the Debian package "chromium" or set CHROMIUM_PATH');
  else if (!javaFound) missing('Java', 'install the Debian package "default-jre-headless" or set JAVA_PATH');
  else
    await runNodeTests('browser tests in Chromium', 'browser', browserTests, {
      SANAD_TEST_DB: 'sqlite',
      CHROMIUM_PATH: chromium,
      JAVA_PATH: java,
    });
}

console.log(`\n${problems.length ? 'FAILED' : 'OK'}: ${problems.join('; ') || 'all stages passed'}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(problems.length ? 1 : 0);
