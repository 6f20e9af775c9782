import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { GroupChangesSchema, GroupRecordSchema, GroupSchema, groupLimits, NewGroupSchema } from './schemas.js';

test('one group shape: the API shows the record, less its creation time, plus the caller’s relation', () => {
  const shown = Object.keys(GroupSchema.properties).sort();
  const held = Object.keys(GroupRecordSchema.properties).filter((k) => k !== 'createdAt');
  assert.deepEqual(shown, [...held, 'membership', 'pendingRequest'].sort());
  assert.deepEqual(Object.keys(GroupChangesSchema.properties), Object.keys(NewGroupSchema.properties));
  assert.deepEqual([...(NewGroupSchema.required ?? [])].sort(), ['description', 'name', 'visibility']);
  assert.equal(GroupChangesSchema.required, undefined, 'a change sends only what changes');
  assert.equal((NewGroupSchema.properties.name as { maxLength?: number }).maxLength, groupLimits.nameMax);
});

test('a group’s fields are declared in schemas.ts only: no second interface or schema elsewhere in the feature', () => {
  const dir = import.meta.dirname;
  const files = (sub: string): string[] =>
    fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).flatMap((e) => {
      const relative = path.join(sub, e.name);
      if (e.isDirectory()) return files(relative);
      return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [relative] : [];
    });
  // Form values (views.tsx) hold what a form shows, as text; policies take only the facts they need.
  const elsewhere = files('.').filter((f) => !['schemas.ts', 'views.tsx', 'policy.ts'].includes(f));
  for (const file of elsewhere) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    assert.doesNotMatch(
      source,
      /\b(membersListOpen|anonymousPosting|lastActivityAt)\??: (Type\.|boolean|number)/,
      file,
    );
  }
});
