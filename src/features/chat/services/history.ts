import type { ServiceContext } from '../../../app-context.js';
import type { ChatKind } from '../../../db/schema-chat.js';
import { notFound } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { loadChatOfKind, loadReadableChat } from '../queries.js';
import { chatLimits } from '../schemas.js';
import { findLiveMessage, historyPage, type HistoryPage } from './read.js';
import { markChatRead } from './unread.js';

/**
 * One page of a chat's history for the API (ADR 0065): the latest, or the one before `before`.
 * `seq` is the chat's change number read first, so a client subscribing from it misses nothing.
 * Reading the latest page moves the member's place to its newest message.
 */
export async function readHistory(
  ctx: ServiceContext,
  actor: Member,
  chatId: string,
  kind: ChatKind,
  before: number | null,
): Promise<HistoryPage & { seq: number }> {
  const { chat } = await loadChatOfKind(ctx, actor, chatId, kind);
  const page = await historyPage(ctx, chatId, before);
  const newest = page.rows.at(-1);
  if (before === null && newest) await markChatRead(ctx, actor, chatId, Number(newest.posted_seq));
  return { ...page, seq: Number(chat.last_seq) };
}

/**
 * Where a message is read (search results and notifications lead here): its chat's page, at the
 * message, with the older page that holds it when it is no longer among the latest. A message the
 * actor cannot read, expired or unsent: 404.
 */
export async function messageAddress(ctx: ServiceContext, actor: Member, messageId: string): Promise<string> {
  const row = await findLiveMessage(ctx.db, ctx.now, messageId);
  if (row?.kind !== 'message') throw notFound();
  const { chat } = await loadReadableChat(ctx, actor, row.chat_id);
  const newer = await ctx.db
    .selectFrom('chat_messages')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('chat_id', '=', chat.id)
    .where('kind', '!=', 'unsent')
    .where('posted_seq', '>', row.posted_seq)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', ctx.now)]))
    .executeTakeFirstOrThrow();
  const base = `/${chat.kind === 'room' ? 'rooms' : 'conversations'}/${chat.id}`;
  const page = Number(newer.count) >= chatLimits.historyPage ? `?before=${Number(row.posted_seq) + 1}` : '';
  return `${base}${page}#m-${row.id}`;
}
