import type { DbOrTx } from '../../../db/database.js';
import { mentionedNames } from '../../../security/mentions.js';
import { canReadContent, viewerOf, type Group } from '../../groups/public.js';

/**
 * People named with @name who can read the thread now; nobody learns anything about the others.
 * A ban through an anonymous post is left out of this check, as the member list leaves it out: a
 * member banned so gets the row every member named gets (never shown to them), so the stored rows
 * do not single them out (ADR 0018).
 */
export async function mentionedReaders(
  db: DbOrTx,
  key: Buffer,
  body: string,
  group: Group,
  except: string | null,
): Promise<string[]> {
  const keys = mentionedNames(body);
  if (keys.length === 0) return [];
  const users = await db
    .selectFrom('users')
    .select(['id', 'username', 'role'])
    .where('username_key', 'in', keys)
    .execute();
  const readers: string[] = [];
  for (const user of users) {
    if (user.id === except) continue;
    const viewer = await viewerOf(
      db,
      { kind: 'user', id: user.id, username: user.username, role: user.role },
      group.id,
      key,
    );
    if (canReadContent({ ...viewer, anonymousBan: false }, group)) readers.push(user.id);
  }
  return readers;
}
