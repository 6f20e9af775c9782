import type { ServiceContext } from '../../../app-context.js';
import type { ChatKind } from '../../../db/schema-chat.js';
import { notFound } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import {
  canAnswerRequest,
  canEditMessage,
  canManageRooms,
  canModerateChat,
  canPostAnonymouslyInChat,
  canPostInChat,
  canReactInChat,
  canSetTimer,
  canUnsendMessage,
  type ChatAccess,
} from '../policy.js';
import { loadChatOfKind, loadReadableChat } from '../queries.js';
import { chatLimits, type MessageJson } from '../schemas.js';
import { getChatLimits } from './limits.js';
import type { MessageRow } from './model.js';
import { participantsOf } from './participants.js';
import { markRead } from './post.js';
import { findLiveMessage, historyPage, loadDetails, presentMessage, type Reader } from './read.js';
import { unreadCounts } from './unread.js';
import { messageColumns } from './model.js';

/**
 * The chat page (ADR 0064), the same for rooms and private conversations: a page of the
 * transcript, oldest first, what the reader may do with each message, the timer in force, where the
 * unread messages begin, and the reader's place moved forward once the page is read.
 */

/** A message as the page shows it: what the reader receives, and what they may do with it. */
export type ChatMessageView = MessageJson & { canEdit: boolean; canUnsend: boolean };

export interface ChatPage {
  chat: { id: string; kind: ChatKind; name: string | null; archived: boolean; lastSeq: number };
  /** A room's group, for its heading; null for instance rooms and conversations. */
  group: { id: string; name: string } | null;
  /** A conversation's other people, by name; empty for rooms. */
  /**
   * The other participants, all alike: whether each accepted, declined or has not answered yet is
   * never shown, so a sender cannot tell one from another (ADR 0063).
   */
  others: { username: string }[];
  /** The instance's longest timer, which the timer form offers up to; null: none. */
  maxTimer: number | null;
  /** Seconds after which a message posted now disappears (the chat's timer and the instance's limits); null: never. */
  timerInForce: number | null;
  /** The chat's own timer, when the instance's limits shorten it. */
  chatTimer: number | null;
  messages: ChatMessageView[];
  /** `before` of the page of older messages; null at the beginning. */
  olderBefore: number | null;
  /** `from` of the page of newer messages, on a page that is not the latest; null on the latest. */
  newerFrom: number | null;
  /** The latest page: the one that is live and moves the reader's place. */
  latest: boolean;
  /** Where the unread messages began when the page was opened, and how many there were. */
  unread: { count: number; firstPosition: number | null };
  /** The message being answered, when the composer was opened with `?reply=`. */
  replyTo: ChatMessageView | null;
  /** Why a reader who may not write cannot: not a member of the room's group, or writing paused (a mute, a freeze). */
  cannotPost: 'members_only' | 'paused' | null;
  can: {
    post: boolean;
    postAnonymously: boolean;
    react: boolean;
    answerRequest: boolean;
    manage: boolean;
    setTimer: boolean;
    /** Unsend anyone's message (a room's moderators). */
    moderate: boolean;
  };
}

/** Which page: the latest, the one before a position, or the one starting at a position (the first unread). */
export interface ChatPageRequest {
  before?: number | undefined;
  from?: number | undefined;
  reply?: string | undefined;
}

/** The messages posted from a position on, oldest first: the page a "first unread" link opens. */
async function pageFrom(ctx: ServiceContext, chatId: string, from: number) {
  const rows = (await ctx.db
    .selectFrom('chat_messages')
    .select(messageColumns)
    .where('chat_id', '=', chatId)
    .where('kind', '!=', 'unsent')
    .where('posted_seq', '>=', from)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', ctx.now)]))
    .orderBy('posted_seq')
    .limit(chatLimits.historyPage + 1)
    .execute()) as MessageRow[];
  const more = rows.length > chatLimits.historyPage;
  const page = rows.slice(0, chatLimits.historyPage);
  const older = (await historyPage(ctx, chatId, from, 1)).rows.length > 0;
  return {
    rows: page,
    olderBefore: older && page.length ? Number(page[0]!.posted_seq) : null,
    newerFrom: more ? Number(rows[chatLimits.historyPage]!.posted_seq) : null,
  };
}

/** The shortest of the chat's timer and the instance's longest timer and retention; null: messages stay. */
export function timerInForce(
  timer: number | null,
  limits: { maxTimerSeconds: number | null; retentionDays: number | null },
): number | null {
  const candidates = [
    timer,
    limits.maxTimerSeconds,
    limits.retentionDays === null ? null : limits.retentionDays * 86_400,
  ];
  const set = candidates.filter((s): s is number => s !== null);
  return set.length ? Math.min(...set) : null;
}

export function messageAbilities(actor: Member, access: ChatAccess, message: MessageJson) {
  const facts = { mine: message.mine, kind: message.kind };
  return { canEdit: canEditMessage(actor, access, facts), canUnsend: canUnsendMessage(actor, access, facts) };
}

export async function openChatPage(
  ctx: ServiceContext,
  actor: Member,
  chatId: string,
  input: ChatPageRequest & { kind: ChatKind; pseudonymName: Reader['pseudonymName'] },
): Promise<ChatPage> {
  const { chat, access, group } = await loadChatOfKind(ctx, actor, chatId, input.kind);
  const latest = input.before === undefined && input.from === undefined;
  const page =
    input.from !== undefined
      ? await pageFrom(ctx, chatId, input.from)
      : { ...(await historyPage(ctx, chatId, input.before ?? null)), newerFrom: null };
  // An older page has newer messages after it: the latest page is one link away.
  const newerFrom =
    input.before !== undefined && page.rows.length ? Number(page.rows.at(-1)!.posted_seq) + 1 : page.newerFrom;
  const replyRow = input.reply ? await findLiveMessage(ctx.db, ctx.now, input.reply) : undefined;
  const reply = replyRow && replyRow.chat_id === chatId && replyRow.kind === 'message' ? replyRow : undefined;
  const details = await loadDetails(ctx, reply ? [...page.rows, reply] : page.rows);
  const reader: Reader = { actor, keys: ctx.keys, pseudonymName: input.pseudonymName };
  const view = (row: MessageRow): ChatMessageView => {
    const message = presentMessage(details, row, reader);
    return { ...message, ...messageAbilities(actor, access, message) };
  };
  const [unread, limits, participants] = await Promise.all([
    unreadCounts(ctx, actor, [chatId]),
    getChatLimits(ctx),
    chat.kind === 'conversation' ? participantsOf(ctx, chatId) : Promise.resolve([]),
  ]);
  const mine = unread.get(chatId);
  // Read once seen: the latest page moves the reader's place to the chat's last change, a page from
  // the first unread to its last message. Older pages move nothing.
  const lastSeq = Number(chat.last_seq);
  if (latest && lastSeq > 0) await markRead(ctx.db, chatId, actor.id, lastSeq);
  else if (input.from !== undefined && page.rows.length)
    await markRead(ctx.db, chatId, actor.id, Number(page.rows.at(-1)!.posted_seq));
  const inForce = timerInForce(chat.timer_seconds, limits);
  const replyView = reply ? view(reply) : null;
  return {
    chat: { id: chat.id, kind: chat.kind, name: chat.name, archived: chat.archived_at !== null, lastSeq },
    group,
    others: participants.filter((p) => p.userId !== actor.id).map((p) => ({ username: p.username })),
    maxTimer: limits.maxTimerSeconds,
    timerInForce: inForce,
    chatTimer: chat.timer_seconds,
    messages: page.rows.map(view),
    olderBefore: page.olderBefore,
    newerFrom: latest ? null : newerFrom,
    latest,
    unread: {
      count: mine?.count ?? 0,
      firstPosition: input.from ?? mine?.firstUnreadPosition ?? null,
    },
    replyTo: replyView && !replyView.withheld ? replyView : null,
    cannotPost: canPostInChat(actor, access)
      ? null
      : access.kind === 'room' && access.group !== null && access.group.viewer.membership === null
        ? 'members_only'
        : 'paused',
    can: {
      post: canPostInChat(actor, access),
      postAnonymously: canPostAnonymouslyInChat(actor, access),
      react: canReactInChat(actor, access),
      answerRequest: canAnswerRequest(actor, access),
      manage: access.kind === 'room' && canManageRooms(actor, access.group),
      setTimer: canSetTimer(actor, access),
      moderate: canModerateChat(actor, access),
    },
  };
}

/** A message the actor may edit, as its edit page shows it (404 for anyone else, as a missing page). */
export async function messageToEdit(
  ctx: ServiceContext,
  actor: Member,
  messageId: string,
  pseudonymName: Reader['pseudonymName'],
): Promise<{ message: ChatMessageView; chatKind: ChatKind }> {
  const found = await messageInReadableChat(ctx, actor, messageId, pseudonymName);
  if (!found.message.canEdit) throw notFound();
  return found;
}

/** A message in a chat the actor may read, presented to them, or 404. */
export async function messageInReadableChat(
  ctx: ServiceContext,
  actor: Member,
  messageId: string,
  pseudonymName: Reader['pseudonymName'],
): Promise<{ message: ChatMessageView; chatKind: ChatKind }> {
  const row = await findLiveMessage(ctx.db, ctx.now, messageId);
  if (!row) throw notFound();
  const { chat, access } = await loadReadableChat(ctx, actor, row.chat_id);
  const details = await loadDetails(ctx, [row]);
  const message = presentMessage(details, row, { actor, keys: ctx.keys, pseudonymName });
  return { message: { ...message, ...messageAbilities(actor, access, message) }, chatKind: chat.kind };
}

/** Where a message, or a chat, is read: `/rooms/{id}` or `/conversations/{id}`. */
export async function chatAddress(ctx: ServiceContext, chatId: string, messageId?: string): Promise<string> {
  const chat = await ctx.db.selectFrom('chats').select('kind').where('id', '=', chatId).executeTakeFirst();
  const base = chat?.kind === 'conversation' ? `/conversations/${chatId}` : `/rooms/${chatId}`;
  return messageId ? `${base}#m-${messageId}` : base;
}
