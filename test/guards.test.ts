import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.(tsx?|js|css)$/.test(entry.name) ? [relative] : [];
  });
}

const files = sourceFiles('src').filter((f) => !/\.test\.tsx?$/.test(f));
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

test('raw HTML is written nowhere but the one audited sanitiser', () => {
  const allowed = path.join('src', 'security', 'sanitize-html.ts');
  for (const file of files) {
    if (file === allowed) continue;
    assert.doesNotMatch(read(file), /dangerouslySetInnerHTML|\.innerHTML|\.outerHTML|insertAdjacentHTML/, file);
  }
});

test('no page refers to another host', () => {
  for (const file of files.filter(
    (f) => f.startsWith(path.join('src', 'views')) || f.startsWith(path.join('src', 'web')) || /views\.tsx$/.test(f),
  )) {
    assert.doesNotMatch(read(file), /(src|href)=["']?(https?:)?\/\//, file);
    assert.doesNotMatch(read(file), /url\(\s*['"]?(https?:)?\/\//, file);
  }
});

test('the client address is only ever hashed for rate limits', () => {
  for (const file of files) {
    for (const match of read(file).matchAll(/.*\b(request|req)\.(ip|ips)\b.*/g)) {
      assert.match(match[0], /addressKey\(/, `${file}: ${match[0].trim()}`);
    }
    assert.doesNotMatch(read(file), /remoteAddress|x-forwarded-for/i, file);
  }
});
