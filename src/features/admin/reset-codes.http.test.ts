// Reset codes hand an account over, anonymous posts included (ADR 0019): the member is told, and
// with more than one administrator a second one must approve.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serviceContext } from '../../app-context.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { TestClient } from '../../../test/support/client.js';
import { createUser, signInAs, type SeededUser } from '../../../test/support/seed.js';
import { issueResetCode } from './reset-codes.js';
import { systemActor } from '../../security/actor.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

let counter = 0;
const name = (prefix: string) => `${prefix}${++counter}_${Math.random().toString(36).slice(2, 6)}`;

async function clientFor(user: SeededUser) {
  const client = new TestClient(rt.app);
  await signInAs(rt, client, user);
  return client;
}

const codeIn = (html: string) => /<p class="reset-code" dir="ltr"><code>([^<]+)<\/code>/.exec(html)?.[1];
const auditOf = async (subject: string) =>
  (await rt.ctx.db.selectFrom('audit_log').select(['actor_id', 'action']).where('subject', '=', subject).execute())
    .map((r) => `${r.action}:${r.actor_id}`)
    .sort();

async function resetNotices(client: TestClient) {
  return (await client.get('/api/v1/notifications'))
    .json()
    .notifications.filter((n: { kind: string }) => n.kind === 'reset_code');
}

test('the only administrator issues a code at once, and the member is told in both languages', async () => {
  const admin = await createUser(rt, { username: name('solo'), role: 'admin' });
  const owner = await createUser(rt, { username: name('lost') });
  const adminWeb = await clientFor(admin);
  const issued = await adminWeb.submit('/admin/users', `/admin/users/${owner.id}/reset-code`, {});
  assert.equal(issued.status, 200);
  const code = codeIn(issued.body);
  assert.ok(code, 'the code is shown at once');
  assert.deepEqual(await auditOf(owner.id), [`user.resetCode:${admin.id}`]);

  const ownerWeb = await clientFor(owner);
  const notices = await resetNotices(ownerWeb);
  assert.equal(notices.length, 1);
  assert.equal(notices[0].href, '/account#change-passphrase', 'about the account, not a group: to the passphrase form');
  assert.equal((await ownerWeb.get('/api/v1/notifications')).json().unread, 1);
  const page = await ownerWeb.get('/notifications');
  assert.match(
    page.body,
    /An administrator made a reset code for your account: whoever uses it takes over the account/,
  );
  assert.match(page.body, /href="\/account#change-passphrase"/);
  ownerWeb.acceptLanguage = 'ar';
  ownerWeb.cookies.delete('sanad_lang');
  assert.match((await ownerWeb.get('/notifications')).body, /أنشأ أحد المسؤولين رمز إعادة تعيين لهذا الحساب/);

  const recovered = await new TestClient(rt.app).api('POST', '/api/v1/auth/recover', {
    username: owner.username,
    code,
    passphrase: 'the admin helped me here',
  });
  assert.equal(recovered.status, 200);
});

test('with two administrators, one asks, the other approves and receives the code; every step is audited', async () => {
  const asking = await createUser(rt, { username: name('ask'), role: 'admin' });
  const approving = await createUser(rt, { username: name('apr'), role: 'admin' });
  const owner = await createUser(rt, { username: name('lost') });
  const askingWeb = await clientFor(asking);
  const approvingWeb = await clientFor(approving);
  const ownerWeb = await clientFor(owner);

  const asked = await askingWeb.submit('/admin/users', `/admin/users/${owner.id}/reset-code`, {});
  assert.equal(asked.status, 303);
  const waiting = await askingWeb.get(asked.headers.location as string);
  assert.match(waiting.body, /Another administrator must now approve this reset code/);
  assert.equal(codeIn(waiting.body), undefined, 'no code for the one who asked');
  assert.match(waiting.body, /Waiting for another administrator/);
  assert.equal(
    (await rt.ctx.db.selectFrom('reset_codes').select('user_id').where('user_id', '=', owner.id).execute()).length,
    0,
    'no code exists yet',
  );
  assert.equal((await resetNotices(ownerWeb)).length, 0);

  const request = await rt.ctx.db
    .selectFrom('reset_requests')
    .select('id')
    .where('user_id', '=', owner.id)
    .executeTakeFirstOrThrow();
  const own = await askingWeb.submit('/admin/users', `/admin/reset-requests/${request.id}/approve`, {});
  assert.equal(own.status, 409, 'nobody approves their own request');
  assert.match(own.body, /Another administrator must approve a reset code you asked for/);
  assert.equal(codeIn(own.body), undefined);

  const list = await approvingWeb.get('/admin/users');
  // Each username is isolated (<bdi>), so a name in the other script never turns the sentence around.
  assert.ok(list.body.includes(`<bdi>${owner.username}</bdi>, asked for by <bdi>${asking.username}</bdi>`));
  const approved = await approvingWeb.submit('/admin/users', `/admin/reset-requests/${request.id}/approve`, {});
  assert.equal(approved.status, 200);
  const code = codeIn(approved.body);
  assert.ok(code, 'the approver receives the code');
  assert.equal(
    (await approvingWeb.submit('/admin/users', `/admin/reset-requests/${request.id}/approve`, {})).status,
    404,
    'approved once only',
  );
  assert.equal((await resetNotices(ownerWeb)).length, 1, 'the member is told');
  assert.deepEqual(await auditOf(owner.id), [
    `user.resetCode.approve:${approving.id}`,
    `user.resetCode.request:${asking.id}`,
  ]);
  const recovered = await new TestClient(rt.app).api('POST', '/api/v1/auth/recover', {
    username: owner.username,
    code,
    passphrase: 'two admins helped me',
  });
  assert.equal(recovered.status, 200);

  // Declined (or withdrawn): no code, and the step is audited.
  const other = await createUser(rt, { username: name('lost') });
  await askingWeb.submit('/admin/users', `/admin/users/${other.id}/reset-code`, {});
  const second = await rt.ctx.db
    .selectFrom('reset_requests')
    .select('id')
    .where('user_id', '=', other.id)
    .executeTakeFirstOrThrow();
  const declined = await approvingWeb.submit('/admin/users', `/admin/reset-requests/${second.id}/decline`, {});
  assert.equal(declined.status, 303);
  assert.equal(
    (await approvingWeb.submit('/admin/users', `/admin/reset-requests/${second.id}/approve`, {})).status,
    404,
  );
  assert.deepEqual(await auditOf(other.id), [
    `user.resetCode.decline:${approving.id}`,
    `user.resetCode.request:${asking.id}`,
  ]);
  assert.equal(
    (await rt.ctx.db.selectFrom('reset_codes').select('user_id').where('user_id', '=', other.id).execute()).length,
    0,
  );

  // An administrator's direct issue is refused; the operator's command line stays direct.
  const sctx = serviceContext(rt.ctx);
  await assert.rejects(
    issueResetCode(sctx, { kind: 'user', id: asking.id, username: asking.username, role: 'admin' }, other.id),
    /conflict|resetNeedsApproval/,
  );
  const operator = await issueResetCode(sctx, systemActor, other.id);
  assert.ok(operator.code);
  assert.equal((await resetNotices(await clientFor(other))).length, 1, 'the member is told of the operator’s code too');

  // Members cannot see or act on requests.
  const plain = await clientFor(await createUser(rt, { username: name('plain') }));
  assert.equal((await plain.submit('/', `/admin/reset-requests/${second.id}/approve`, {})).status, 403);
});
