import type { DbOrTx } from '../../../db/database.js';
import type { Role } from '../../../db/schema.js';
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
  /** People in a block with the author (ADR 0052): named, they are told nothing, and the author is not told so. */
  blocked: (userId: string) => boolean = () => false,
): Promise<string[]> {
  const keys = mentionedNames(body);
  if (keys.length === 0) return [];
  const users = await db
    .selectFrom('users')
    .select(['id', 'username', 'role'])
    .where('username_key', 'in', keys)
    // A frozen account (ADR 0051) is not told who names it: what others say stays out of its reach.
    .where('frozen_at', 'is', null)
    .execute();
  return readersNow(
    db,
    key,
    users.filter((user) => user.id !== except && !blocked(user.id)),
    group,
  );
}

/**
 * Of these people, those who may read the group's content now: checked when a post is written and
 * again when the post's notifications are delivered, so a member removed in between is not told.
 * An anonymous ban is left out, as above.
 */
export async function readersNow(
  db: DbOrTx,
  key: Buffer,
  users: { id: string; username: string; role: Role }[],
  group: Group,
): Promise<string[]> {
  const readers: string[] = [];
  for (const user of users) {
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
