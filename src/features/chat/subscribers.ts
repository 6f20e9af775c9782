import type { EventSubscriber } from '../../events/types.js';
import { blockedAmong } from '../../security/blocks.js';
import { notify } from '../notifications/public.js';
import { chatReadersNow } from './mentions.js';
import { findChat } from './queries.js';

/**
 * Tells the people a chat message names (ADR 0065), after the message's transaction committed:
 * a reference to the message only, never its words or who wrote it (ADR 0030). Who may read the
 * chat, and whether the message is still there, is asked again now and once more when it is read.
 */
export const chatSubscribers: EventSubscriber[] = [
  {
    name: 'notify-mentioned-in-chat',
    events: ['chat.message_posted'],
    async handle(ctx, event) {
      if (event.type !== 'chat.message_posted') return;
      const { chatId, messageId, mentionedUserIds } = event.payload;
      if (mentionedUserIds.length === 0) return;
      // Unsent or expired in between: it tells nobody, and leaves no row about it.
      const message = await ctx.db
        .selectFrom('chat_messages')
        .select(['kind', 'author_id', 'expires_at'])
        .where('id', '=', messageId)
        .executeTakeFirst();
      const chat = await findChat(ctx.db, chatId);
      if (!message || !chat || message.kind !== 'message') return;
      if (message.expires_at !== null && Number(message.expires_at) <= ctx.now) return;
      const named = await ctx.db
        .selectFrom('users')
        .select(['id', 'username', 'role'])
        .where('id', 'in', mentionedUserIds)
        .where('frozen_at', 'is', null)
        .execute();
      const readers = await chatReadersNow(ctx, chat, named);
      // A block made since holds too, for a named author (an anonymous one names nobody: ADR 0052).
      const blocked = message.author_id ? await blockedAmong(ctx.db, message.author_id, readers) : new Set<string>();
      await notify(ctx.db, {
        userIds: readers.filter((id) => !blocked.has(id)),
        kind: 'chat_mention',
        subjectId: messageId,
        context: chat.group_id ? { chatId, groupId: chat.group_id } : { chatId },
        now: event.occurredAt,
      });
    },
  },
];
