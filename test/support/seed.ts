import { serviceContext } from '../../src/app-context.js';
import type { Role, TrustLevel } from '../../src/db/schema.js';
import { hashPassphrase } from '../../src/security/passphrase.js';
import { normaliseUsername } from '../../src/security/username.js';
import { newId } from '../../src/security/tokens.js';
import { createSession } from '../../src/security/sessions.js';
import type { Member } from '../../src/security/actor.js';
import type { TestRuntime } from './runtime.js';
import type { TestClient } from './client.js';

export const defaultPassphrase = 'a quiet river under old olive trees';

export interface SeededUser {
  id: string;
  username: string;
  passphrase: string;
  role: Role;
  trust: TrustLevel;
}

/** Inserts an account directly, for tests about something other than registration. */
export async function createUser(
  rt: Pick<TestRuntime, 'ctx'>,
  /**
   * `trust` is `trusted` unless asked (ADR 0050): tests about groups and posts are not about the
   * limits of new accounts, which tests of trust ask for by name.
   */
  options: { username: string; passphrase?: string; role?: Role; trust?: TrustLevel },
): Promise<SeededUser> {
  const name = normaliseUsername(options.username);
  const passphrase = options.passphrase ?? defaultPassphrase;
  const user = {
    id: newId(),
    username: name.display,
    passphrase,
    role: options.role ?? 'member',
    trust: options.trust ?? 'trusted',
  };
  await rt.ctx.db
    .insertInto('users')
    .values({
      id: user.id,
      username: name.display,
      username_key: name.key,
      username_skeleton: name.skeleton,
      passphrase_hash: await hashPassphrase(passphrase),
      role: user.role,
      trust_level: user.trust,
      created_at: Math.floor(Date.now() / 86_400_000) * 86_400_000,
    })
    .execute();
  return user;
}

/** The seeded account as the actor services take, with its role and trust level. */
export function asMember(user: SeededUser): Member {
  return { kind: 'user', id: user.id, username: user.username, role: user.role, trust: user.trust };
}

/** Gives a test client a signed-in session cookie for the user, without going through the sign-in form. */
export async function signInAs(rt: TestRuntime, client: TestClient, user: SeededUser): Promise<string> {
  const session = await createSession(serviceContext(rt.ctx), user.id, 'Test · Linux');
  client.cookies.set('sanad_session', session.token);
  return session.token;
}
