import type { ServiceContext } from '../../app-context.js';
import type { DbOrTx } from '../../db/database.js';
import type { ChatKind, ChatsTable } from '../../db/schema-chat.js';
import { notFound } from '../../platform/errors.js';
import type { Member } from '../../security/actor.js';
import { findGroup, viewerOf } from '../groups/public.js';
import { canReadChat, type ChatAccess } from './policy.js';

export type ChatRow = ChatsTable;

/** A chat and the actor's standing in it, as the policies read it. */
export interface LoadedChat {
  chat: ChatRow;
  access: ChatAccess;
  /** A room's group: its id and name, for headings and links; null for instance rooms and conversations. */
  group: { id: string; name: string } | null;
}

/** The actor's standing in one chat, read fresh (ADR 0015): group membership, bans, participation. */
export async function accessOf(ctx: ServiceContext, actor: Member, chat: ChatRow): Promise<LoadedChat> {
  if (chat.kind === 'conversation') {
    const row = await ctx.db
      .selectFrom('chat_participants')
      .select('state')
      .where('chat_id', '=', chat.id)
      .where('user_id', '=', actor.id)
      .executeTakeFirst();
    return { chat, access: { kind: 'conversation', participation: row?.state ?? null }, group: null };
  }
  if (chat.group_id === null)
    return { chat, access: { kind: 'room', archived: chat.archived_at !== null, group: null }, group: null };
  const group = await findGroup(ctx.db, chat.group_id);
  if (!group) throw notFound();
  const viewer = await viewerOf(ctx.db, actor, group.id, ctx.keys.anonymity);
  return {
    chat,
    access: {
      kind: 'room',
      archived: chat.archived_at !== null,
      group: {
        viewer,
        facts: { visibility: group.visibility, membersListOpen: group.membersListOpen },
        anonymousPosting: group.anonymousPosting,
      },
    },
    group: { id: group.id, name: group.name },
  };
}

export async function findChat(db: DbOrTx, chatId: string): Promise<ChatRow | undefined> {
  return db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirst();
}

/**
 * A chat the actor may read, or 404 as if it did not exist: a room of a group they cannot read,
 * a conversation they are not in (ADR 0060). `allow` widens what is loaded for actions that reach
 * further than reading (an instance moderator unsending a message in any room).
 */
export async function loadReadableChat(
  ctx: ServiceContext,
  actor: Member,
  chatId: string,
  allow: (loaded: LoadedChat) => boolean = (loaded) => canReadChat(actor, loaded.access),
): Promise<LoadedChat> {
  const chat = await findChat(ctx.db, chatId);
  if (!chat) throw notFound();
  const loaded = await accessOf(ctx, actor, chat);
  if (!allow(loaded)) throw notFound();
  return loaded;
}

/** A chat of this kind the actor may read; anything else (another kind included) answers 404. */
export async function loadChatOfKind(
  ctx: ServiceContext,
  actor: Member,
  chatId: string,
  kind: ChatKind,
): Promise<LoadedChat> {
  const loaded = await loadReadableChat(ctx, actor, chatId);
  if (loaded.chat.kind !== kind) throw notFound();
  return loaded;
}

/**
 * Takes the chat's next change number in the caller's transaction. The update holds the chat's row
 * lock until commit, so two writers in one chat take consecutive numbers and commit in that order.
 */
export async function nextSeq(trx: DbOrTx, chatId: string): Promise<number> {
  const row = await trx
    .updateTable('chats')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('id', '=', chatId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(row.last_seq);
}
