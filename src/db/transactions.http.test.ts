import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serviceContext } from '../app-context.js';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { createUser, type SeededUser } from '../../test/support/seed.js';
import { changeRole } from '../features/admin/users-service.js';
import { regenerateRecoveryCodes } from '../features/account/service.js';
import type { Member } from '../security/actor.js';
import { inTransaction } from './database.js';

let rt: TestRuntime;
let admin: SeededUser;
let member: SeededUser;

before(async () => {
  rt = await createTestRuntime();
  admin = await createUser(rt, { username: 'tx_admin', role: 'admin' });
  member = await createUser(rt, { username: 'tx_member' });
});
after(async () => rt.close());

const asActor = (user: SeededUser): Member => ({ kind: 'user', id: user.id, username: user.username, role: user.role });
const roleOf = async (id: string) =>
  (await rt.ctx.db.selectFrom('users').select('role').where('id', '=', id).executeTakeFirstOrThrow()).role;

test('a service called inside an outer transaction joins it: committed with it, rolled back with it', async () => {
  const outerFailure = new Error('outer work failed after the service');
  await assert.rejects(
    inTransaction(rt.ctx.db, async (trx) => {
      await changeRole(serviceContext(rt.ctx, trx), asActor(admin), member.id, 'moderator');
      assert.equal(
        (await trx.selectFrom('users').select('role').where('id', '=', member.id).executeTakeFirstOrThrow()).role,
        'moderator',
        'the change is visible inside the outer transaction',
      );
      throw outerFailure;
    }),
    outerFailure,
  );
  assert.equal(await roleOf(member.id), 'member', 'the outer rollback takes the service change with it');

  await inTransaction(rt.ctx.db, (trx) =>
    changeRole(serviceContext(rt.ctx, trx), asActor(admin), member.id, 'moderator'),
  );
  assert.equal(await roleOf(member.id), 'moderator', 'committed with the outer transaction');

  const codes = await inTransaction(rt.ctx.db, (trx) =>
    regenerateRecoveryCodes(serviceContext(rt.ctx, trx), asActor(admin), { current: admin.passphrase }),
  );
  assert.equal(codes.length, 10);
});

test('services open transactions one way only: inTransaction, never db.transaction()', () => {
  const root = path.dirname(fileURLToPath(import.meta.url));
  const src = path.resolve(root, '..');
  const offenders: string[] = [];
  for (const entry of fs.readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (file === path.join(root, 'database.ts')) continue;
    if (/\.transaction\(\)/.test(fs.readFileSync(file, 'utf8'))) offenders.push(path.relative(src, file));
  }
  assert.deepEqual(offenders, []);
});
