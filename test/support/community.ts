import { serviceContext } from '../../src/app-context.js';
import type { Role, TrustLevel } from '../../src/db/schema.js';
import { createSession } from '../../src/security/sessions.js';
import { TestClient } from './client.js';
import { createUser, type SeededUser } from './seed.js';
import type { TestRuntime } from './runtime.js';

let counter = 0;

/** A member with an API client signed in by bearer token (no CSRF needed). */
export async function member(
  rt: TestRuntime,
  prefix = 'm',
  options: { trust?: TrustLevel; role?: Role } = {},
): Promise<{ user: SeededUser; api: TestClient }> {
  const user = await createUser(rt, {
    username: `${prefix}${++counter}_${Math.random().toString(36).slice(2, 6)}`,
    ...options,
  });
  const api = new TestClient(rt.app);
  api.bearer = (await createSession(serviceContext(rt.ctx), user.id, 'Test · Linux')).token;
  return { user, api };
}

/** A member with a browser-like client (session cookie, forms with CSRF tokens). */
export async function browserMember(
  rt: TestRuntime,
  prefix = 'b',
  options: { trust?: TrustLevel; role?: Role } = {},
): Promise<{ user: SeededUser; web: TestClient }> {
  const user = await createUser(rt, {
    username: `${prefix}${++counter}_${Math.random().toString(36).slice(2, 6)}`,
    ...options,
  });
  const web = new TestClient(rt.app);
  web.cookies.set('sanad_session', (await createSession(serviceContext(rt.ctx), user.id, 'Test · Linux')).token);
  return { user, web };
}

export const groupDefaults = {
  name: 'Queer readers of Beirut',
  description: 'A reading circle for queer people in Beirut.',
  languages: ['ar', 'en'],
  country: 'LB',
  city: 'Beirut',
  visibility: 'public' as 'public' | 'private' | 'hidden',
  interests: ['books'],
  issues: [] as string[],
  identities: ['queer'],
};

export async function createGroupAs(
  api: TestClient,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; [key: string]: unknown }> {
  const response = await api.api('POST', '/api/v1/groups', { ...groupDefaults, ...overrides });
  if (response.status !== 201) throw new Error(`group not created: ${response.status} ${response.body}`);
  return response.json().group;
}

export async function threadIn(
  api: TestClient,
  groupId: string,
  input: Record<string, unknown> = {},
): Promise<{ threadId: string; postId: string }> {
  const response = await api.api('POST', `/api/v1/groups/${groupId}/threads`, {
    title: 'A first question',
    body: 'Hello everyone',
    ...input,
  });
  if (response.status !== 201) throw new Error(`thread not created: ${response.status} ${response.body}`);
  const { thread, post } = response.json();
  return { threadId: thread.id, postId: post.id };
}
