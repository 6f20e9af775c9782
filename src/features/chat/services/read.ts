import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { ServiceContext } from '../../../app-context.js';
import type { DbOrTx } from '../../../db/database.js';
import type { Member } from '../../../security/actor.js';
import { hasMuted, isBlockedBetween } from '../../../security/blocks.js';
import { renderMarkdownUnkept } from '../../../security/sanitize-html.js';
import { chatLimits, chatReactionKinds, type ChatReactionKind, type MessageJson } from '../schemas.js';
import { messageColumns, readWarning, type MessageRow } from './model.js';
import { chatAuthorRef } from './post.js';
import { messageExcerpt } from '../excerpt.js';

/**
 * Reading messages (ADR 0060). Every read filters on expiry, so a message stops being served the
 * moment it expires, before the purge job removes it. What the database gives is loaded once
 * (`loadDetails`) and shaped for each reader by a pure function (`presentMessage`), so the
 * real-time hub loads a change once and presents it to a thousand connections.
 */

/** Messages and events readers see: not expired. Tombstones only where a client resumes. */
const live = (now: number) => (eb: ExpressionBuilder<Database, 'chat_messages'>) =>
  eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]);

/** What presenting a batch of messages needs from the database, for any reader. */
export interface MessageDetails {
  usernames: Map<string, string>;
  /** Per message, per reaction kind, who reacted. */
  reactions: Map<string, Map<ChatReactionKind, Set<string>>>;
  /** Per message, its rendered HTML (through the one sanitiser, kept nowhere else). */
  html: Map<string, string>;
  /** Per answered message id: the answered message if it is still there. */
  replies: Map<string, MessageRow>;
}

export async function loadDetails(ctx: ServiceContext, rows: readonly MessageRow[]): Promise<MessageDetails> {
  const ids = rows.map((r) => r.id);
  const replyIds = [...new Set(rows.map((r) => r.reply_to_id).filter((id): id is string => id !== null))];
  const [reactionRows, replyRows] = await Promise.all([
    ids.length
      ? ctx.db
          .selectFrom('chat_reactions')
          .select(['message_id', 'user_id', 'kind'])
          .where('message_id', 'in', ids)
          .execute()
      : [],
    replyIds.length
      ? ctx.db
          .selectFrom('chat_messages')
          .select(messageColumns)
          .where('id', 'in', replyIds)
          .where('kind', '=', 'message')
          .where(live(ctx.now))
          .execute()
      : [],
  ]);
  const authorIds = [...new Set([...rows, ...replyRows].map((r) => r.author_id).filter((id): id is string => !!id))];
  const users = authorIds.length
    ? await ctx.db.selectFrom('users').select(['id', 'username']).where('id', 'in', authorIds).execute()
    : [];
  const reactions = new Map<string, Map<ChatReactionKind, Set<string>>>();
  for (const r of reactionRows) {
    const byKind = reactions.get(r.message_id) ?? new Map<ChatReactionKind, Set<string>>();
    const who = byKind.get(r.kind as ChatReactionKind) ?? new Set<string>();
    who.add(r.user_id);
    byKind.set(r.kind as ChatReactionKind, who);
    reactions.set(r.message_id, byKind);
  }
  const html = new Map<string, string>();
  for (const r of rows) if (r.kind === 'message' && r.body !== null) html.set(r.id, renderMarkdownUnkept(r.body));
  return {
    usernames: new Map(users.map((u) => [u.id, u.username])),
    reactions,
    html,
    replies: new Map(replyRows.map((r) => [r.id, r as MessageRow])),
  };
}

/** One reader of a batch: who they are, and how their language names an anonymous author. */
export interface Reader {
  actor: Member;
  pseudonymName: (pseudonym: number) => string;
  keys: { anonymity: Buffer };
}

/** Written by someone in a block with the reader, or whom the reader muted: shown as a neutral line (ADR 0052). */
const withheldFrom = (actor: Member, row: MessageRow) =>
  row.author_id !== null && (isBlockedBetween(actor, row.author_id) || hasMuted(actor, row.author_id));

/** One message as this reader receives it: every field listed, nothing more leaves the server. */
export function presentMessage(details: MessageDetails, row: MessageRow, reader: Reader): MessageJson {
  const { actor } = reader;
  const mine =
    row.author_id === actor.id ||
    (row.anonymous === 1 &&
      row.author_ref !== null &&
      row.author_ref === chatAuthorRef(reader.keys, row.chat_id, actor.id));
  const withheld = row.kind === 'message' && withheldFrom(actor, row);
  const shown = row.kind === 'message' && !withheld;
  const reply = row.reply_to_id ? details.replies.get(row.reply_to_id) : undefined;
  const replyShown = reply && !withheldFrom(actor, reply) && reply.body !== null;
  const byKind = details.reactions.get(row.id);
  return {
    id: row.id,
    chatId: row.chat_id,
    kind: row.kind,
    seq: Number(row.changed_seq),
    position: Number(row.posted_seq),
    createdAt: Number(row.created_at),
    editedAt: row.edited_at === null ? null : Number(row.edited_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    author:
      shown && row.author_id !== null
        ? { id: row.author_id, username: details.usernames.get(row.author_id) ?? '' }
        : null,
    anonymous: row.anonymous === 1,
    pseudonym: shown && row.pseudonym !== null ? reader.pseudonymName(row.pseudonym) : null,
    mine,
    withheld,
    body: shown ? row.body : null,
    html: shown ? (details.html.get(row.id) ?? null) : null,
    warning: shown ? readWarning(row.warning) : null,
    replyTo: row.reply_to_id
      ? {
          id: row.reply_to_id,
          excerpt: replyShown ? messageExcerpt(reply.body!) : null,
          authorName: replyShown
            ? reply.author_id
              ? (details.usernames.get(reply.author_id) ?? null)
              : reply.pseudonym !== null
                ? reader.pseudonymName(reply.pseudonym)
                : null
            : null,
        }
      : null,
    reactions: shown
      ? chatReactionKinds.flatMap((kind) => {
          const count = byKind?.get(kind)?.size ?? 0;
          return count ? [{ kind, count }] : [];
        })
      : [],
    reacted: shown ? chatReactionKinds.filter((kind) => byKind?.get(kind)?.has(actor.id)) : [],
    timer: row.kind === 'timer' ? row.timer_seconds : null,
  };
}

export interface HistoryPage {
  /** Oldest first, as a chat reads. */
  rows: MessageRow[];
  /** `before` for the page of older messages; null at the beginning. */
  olderBefore: number | null;
}

/**
 * One page of a chat's history, newest page first: the `chatLimits.historyPage` messages and events
 * posted before `before` (a `position`), or the latest. Keyset by the number each was posted with.
 */
export async function historyPage(
  ctx: ServiceContext,
  chatId: string,
  before: number | null,
  limit: number = chatLimits.historyPage,
): Promise<HistoryPage> {
  let query = ctx.db
    .selectFrom('chat_messages')
    .select(messageColumns)
    .where('chat_id', '=', chatId)
    .where('kind', '!=', 'unsent')
    .where(live(ctx.now))
    .orderBy('posted_seq', 'desc')
    .limit(limit + 1);
  if (before !== null) query = query.where('posted_seq', '<', before);
  const rows = (await query.execute()) as MessageRow[];
  const more = rows.length > limit;
  const page = rows.slice(0, limit).reverse();
  return { rows: page, olderBefore: more && page.length ? Number(page[0]!.posted_seq) : null };
}

/**
 * Every message of the chat changed after `since` (a `seq`), tombstones included, oldest change
 * first: what a reconnecting client, or an instance that missed a publication, catches up with.
 * Expired messages are left out; clients remove them at `expiresAt` by themselves.
 */
export async function changesSince(
  ctx: Pick<ServiceContext, 'db' | 'now'>,
  chatId: string,
  since: number,
  limit = 500,
): Promise<MessageRow[]> {
  return (await ctx.db
    .selectFrom('chat_messages')
    .select(messageColumns)
    .where('chat_id', '=', chatId)
    .where('changed_seq', '>', since)
    .where(live(ctx.now))
    .orderBy('changed_seq')
    .limit(limit)
    .execute()) as MessageRow[];
}

/** A message by id, unexpired, as rows are read everywhere. */
export async function findLiveMessage(db: DbOrTx, now: number, messageId: string): Promise<MessageRow | undefined> {
  return (await db
    .selectFrom('chat_messages')
    .select(messageColumns)
    .where('id', '=', messageId)
    .where(live(now))
    .executeTakeFirst()) as MessageRow | undefined;
}
