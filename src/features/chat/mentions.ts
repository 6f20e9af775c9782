import type { ServiceContext } from '../../app-context.js';
import type { Role } from '../../db/schema.js';
import type { Member } from '../../security/actor.js';
import { mentionedNames } from '../../security/mentions.js';
import { canReadChat } from './policy.js';
import { accessOf, type ChatRow } from './queries.js';

/**
 * People a chat message names with @name who may read the chat now (ADR 0065); nobody learns
 * anything about the others. Frozen accounts are not told who names them (ADR 0051).
 */
export async function mentionedChatReaders(
  ctx: ServiceContext,
  chat: ChatRow,
  body: string,
  /** The author of a named message; null for an anonymous one, whose author gets the row everyone named gets. */
  except: string | null,
  /** People in a block with a named author (ADR 0052): named, they are told nothing, and the author is not told so. */
  blocked: (userId: string) => boolean = () => false,
): Promise<string[]> {
  const keys = mentionedNames(body);
  if (keys.length === 0) return [];
  const users = await ctx.db
    .selectFrom('users')
    .select(['id', 'username', 'role'])
    .where('username_key', 'in', keys)
    .where('frozen_at', 'is', null)
    .execute();
  return chatReadersNow(
    ctx,
    chat,
    users.filter((user) => user.id !== except && !blocked(user.id)),
  );
}

/**
 * Of these people, those who may read the chat now: checked when the message is posted and again
 * when its notifications are delivered, so a member who left in between is not told.
 */
export async function chatReadersNow(
  ctx: ServiceContext,
  chat: ChatRow,
  users: { id: string; username: string; role: Role }[],
): Promise<string[]> {
  const readers: string[] = [];
  for (const user of users) {
    const actor: Member = { kind: 'user', id: user.id, username: user.username, role: user.role };
    const { access } = await accessOf(ctx, actor, chat);
    if (canReadChat(actor, access)) readers.push(user.id);
  }
  return readers;
}
