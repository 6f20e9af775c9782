import type { ServiceContext } from '../../app-context.js';
import type {
  NotificationKindDefinition,
  RenderedNotification,
  StoredNotification,
} from '../../platform/notification-kinds.js';
import type { Member } from '../../security/actor.js';
import { hasMuted, isBlockedBetween } from '../../security/blocks.js';
import { canReadChat } from './policy.js';
import { accessOf, type ChatRow, type LoadedChat } from './queries.js';
import { chatAuthorRef } from './services/post.js';

/**
 * A mention in chat (ADR 0065), about one message (its subject) with `{ chatId }` (and a room's
 * `groupId`) as context. Shown only while the reader may read the chat and the message is still
 * there: not expired, not unsent, not written by someone in a block with the reader. It names the
 * room and its group, never the message's words or its author; a private conversation not even by its people.
 */
async function renderMentions(
  ctx: ServiceContext,
  reader: Member,
  items: StoredNotification[],
): Promise<Map<string, RenderedNotification | null>> {
  const out = new Map<string, RenderedNotification | null>(items.map((n) => [n.id, null]));
  const messageIds = [...new Set(items.flatMap((n) => (n.subjectId ? [n.subjectId] : [])))];
  if (messageIds.length === 0) return out;
  const messages = await ctx.db
    .selectFrom('chat_messages')
    .select(['id', 'chat_id', 'kind', 'author_id', 'anonymous', 'author_ref', 'expires_at'])
    .where('id', 'in', messageIds)
    .where('kind', '=', 'message')
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', ctx.now)]))
    .execute();
  const chatIds = [...new Set(messages.map((m) => m.chat_id))];
  const chats = chatIds.length
    ? ((await ctx.db.selectFrom('chats').selectAll().where('id', 'in', chatIds).execute()) as ChatRow[])
    : [];
  const readable = new Map<string, LoadedChat>();
  for (const chat of chats) {
    const loaded = await accessOf(ctx, reader, chat).catch(() => null);
    if (loaded && canReadChat(reader, loaded.access)) readable.set(chat.id, loaded);
  }
  const byId = new Map(messages.map((m) => [m.id, m]));
  for (const n of items) {
    const message = n.subjectId ? byId.get(n.subjectId) : undefined;
    const loaded = message ? readable.get(message.chat_id) : undefined;
    if (!message || !loaded) continue;
    const { chat, group } = loaded;
    if (isBlockedBetween(reader, message.author_id) || hasMuted(reader, message.author_id)) continue;
    // The author of an anonymous message who named themself: told like everyone named, never shown it.
    if (message.anonymous === 1 && message.author_ref === chatAuthorRef(ctx.keys, chat.id, reader.id)) continue;
    out.set(n.id, {
      message:
        chat.kind === 'conversation'
          ? { key: 'chat.messages.notification.mentionConversation', values: {} }
          : group
            ? {
                key: 'chat.messages.notification.mention',
                values: {},
                names: { room: chat.name ?? '', group: group.name },
              }
            : { key: 'chat.messages.notification.mentionInstanceRoom', values: {}, names: { room: chat.name ?? '' } },
      href: `/messages/${message.id}`,
    });
  }
  return out;
}

/** The notification kinds chat emits (it owns their words: `chat.messages.notification.*`). */
export const chatNotificationKinds: NotificationKindDefinition[] = [
  { kind: 'chat_mention', labelKey: 'chat.messages.notification.label.mention', render: renderMentions },
];
