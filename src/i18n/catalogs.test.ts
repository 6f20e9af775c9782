import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { catalogFiles as loadCatalogFiles } from './catalogs.js';

// Every module's catalogue, found as the server finds them (src/platform/modules.ts).
const catalogFiles = await loadCatalogFiles();

const arabicPluralCategories = ['zero', 'one', 'two', 'few', 'many', 'other'];

function pluralsIn(elements: MessageFormatElement[]): { value: string; options: string[] }[] {
  const found: { value: string; options: string[] }[] = [];
  for (const element of elements) {
    if (element.type === TYPE.plural) {
      found.push({ value: element.value, options: Object.keys(element.options) });
      for (const option of Object.values(element.options)) found.push(...pluralsIn(option.value));
    } else if (element.type === TYPE.select) {
      for (const option of Object.values(element.options)) found.push(...pluralsIn(option.value));
    } else if (element.type === TYPE.tag) {
      found.push(...pluralsIn(element.children));
    }
  }
  return found;
}

for (const [name, { ar, en }] of Object.entries(catalogFiles)) {
  test(`catalog "${name}": Arabic and English have the same keys`, () => {
    assert.deepEqual(Object.keys(ar).sort(), Object.keys(en).sort());
  });

  test(`catalog "${name}": every message parses, and every Arabic plural has all six categories`, () => {
    for (const [locale, messages] of Object.entries({ ar, en })) {
      for (const [key, source] of Object.entries(messages as Record<string, string>)) {
        assert.ok(source.trim().length > 0, `${locale}:${key} is empty`);
        const ast = parse(source, { ignoreTag: true });
        if (locale !== 'ar') continue;
        for (const plural of pluralsIn(ast)) {
          for (const category of arabicPluralCategories) {
            assert.ok(plural.options.includes(category), `ar:${key} plural {${plural.value}} lacks "${category}"`);
          }
        }
      }
    }
  });
}

test('no key is defined in two catalogs', () => {
  const seen = new Map<string, string>();
  for (const [name, { en }] of Object.entries(catalogFiles)) {
    for (const key of Object.keys(en)) {
      assert.ok(!seen.has(key), `${key} is in both ${seen.get(key)} and ${name}`);
      seen.set(key, name);
    }
  }
});

test('every message key used in the source exists', () => {
  const keys = new Set(Object.values(catalogFiles).flatMap(({ en }) => Object.keys(en)));
  const src = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.includes('.test.')) files.push(full);
    }
  };
  walk(src);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) {
      assert.ok(keys.has(match[1]!), `${path.relative(src, file)} uses missing key ${match[1]}`);
    }
  }
});

test('every module with a catalogue adds it to the key type', () => {
  // Without it, t() would refuse the module's own keys at compile time, or accept none of a new module's.
  const features = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../features');
  for (const name of Object.keys(catalogFiles).filter((name) => name !== 'common')) {
    const entry = fs.readFileSync(path.join(features, name, 'index.ts'), 'utf8');
    assert.match(
      entry,
      new RegExp(`interface FeatureCatalogues \\{\\s*${name}: typeof en;\\s*\\}`),
      `${name}/index.ts`,
    );
  }
});
