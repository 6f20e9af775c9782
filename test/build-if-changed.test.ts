import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

// `npm start` runs this before the server: it builds only when a source changed since the last build.
const script = path.resolve(import.meta.dirname, '../scripts/build-if-changed.mjs');
const project = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-build-'));
after(() => fs.rmSync(project, { recursive: true, force: true }));

function prestart() {
  const run = spawnSync(process.execPath, [script, project], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr + run.stdout);
  return run.stdout;
}

function age(file: string, secondsAgo: number) {
  const then = new Date(Date.now() - secondsAgo * 1000);
  fs.utimesSync(file, then, then);
}

test('prestart builds the first time, skips an unchanged checkout, and builds again after a change', () => {
  fs.mkdirSync(path.join(project, 'src'));
  fs.writeFileSync(path.join(project, 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }');
  fs.writeFileSync(
    path.join(project, 'tsconfig.build.json'),
    '{ "extends": "./tsconfig.json", "compilerOptions": { "rootDir": "src", "outDir": "dist" }, "include": ["src"] }',
  );
  const main = path.join(project, 'src', 'main.ts');
  fs.writeFileSync(main, 'export const version: number = 1;\n');
  for (const file of [main, path.join(project, 'src'), path.join(project, 'tsconfig.json')]) age(file, 60);

  assert.match(prestart(), /building/);
  const built = path.join(project, 'dist', 'main.js');
  assert.match(fs.readFileSync(built, 'utf8'), /version = 1/);

  assert.match(prestart(), /unchanged/, 'nothing changed: no build');

  // A test file is not part of the server.
  fs.writeFileSync(path.join(project, 'src', 'main.test.ts'), 'export {};\n');
  age(path.join(project, 'src'), 60);
  assert.match(prestart(), /unchanged/);

  fs.writeFileSync(main, 'export const version: number = 2;\n');
  assert.match(prestart(), /building/);
  assert.match(fs.readFileSync(built, 'utf8'), /version = 2/);
  assert.match(prestart(), /unchanged/);

  // A new file changes its folder, which counts as a change too.
  fs.writeFileSync(path.join(project, 'src', 'extra.ts'), 'export const extra = true;\n');
  age(path.join(project, 'src', 'extra.ts'), 600);
  assert.match(prestart(), /building/);
});

test('a failed build leaves no stamp, so the next start tries again', () => {
  fs.writeFileSync(path.join(project, 'src', 'broken.ts'), 'export const broken: number = "no";\n');
  const failed = spawnSync(process.execPath, [script, project], { encoding: 'utf8', timeout: 60_000 });
  assert.notEqual(failed.status, 0);
  fs.rmSync(path.join(project, 'src', 'broken.ts'));
  assert.match(prestart(), /building/);
});
