import type { ServiceContext } from '../../../app-context.js';
import { leaveEveryConversation } from './conversations.js';
import { forgetNotificationsAbout } from '../../notifications/public.js';
import { unindexMessages } from '../search.js';
import { chatAuthorRef } from './post.js';

/**
 * Account deletion (runs in its transaction): named messages, reactions, places and participations
 * go by cascade; anonymous messages name no account, so they are recognised by recomputing their
 * keyed hash in each chat that has any, and deleted with their words.
 */
export async function eraseChatOf(ctx: ServiceContext, userId: string): Promise<void> {
  // Private conversations it was the last one in go with it (ADR 0063).
  await leaveEveryConversation(ctx, userId);
  const anonymous = await ctx.db
    .selectFrom('chat_messages')
    .select(['id', 'chat_id', 'author_ref'])
    .where('anonymous', '=', 1)
    .where('author_ref', 'is not', null)
    .execute();
  const refs = new Map<string, string>();
  const own = anonymous.filter((m) => {
    let ref = refs.get(m.chat_id);
    if (ref === undefined) {
      ref = chatAuthorRef(ctx.keys, m.chat_id, userId);
      refs.set(m.chat_id, ref);
    }
    return m.author_ref === ref;
  });
  // Their named messages go by cascade with the account: their words leave the index here, with the
  // notices about them and about the anonymous ones (ADR 0065).
  const named = await ctx.db.selectFrom('chat_messages').select('id').where('author_id', '=', userId).execute();
  const gone = [...named.map((m) => m.id), ...own.map((m) => m.id)];
  await unindexMessages(ctx, gone);
  for (let i = 0; i < gone.length; i += 500) await forgetNotificationsAbout(ctx.db, gone.slice(i, i + 500));
  for (let i = 0; i < own.length; i += 500)
    await ctx.db
      .deleteFrom('chat_messages')
      .where(
        'id',
        'in',
        own.slice(i, i + 500).map((m) => m.id),
      )
      .execute();
}
