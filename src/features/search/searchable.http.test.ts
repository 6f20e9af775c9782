import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serviceContext } from '../../app-context.js';
import { indexDocument } from '../../search/service.js';
import type { FeatureModule } from '../../platform/module.js';
import { loadModules } from '../../platform/modules.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { TestClient } from '../../../test/support/client.js';
import { createUser, signInAs } from '../../../test/support/seed.js';
import { searchableOf, searchFor } from './service.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

test('the kinds searched, their links and where a member may find them are what the modules declare', async () => {
  const searchable = searchableOf(await loadModules());
  assert.deepEqual(searchable.kinds.map((k) => k.kind).sort(), ['chat_message', 'group', 'post', 'thread']);
  const api = new TestClient(rt.app);
  const document = (await api.get('/api/v1/openapi.json')).json();
  const type = document.paths['/api/v1/search'].get.parameters.find((p: { name: string }) => p.name === 'type');
  assert.deepEqual([...type.schema.enum].sort(), ['all', 'chat_message', 'group', 'post', 'thread']);

  // A capability that is not among them: its documents are found through its own declaration alone.
  const ctx = serviceContext(rt.ctx);
  const reader = await createUser(rt, { username: 'searching_member' });
  const actor = { kind: 'user', id: reader.id, username: reader.username, role: 'member' } as const;
  for (const [refId, scope] of [
    ['open-clinic', 'guides:open'],
    ['closed-clinic', 'guides:closed'],
  ] as const)
    await indexDocument(ctx, {
      kind: 'guide',
      refId,
      scope,
      title: 'عيادة صديقة',
      body: 'عيادة صديقة في المدينة',
      createdAt: 1,
    });
  const guides: FeatureModule = {
    name: 'guides',
    search: {
      kinds: [{ kind: 'guide', labelKey: 'nav.home', filterLabelKey: 'nav.home', href: (id) => `/guides/${id}` }],
      scopes: async () => ['guides:open'],
    },
  };
  const found = await searchFor(ctx, actor, searchableOf([...(await loadModules()), guides]), { q: 'عيادة' });
  assert.deepEqual(
    found.map((r) => [r.kind, r.href]),
    [['guide', '/guides/open-clinic']],
    'found in the scope its module allows, and nowhere else',
  );
  assert.deepEqual(await searchFor(ctx, actor, searchable, { q: 'عيادة' }), [], 'without the module, nothing');

  const web = new TestClient(rt.app);
  await signInAs(rt, web, reader);
  const page = (await web.get('/search?q=%D8%B9%D9%8A%D8%A7%D8%AF%D8%A9')).body;
  assert.doesNotMatch(page, /guides/, 'the running app knows only the modules it found');
});
