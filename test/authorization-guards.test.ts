import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

// Source checks for ADR 0032: every policy function is proven by a matrix test or used, and routes
// and views never decide by roles or memberships themselves (they receive abilities from policies).

const root = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}

const all = sourceFiles('src');
const isTest = (f: string) => /\.test\.tsx?$/.test(f);
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const policyFiles = all.filter((f) => path.basename(f) === 'policy.ts');
/** Matrix tests: the policy tests, which write out every role × action cell. */
const matrixTests = all.filter((f) => path.basename(f) === 'policy.test.ts').map(read);
const code = all.filter((f) => !isTest(f));

/** The names a policy file exports as functions (or constants, such as the route policies). */
function exportedNames(source: string): string[] {
  return [...source.matchAll(/^export (?:async )?(?:function|const) (\w+)/gm)].map((m) => m[1]!);
}

test('the policy files are found', () => {
  assert.ok(policyFiles.length >= 5, policyFiles.join(' '));
});

test('every exported policy function is in a matrix test or called from the application', () => {
  const unproven: string[] = [];
  for (const file of policyFiles) {
    for (const name of exportedNames(read(file))) {
      const word = new RegExp(`\\b${name}\\b`);
      const inMatrix = matrixTests.some((t) => word.test(t));
      const called = code.some((f) => f !== file && new RegExp(`\\b${name}\\s*[(.]`).test(read(f)));
      if (!inMatrix && !called) unproven.push(`${file}: ${name}`);
    }
  }
  assert.deepEqual(unproven, [], 'policy functions neither in a matrix test nor called');
});

/** Routes and views: HTML pages, API handlers and the shared layout. */
const presentation = code.filter(
  (f) => /(^|[\\/])([\w-]+-)?(routes|views)\.tsx?$/.test(f) || f.startsWith(path.join('src', 'views') + path.sep),
);

/** What deciding by role looks like in source: compare a role, look at a membership. */
const roleChecks: RegExp[] = [
  /\brole\s*[!=]==/,
  /[!=]==\s*[\w.?]*\brole\b/,
  /[!=]==\s*'(owner|moderator|admin)'/,
  /'(owner|moderator|admin)'\s*[!=]==/,
  /\bmembership\s*[!=]==/,
  /\.membership\b/,
  /\.role\s*(&&|\|\||\?[^.])/,
];

test('the guard recognises role checks', () => {
  for (const line of [
    "if (viewer.membership !== 'owner') throw notFound();",
    "const admin = actor.role === 'admin';",
    '{viewer.membership && <Leave />}',
    'const mine = request.membership?.role;',
    "if (role !== 'member' && role !== 'moderator') fail();",
    "{m.role === 'moderator' ? demote : promote}",
    'selected={user.role === role}',
  ])
    assert.ok(
      roleChecks.some((r) => r.test(line)),
      line,
    );
  for (const line of ['t(groupRoleLabel(m.role))', 'abilities.moderate && <Nav />'])
    assert.ok(!roleChecks.some((r) => r.test(line)), line);
});

test('no route or view compares roles or reads memberships: they receive abilities from policies', () => {
  const found: string[] = [];
  for (const file of presentation) {
    read(file)
      .split('\n')
      .forEach((line, i) => {
        if (roleChecks.some((r) => r.test(line))) found.push(`${file}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(found, []);
});
