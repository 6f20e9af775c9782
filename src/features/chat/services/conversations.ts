import { sql } from 'kysely';
import type { ServiceContext } from '../../../app-context.js';
import { checkpointAfterErasure, inTransaction, type DbOrTx } from '../../../db/database.js';
import { afterKeyset, decodeCursor, encodeCursor } from '../../../db/keyset.js';
import type { MessagingPolicy, ParticipantState } from '../../../db/schema-chat.js';
import { forbidden, invalid, notFound, type FieldError } from '../../../platform/errors.js';
import { announceRecheck } from '../../../realtime/signal.js';
import { removeDocument } from '../../../search/service.js';
import type { Member } from '../../../security/actor.js';
import { isolate, withoutBidiControls } from '../../../security/bidi.js';
import { blockedAmong, isBlockedBetween } from '../../../security/blocks.js';
import { isMuted } from '../../../security/policy.js';
import { newId } from '../../../security/tokens.js';
import { normaliseUsername } from '../../../security/username.js';
import { forgetNotificationsAbout } from '../../notifications/public.js';
import { addRelation } from '../../safety/public.js';
import { canAnswerRequest, canLeaveConversation, canStartConversationWith, type Recipient } from '../policy.js';
import { loadReadableChat } from '../queries.js';
import { chatLimits, conversationDefaultTimer, type MessageInput } from '../schemas.js';
import { getChatLimits } from './limits.js';
import { validateMessage } from './model.js';
import { shownParticipants } from './participants.js';
import { postMessage } from './post.js';
import { unreadCounts } from './unread.js';
import { messageExcerpt } from '../excerpt.js';

/**
 * Private conversations (ADR 0063): who may start one, requests from people one has not talked
 * with, leaving (the last one out deletes it), and each member's choice of who may write to them.
 * What the sender learns of a request is nothing: accepted, declined, declined with a block or not
 * read yet, their view of the conversation is the same.
 */

export const messagingPolicies = ['anyone', 'shared_group', 'nobody'] as const satisfies readonly MessagingPolicy[];
export const isMessagingPolicy = (value: unknown): value is MessagingPolicy =>
  (messagingPolicies as readonly unknown[]).includes(value);

/** People others see in a conversation; never the reader, never an account hidden by a freeze. */
export interface Person {
  id: string;
  username: string;
}

export interface ConversationSummary {
  id: string;
  /** Everyone else it names, as it named them when it began (a decline changes nothing here). */
  participants: Person[];
  /** The reader's own place: a participant, or asked to accept its first message. */
  state: ParticipantState;
  timer: number | null;
  unread: number;
  firstUnreadPosition: number | null;
  lastMessageAt: number | null;
}

export interface ConversationRequest {
  id: string;
  /** Who wrote the first message; null once nothing says so any more. */
  from: Person | null;
  /** Everyone else it names, the sender included. */
  participants: Person[];
  /** The first message as plain text (up to 200 characters); null once it has disappeared. */
  excerpt: string | null;
  receivedAt: number;
}

export type StartInput = { usernames: string[] } & Pick<MessageInput, 'body' | 'warning' | 'warningText'>;

const recipientsField = 'usernames';
const monthMs = 30 * 86_400_000;

/** The names typed, without a leading @, each once (by the folded key members sign in with). */
function namesOf(usernames: readonly string[]): { display: string; key: string }[] {
  const seen = new Map<string, { display: string; key: string }>();
  for (const raw of usernames) {
    const typed = withoutBidiControls(raw).trim().replace(/^@/, '');
    if (!typed) continue;
    const name = normaliseUsername(typed);
    if (!seen.has(name.key)) seen.set(name.key, { display: name.display, key: name.key });
  }
  return [...seen.values()];
}

/** Who the actor may write to, as the policy reads them: their choice, a group both take part in, a freeze. */
async function recipientFacts(ctx: ServiceContext, actor: Member, ids: string[]): Promise<Map<string, Recipient>> {
  if (ids.length === 0) return new Map();
  const [users, shared] = await Promise.all([
    ctx.db.selectFrom('users').select(['id', 'messaging', 'frozen_at']).where('id', 'in', ids).execute(),
    ctx.db
      .selectFrom('group_members as mine')
      .innerJoin('group_members as theirs', 'theirs.group_id', 'mine.group_id')
      .select('theirs.user_id')
      .distinct()
      .where('mine.user_id', '=', actor.id)
      .where('theirs.user_id', 'in', ids)
      .execute(),
  ]);
  const sharing = new Set(shared.map((r) => r.user_id));
  return new Map(
    users.map((u) => [
      u.id,
      { id: u.id, messaging: u.messaging, sharesGroup: sharing.has(u.id), frozen: u.frozen_at !== null },
    ]),
  );
}

/**
 * Starts a private conversation with 1 to 19 people (20 at most with the starter) and posts its
 * first message, or, for one other person already in a conversation of exactly these two, posts
 * there. Someone the starter may not write to (their choice, a block either way, no group shared,
 * a freeze, or no such account) is refused with one neutral problem that never says which. Each
 * recipient who already accepted a conversation with the starter joins at once; others are asked.
 */
export async function startConversation(
  ctx: ServiceContext,
  actor: Member,
  input: StartInput,
): Promise<{ conversationId: string; messageId: string; created: boolean }> {
  if (actor.frozen === true || isMuted(actor)) throw forbidden();
  const errors: FieldError[] = [];
  const names = namesOf(input.usernames);
  const max = chatLimits.conversationMax - 1;
  let recipients: string[] = [];
  if (names.length === 0) errors.push({ field: recipientsField, message: 'chat.conversations.recipientsRequired' });
  else if (names.length > max)
    errors.push({ field: recipientsField, message: 'chat.conversations.tooMany', values: { max } });
  else {
    const users = await ctx.db
      .selectFrom('users')
      .select(['id', 'username_key'])
      .where(
        'username_key',
        'in',
        names.map((n) => n.key),
      )
      .execute();
    const byKey = new Map(users.map((u) => [u.username_key, u.id]));
    const ids = [...byKey.values()].filter((id) => id !== actor.id);
    // Writing again to the one person of a conversation the starter is still in goes there, as
    // its own messages route does, whatever that person chose since: refusing now would tell a
    // decline from a decline and block (ADR 0063).
    const again = names.length === 1 && ids.length === 1 ? await conversationOfTwo(ctx.db, actor.id, ids[0]!) : null;
    if (again) recipients.push(ids[0]!);
    else {
      const [facts, blocked] = await Promise.all([
        recipientFacts(ctx, actor, ids),
        blockedAmong(ctx.db, actor.id, ids),
      ]);
      // Blocks read fresh, whatever the session carried (ADR 0015).
      const asked: Member = { ...actor, blocked: new Set([...(actor.blocked ?? []), ...blocked]) };
      for (const name of names) {
        const id = byKey.get(name.key);
        if (id === actor.id) {
          errors.push({ field: recipientsField, message: 'chat.conversations.self' });
          break;
        }
        const recipient = id ? facts.get(id) : undefined;
        if (!recipient || !canStartConversationWith(asked, recipient)) {
          errors.push({
            field: recipientsField,
            message: 'chat.conversations.cannotWrite',
            values: { name: isolate(name.display) },
          });
          break;
        }
        recipients.push(recipient.id);
      }
    }
  }
  validateMessage(input, errors);
  if (errors.length) throw invalid(errors);
  recipients = [...new Set(recipients)];
  const message = { body: input.body, warning: input.warning ?? null, warningText: input.warningText ?? null };

  if (recipients.length === 1) {
    const existing = await conversationOfTwo(ctx.db, actor.id, recipients[0]!);
    if (existing)
      return inTransaction(ctx.db, async (trx) => {
        // Writing back to someone who wrote first is accepting their request.
        if (existing.state === 'requested')
          await trx
            .updateTable('chat_participants')
            .set({ state: 'active' })
            .where('chat_id', '=', existing.chatId)
            .where('user_id', '=', actor.id)
            .execute();
        const { messageId } = await postMessage({ ...ctx, db: trx }, actor, existing.chatId, message);
        return { conversationId: existing.chatId, messageId, created: false };
      });
  }

  const limits = await getChatLimits(ctx);
  const timer =
    limits.maxTimerSeconds === null
      ? conversationDefaultTimer
      : Math.min(conversationDefaultTimer, limits.maxTimerSeconds);
  const accepted = await acceptedPartners(ctx.db, actor.id, recipients);
  const chatId = newId();
  return inTransaction(ctx.db, async (trx) => {
    await trx
      .insertInto('chats')
      .values({
        id: chatId,
        kind: 'conversation',
        group_id: null,
        name: null,
        timer_seconds: timer,
        last_seq: 0,
        purged_seq: 0,
        archived_at: null,
        created_at: ctx.now,
        last_message_at: null,
      })
      .execute();
    await trx
      .insertInto('chat_participants')
      .values([
        { chat_id: chatId, user_id: actor.id, state: 'active', joined_at: ctx.now },
        ...recipients.map((id) => ({
          chat_id: chatId,
          user_id: id,
          state: (accepted.has(id) ? 'active' : 'requested') as ParticipantState,
          joined_at: ctx.now,
        })),
      ])
      .execute();
    const { messageId } = await postMessage({ ...ctx, db: trx }, actor, chatId, message);
    return { conversationId: chatId, messageId, created: true };
  });
}

/**
 * The conversation that names exactly these two (one who declined still counts: writing again to
 * them goes where they declined, and asks nothing of them), where `a` is still in; the newest.
 */
async function conversationOfTwo(
  db: DbOrTx,
  a: string,
  b: string,
): Promise<{ chatId: string; state: ParticipantState } | undefined> {
  const candidates = await db
    .selectFrom('chat_participants as p')
    .innerJoin('chats as c', 'c.id', 'p.chat_id')
    .select(['p.chat_id as chatId', 'p.state as state'])
    .where('p.user_id', '=', a)
    .where('c.kind', '=', 'conversation')
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('chat_participants as q')
            .select('q.user_id')
            .whereRef('q.chat_id', '=', 'p.chat_id')
            .where('q.user_id', '=', b),
        ),
        eb.exists(
          eb
            .selectFrom('chat_declines as d')
            .select('d.user_id')
            .whereRef('d.chat_id', '=', 'p.chat_id')
            .where('d.user_id', '=', b),
        ),
      ]),
    )
    .orderBy(sql`coalesce(c.last_message_at, c.created_at)`, 'desc')
    .orderBy('c.id', 'desc')
    .execute();
  if (candidates.length === 0) return undefined;
  const ids = candidates.map((c) => c.chatId);
  const [inside, declined] = await Promise.all([
    db
      .selectFrom('chat_participants')
      .select(['chat_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('chat_id', 'in', ids)
      .groupBy('chat_id')
      .execute(),
    db
      .selectFrom('chat_declines')
      .select(['chat_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('chat_id', 'in', ids)
      .groupBy('chat_id')
      .execute(),
  ]);
  const count = new Map<string, number>();
  for (const r of [...inside, ...declined]) count.set(r.chat_id, (count.get(r.chat_id) ?? 0) + Number(r.n));
  return candidates.find((c) => count.get(c.chatId) === 2);
}

/** Of these people, those already in a conversation with `userId` where both took part. */
async function acceptedPartners(db: DbOrTx, userId: string, others: string[]): Promise<Set<string>> {
  if (others.length === 0) return new Set();
  const rows = await db
    .selectFrom('chat_participants as mine')
    .innerJoin('chat_participants as theirs', 'theirs.chat_id', 'mine.chat_id')
    .innerJoin('chats as c', 'c.id', 'mine.chat_id')
    .select('theirs.user_id')
    .distinct()
    .where('c.kind', '=', 'conversation')
    .where('mine.user_id', '=', userId)
    .where('mine.state', '=', 'active')
    .where('theirs.state', '=', 'active')
    .where('theirs.user_id', 'in', others)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

/**
 * The change number of a conversation's first message: `startConversation` posts it in the
 * transaction that makes the conversation, so it is always the first change.
 */
const firstPosition = 1;

/**
 * Each conversation's first message: who wrote it, and its words while they are still served.
 * Only the message it began with: once that one is unsent or gone, a later message (perhaps by
 * someone else) is not taken for it, and nothing is known of it.
 */
async function firstMessages(ctx: ServiceContext, chatIds: string[]) {
  if (chatIds.length === 0) return new Map<string, { authorId: string | null; body: string | null }>();
  const rows = await ctx.db
    .selectFrom('chat_messages as m')
    .select(['m.chat_id', 'm.author_id', 'm.body', 'm.expires_at'])
    .where('m.chat_id', 'in', chatIds)
    .where('m.kind', '=', 'message')
    .where('m.posted_seq', '=', firstPosition)
    .execute();
  return new Map(
    rows.map((r) => [
      r.chat_id,
      {
        authorId: r.author_id,
        body: r.expires_at !== null && Number(r.expires_at) <= ctx.now ? null : r.body,
      },
    ]),
  );
}

/**
 * Who began a conversation: its first message's author; or else, when the reader was asked by
 * exactly one other person taking part, that person. With several and the first message gone
 * nobody can say, and a guess could name (and have the reader block) someone who did not write.
 */
async function starterOf(ctx: ServiceContext, chatId: string, reader: string): Promise<string | null> {
  const first = (await firstMessages(ctx, [chatId])).get(chatId);
  if (first?.authorId && first.authorId !== reader) return first.authorId;
  const rows = await ctx.db
    .selectFrom('chat_participants')
    .select('user_id')
    .where('chat_id', '=', chatId)
    .where('state', '=', 'active')
    .where('user_id', '!=', reader)
    .limit(2)
    .execute();
  return rows.length === 1 ? rows[0]!.user_id : null;
}

const requestsShown = 100;

/**
 * The conversations the actor is asked to accept, newest first, each with who began it and the
 * first words (the request is addressed to them: they may read it before deciding). A request from
 * someone in a block with them, or whose account is frozen, is not shown.
 */
export async function listRequests(ctx: ServiceContext, actor: Member): Promise<ConversationRequest[]> {
  const waiting = await ctx.db
    .selectFrom('chat_participants')
    .select('chat_id')
    .where('user_id', '=', actor.id)
    .where('state', '=', 'requested')
    .limit(1)
    .execute();
  if (waiting.length === 0) return [];
  const activity = sql<number>`coalesce(c.last_message_at, c.created_at)`;
  const rows = await ctx.db
    .selectFrom('chat_participants as p')
    .innerJoin('chats as c', 'c.id', 'p.chat_id')
    .select(['c.id', activity.as('at')])
    .where('p.user_id', '=', actor.id)
    .where('p.state', '=', 'requested')
    .where('c.kind', '=', 'conversation')
    .orderBy(activity, 'desc')
    .orderBy('c.id', 'desc')
    .limit(requestsShown)
    .execute();
  const ids = rows.map((r) => r.id);
  const [firsts, people] = await Promise.all([firstMessages(ctx, ids), shownParticipants(ctx.db, ids)]);
  const starters = new Map<string, string | null>();
  for (const id of ids) {
    const author = firsts.get(id)?.authorId ?? null;
    starters.set(id, author ?? (await starterOf(ctx, id, actor.id)));
  }
  const blocked = await blockedAmong(
    ctx.db,
    actor.id,
    [...starters.values()].filter((s): s is string => s !== null),
  );
  const out: ConversationRequest[] = [];
  for (const row of rows) {
    const others = (people.get(row.id) ?? []).filter((p) => p.userId !== actor.id);
    const starterId = starters.get(row.id) ?? null;
    const starter = others.find((p) => p.userId === starterId);
    // Frozen accounts are not among those shown; a block withholds the request altogether.
    if (starterId && (blocked.has(starterId) || isBlockedBetween(actor, starterId) || !starter)) continue;
    const body = firsts.get(row.id)?.body ?? null;
    out.push({
      id: row.id,
      from: starter ? { id: starter.userId, username: starter.username } : null,
      participants: others.map((p) => ({ id: p.userId, username: p.username })),
      excerpt: body === null ? null : messageExcerpt(body),
      receivedAt: Number(row.at),
    });
  }
  return out;
}

/** A request the actor may answer, or 404: it is theirs alone to see as a request. */
async function loadRequest(ctx: ServiceContext, actor: Member, chatId: string) {
  const loaded = await loadReadableChat(ctx, actor, chatId);
  if (!canAnswerRequest(actor, loaded.access)) throw notFound();
  return loaded;
}

/** Accepting: the actor takes part from now on, and reads what was written. */
export async function acceptRequest(ctx: ServiceContext, actor: Member, chatId: string): Promise<ConversationSummary> {
  await loadRequest(ctx, actor, chatId);
  await ctx.db
    .updateTable('chat_participants')
    .set({ state: 'active' })
    .where('chat_id', '=', chatId)
    .where('user_id', '=', actor.id)
    .where('state', '=', 'requested')
    .execute();
  return getConversation(ctx, actor, chatId);
}

/**
 * Declining takes the actor out of the conversation. Nobody is told: the others' view does not
 * change (the actor is still named there, as someone who has not answered), and what they write
 * reaches nobody. With `block`, the one who began it is blocked too, and both their live
 * connections are checked again.
 */
export async function declineRequest(
  ctx: ServiceContext,
  actor: Member,
  chatId: string,
  input: { block?: boolean | undefined } = {},
): Promise<void> {
  await loadRequest(ctx, actor, chatId);
  const starter = input.block ? await starterOf(ctx, chatId, actor.id) : null;
  const deleted = await inTransaction(ctx.db, async (trx) => {
    await takeOut(trx, chatId, actor.id, { declined: true });
    if (starter) {
      await addRelation({ ...ctx, db: trx }, actor, 'block', { userId: starter });
      announceRecheck({ db: trx, signals: ctx.signals }, { userIds: [actor.id, starter] });
    } else announceRecheck({ db: trx, signals: ctx.signals }, { userIds: [actor.id] });
    return deleteIfNobodyLeft({ ...ctx, db: trx }, chatId);
  });
  if (deleted) await checkpointAfterErasure(ctx);
}

/**
 * Leaving is final. Someone asked who never accepted leaves as by declining (nobody is told).
 * The last one out deletes the conversation, its messages with it; the words are then overwritten
 * on SQLite once the deletion commits (ADR 0021).
 */
export async function leaveConversation(
  ctx: ServiceContext,
  actor: Member,
  chatId: string,
): Promise<{ deleted: boolean }> {
  const { access } = await loadReadableChat(ctx, actor, chatId);
  if (!canLeaveConversation(actor, access) || access.kind !== 'conversation') throw notFound();
  const declined = access.participation === 'requested';
  const deleted = await inTransaction(ctx.db, async (trx) => {
    await takeOut(trx, chatId, actor.id, { declined });
    announceRecheck({ db: trx, signals: ctx.signals }, { userIds: [actor.id] });
    return deleteIfNobodyLeft({ ...ctx, db: trx }, chatId);
  });
  if (deleted) await checkpointAfterErasure(ctx);
  return { deleted };
}

async function takeOut(db: DbOrTx, chatId: string, userId: string, options: { declined: boolean }) {
  await db.deleteFrom('chat_participants').where('chat_id', '=', chatId).where('user_id', '=', userId).execute();
  await db.deleteFrom('chat_reads').where('chat_id', '=', chatId).where('user_id', '=', userId).execute();
  if (options.declined)
    await db
      .insertInto('chat_declines')
      .values({ chat_id: chatId, user_id: userId })
      .onConflict((oc) => oc.columns(['chat_id', 'user_id']).doNothing())
      .execute();
}

/**
 * Once nobody who took part is left (those only asked never did), the conversation goes: its
 * messages, reactions and places by cascade, its words out of the search index, and notifications
 * about its messages. The ones still asked are checked again, so their live connections drop it.
 */
async function deleteIfNobodyLeft(ctx: ServiceContext, chatId: string): Promise<boolean> {
  const left = await ctx.db
    .selectFrom('chat_participants')
    .select(['user_id', 'state'])
    .where('chat_id', '=', chatId)
    .execute();
  if (left.some((p) => p.state === 'active')) return false;
  const messageIds = (
    await ctx.db.selectFrom('chat_messages').select('id').where('chat_id', '=', chatId).execute()
  ).map((m) => m.id);
  for (let i = 0; i < messageIds.length; i += 500) {
    const slice = messageIds.slice(i, i + 500);
    const indexed = await ctx.db
      .selectFrom('search_documents')
      .select(['kind', 'ref_id'])
      .where('ref_id', 'in', slice)
      .execute();
    for (const doc of indexed) await removeDocument(ctx, doc.kind, doc.ref_id);
    await forgetNotificationsAbout(ctx.db, slice);
  }
  await ctx.db.deleteFrom('chats').where('id', '=', chatId).execute();
  if (left.length) announceRecheck(ctx, { userIds: left.map((p) => p.user_id) });
  return true;
}

/** One conversation as its participant (or someone asked) sees it; 404 for anyone else, administrators included. */
export async function getConversation(
  ctx: ServiceContext,
  actor: Member,
  chatId: string,
): Promise<ConversationSummary> {
  const { chat, access } = await loadReadableChat(ctx, actor, chatId);
  if (access.kind !== 'conversation' || access.participation === null) throw notFound();
  const [summary] = await summaries(ctx, actor, [
    {
      id: chat.id,
      state: access.participation,
      timer: chat.timer_seconds,
      lastMessageAt: chat.last_message_at === null ? null : Number(chat.last_message_at),
    },
  ]);
  return summary!;
}

async function summaries(
  ctx: ServiceContext,
  actor: Member,
  rows: { id: string; state: ParticipantState; timer: number | null; lastMessageAt: number | null }[],
): Promise<ConversationSummary[]> {
  const ids = rows.map((r) => r.id);
  const [people, unread] = await Promise.all([shownParticipants(ctx.db, ids), unreadCounts(ctx, actor, ids)]);
  return rows.map((r) => ({
    id: r.id,
    participants: (people.get(r.id) ?? [])
      .filter((p) => p.userId !== actor.id)
      .map((p) => ({ id: p.userId, username: p.username })),
    state: r.state,
    timer: r.timer === null ? null : Number(r.timer),
    unread: unread.get(r.id)?.count ?? 0,
    firstUnreadPosition: unread.get(r.id)?.firstUnreadPosition ?? null,
    lastMessageAt: r.lastMessageAt,
  }));
}

export const conversationsPage = 50;

/** The conversations the actor takes part in, newest activity first, by keyset (`after` a cursor). */
export async function listConversations(
  ctx: ServiceContext,
  actor: Member,
  options: { after?: string | undefined; limit?: number } = {},
): Promise<{ conversations: ConversationSummary[]; next: string | null }> {
  const limit = options.limit ?? conversationsPage;
  const activity = sql<number>`coalesce(c.last_message_at, c.created_at)`;
  let query = ctx.db
    .selectFrom('chat_participants as p')
    .innerJoin('chats as c', 'c.id', 'p.chat_id')
    .select(['c.id', 'c.timer_seconds', 'c.last_message_at', 'p.state', activity.as('at')])
    .where('p.user_id', '=', actor.id)
    .where('p.state', '=', 'active')
    .where('c.kind', '=', 'conversation');
  const key = decodeCursor(options.after);
  if (key) query = query.where(afterKeyset({ at: activity, id: 'c.id' }, key, { at: 'desc', id: 'desc' }));
  const rows = await query
    .orderBy(activity, 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    conversations: await summaries(
      ctx,
      actor,
      page.map((r) => ({
        id: r.id,
        state: r.state,
        timer: r.timer_seconds,
        lastMessageAt: r.last_message_at === null ? null : Number(r.last_message_at),
      })),
    ),
    next: rows.length > limit && last ? encodeCursor(Number(last.at), last.id) : null,
  };
}

/** Who may start a conversation with the actor. */
export async function getMessagingPolicy(ctx: ServiceContext, actor: Member): Promise<MessagingPolicy> {
  const row = await ctx.db.selectFrom('users').select('messaging').where('id', '=', actor.id).executeTakeFirst();
  return row?.messaging ?? 'shared_group';
}

export async function setMessagingPolicy(
  ctx: ServiceContext,
  actor: Member,
  policy: string | undefined,
): Promise<MessagingPolicy> {
  if (!isMessagingPolicy(policy))
    throw invalid([{ field: 'messaging', message: 'chat.conversations.messagingRequired' }]);
  await ctx.db.updateTable('users').set({ messaging: policy }).where('id', '=', actor.id).execute();
  return policy;
}

/** The partners of an account's private conversations active in the 30 days before `now`. */
export async function recentPartnersOf(db: DbOrTx, userId: string, now: number): Promise<string[]> {
  const rows = await db
    .selectFrom('chat_participants as mine')
    .innerJoin('chats as c', 'c.id', 'mine.chat_id')
    .innerJoin('chat_participants as theirs', 'theirs.chat_id', 'mine.chat_id')
    .select('theirs.user_id')
    .distinct()
    .where('mine.user_id', '=', userId)
    .where('c.kind', '=', 'conversation')
    .where(sql<number>`coalesce(c.last_message_at, c.created_at)`, '>=', now - monthMs)
    .where('theirs.user_id', '!=', userId)
    .execute();
  return rows.map((r) => r.user_id);
}

/**
 * Account deletion (inside its transaction): the account leaves every conversation, and those it was
 * the last one in go with it, other participants' words included, as when the last one leaves.
 */
export async function leaveEveryConversation(ctx: ServiceContext, userId: string): Promise<void> {
  const chats = await ctx.db
    .selectFrom('chat_participants as p')
    .innerJoin('chats as c', 'c.id', 'p.chat_id')
    .select('p.chat_id')
    .where('p.user_id', '=', userId)
    .where('c.kind', '=', 'conversation')
    .execute();
  for (const { chat_id } of chats) {
    await takeOut(ctx.db, chat_id, userId, { declined: false });
    await deleteIfNobodyLeft(ctx, chat_id);
  }
}
