import type { ServiceContext } from '../../app-context.js';
import type { DbOrTx } from '../../db/database.js';
import type { SearchDeclaration } from '../../platform/module.js';
import type { Member } from '../../security/actor.js';
import { indexDocument, type SearchContext } from '../../search/service.js';
import { readableGroupIds } from '../groups/public.js';
import type { ChatRow } from './queries.js';

/**
 * Chat messages in the search index (ADR 0065): one document per message, in the scope of its chat
 * (`chat:<id>`), written in the transaction that posts or edits it and removed in the one that
 * unsends or purges it. Authors are never indexed; who may find a message is asked on every search.
 */
export const chatMessageKind = 'chat_message';

const scopeOf = (chatId: string) => `chat:${chatId}`;
const documentIdOf = (messageId: string) => `${chatMessageKind}:${messageId}`;

/**
 * What a hit shows above its snippet. A room's name; a conversation has none, and naming its
 * participants would put who talks to whom in the index, so a neutral label in both languages.
 */
export const conversationSearchTitle = 'محادثة خاصة · Private conversation';
const titleOf = (chat: Pick<ChatRow, 'kind' | 'name'>) =>
  chat.kind === 'room' && chat.name ? chat.name : conversationSearchTitle;

export async function indexMessage(
  ctx: SearchContext,
  chat: Pick<ChatRow, 'id' | 'kind' | 'name'>,
  message: { id: string; body: string; createdAt: number },
): Promise<void> {
  await indexDocument(ctx, {
    kind: chatMessageKind,
    refId: message.id,
    scope: scopeOf(chat.id),
    title: titleOf(chat),
    body: message.body,
    // Found by its words, not by the room's name.
    titleIndexed: false,
    createdAt: message.createdAt,
  });
}

/** Takes these messages' documents out of the index, in the caller's transaction (unsend, the expiry purge). */
export async function unindexMessages(ctx: SearchContext, messageIds: readonly string[]): Promise<void> {
  for (let i = 0; i < messageIds.length; i += 500) {
    const ids = messageIds.slice(i, i + 500).map(documentIdOf);
    if (ctx.engine === 'sqlite') await ctx.db.deleteFrom('search_fts').where('doc_id', 'in', ids).execute();
    await ctx.db.deleteFrom('search_documents').where('id', 'in', ids).execute();
  }
}

/** A chat deleted (a room, or a conversation its last participant left): its messages leave the index with it. */
export async function unindexChat(ctx: SearchContext, chatId: string): Promise<void> {
  const scoped = (db: DbOrTx) =>
    db
      .selectFrom('search_documents')
      .select('id')
      .where('kind', '=', chatMessageKind)
      .where('scope', '=', scopeOf(chatId));
  if (ctx.engine === 'sqlite') await ctx.db.deleteFrom('search_fts').where('doc_id', 'in', scoped(ctx.db)).execute();
  await ctx.db
    .deleteFrom('search_documents')
    .where('kind', '=', chatMessageKind)
    .where('scope', '=', scopeOf(chatId))
    .execute();
}

/** A room renamed: its messages' hits show the new name. */
export async function retitleRoomMessages(db: DbOrTx, chatId: string, name: string): Promise<void> {
  await db
    .updateTable('search_documents')
    .set({ title: name })
    .where('kind', '=', chatMessageKind)
    .where('scope', '=', scopeOf(chatId))
    .execute();
}

/** The chats whose messages the member may find now: rooms they may read, conversations they take part in. */
async function searchableChats(ctx: ServiceContext, actor: Member): Promise<string[]> {
  const groupIds = await readableGroupIds(ctx.db, actor, ctx.keys.anonymity);
  const rooms = await ctx.db
    .selectFrom('chats')
    .select('id')
    .where('kind', '=', 'room')
    .where((eb) =>
      groupIds.length
        ? eb.or([eb('group_id', 'is', null), eb('group_id', 'in', groupIds)])
        : eb('group_id', 'is', null),
    )
    .execute();
  const conversations = await ctx.db
    .selectFrom('chat_participants')
    .select('chat_id')
    .where('user_id', '=', actor.id)
    .where('state', '=', 'active')
    .execute();
  return [...rooms.map((r) => r.id), ...conversations.map((c) => c.chat_id)];
}

/**
 * Of these hits, those the member is not shown: expired (the purge has not run yet), unsent, or
 * written by someone in a block with them or whom they muted (ADR 0052). Anonymous messages name
 * nobody, so a block does not reach them.
 */
async function withheldMessages(
  ctx: ServiceContext,
  actor: Member,
  hits: { kind: string; refId: string }[],
): Promise<Set<string>> {
  const ids = hits.filter((h) => h.kind === chatMessageKind).map((h) => h.refId);
  if (ids.length === 0) return new Set();
  const rows = await ctx.db
    .selectFrom('chat_messages')
    .select(['id', 'kind', 'author_id', 'expires_at'])
    .where('id', 'in', ids)
    .execute();
  const hidden = new Set([...(actor.blocked ?? []), ...(actor.muted ?? [])]);
  const shown = new Set(
    rows
      .filter(
        (r) =>
          r.kind === 'message' &&
          (r.expires_at === null || Number(r.expires_at) > ctx.now) &&
          !(r.author_id !== null && hidden.has(r.author_id)),
      )
      .map((r) => r.id),
  );
  return new Set(ids.filter((id) => !shown.has(id)));
}

export const chatSearch: SearchDeclaration = {
  kinds: [
    {
      kind: chatMessageKind,
      labelKey: 'chat.messages.searchKind',
      filterLabelKey: 'chat.messages.searchFilter',
      // The message's address finds its chat and the page of history that holds it.
      href: (id) => `/messages/${id}`,
    },
  ],
  scopes: async (ctx, actor) => (await searchableChats(ctx, actor)).map(scopeOf),
  withheld: withheldMessages,
};
