import { unindexMessages } from '../search.js';
import { forgetNotificationsAbout } from '../../notifications/public.js';
import type { ExpressionBuilder, ExpressionWrapper, SqlBool } from 'kysely';
import type { ServiceContext } from '../../../app-context.js';
import { checkpointAfterErasure, inTransaction } from '../../../db/database.js';
import type { Database } from '../../../db/schema.js';
import { getChatLimits } from './limits.js';

/**
 * The purge (ADR 0062), run every 30 seconds by the `chat.purge` job: every read already leaves
 * expired messages out; this takes them out of the database. It deletes, in batches of
 * `purgeBatch` rows, each batch in a transaction of its own so a backlog never holds one giant
 * transaction:
 * - messages and timer events whose `expires_at` has passed (their reactions by cascade), their
 *   search documents and the mention notifications about them;
 * - tombstones of unsent messages a day after they were unsent, raising the chat's `purged_seq` to
 *   the highest change number removed, so a client resuming from before it reloads instead;
 * - with an instance retention, messages without an expiry older than it (those posted before the
 *   retention was set and not yet brought within it).
 * Then, on SQLite, the write-ahead log is checkpointed and truncated (ADR 0021), so the words are
 * in no database file. Idempotent: a run cut short is finished by the next.
 */

export const purgeBatch = 500;
/** How long a tombstone stays so that clients hear of the unsend. */
export const tombstoneLifeMs = 86_400_000;

export interface PurgeResult {
  /** Messages and events past their expiry. */
  expired: number;
  tombstones: number;
  /** Messages without expiry past the instance's retention. */
  retained: number;
}

type Condition = (
  eb: ExpressionBuilder<Database, 'chat_messages'>,
) => ExpressionWrapper<Database, 'chat_messages', SqlBool>;

export async function purgeChat(ctx: ServiceContext): Promise<PurgeResult> {
  const now = ctx.now;
  const limits = await getChatLimits(ctx);
  const expired = await purgeWhere(ctx, (eb) =>
    eb.and([eb('expires_at', 'is not', null), eb('expires_at', '<=', now)]),
  );
  // A tombstone's time is when it was unsent (`edited_at`); one without it counts from its posting.
  // Tombstones name no author: the author index narrows the search to rows without one.
  const tombstones = await purgeWhere(ctx, (eb) =>
    eb.and([
      eb('author_id', 'is', null),
      eb('kind', '=', 'unsent'),
      eb(eb.fn.coalesce('edited_at', 'created_at'), '<=', now - tombstoneLifeMs),
    ]),
  );
  const retentionDays = limits.retentionDays;
  const retained =
    retentionDays === null
      ? 0
      : await purgeWhere(ctx, (eb) =>
          eb.and([eb('expires_at', 'is', null), eb('created_at', '<=', now - retentionDays * 86_400_000)]),
        );
  if (expired + tombstones + retained > 0) await checkpointAfterErasure(ctx);
  return { expired, tombstones, retained };
}

/** Deletes every message matching `condition`, a batch per transaction; how many went. */
async function purgeWhere(ctx: ServiceContext, condition: Condition): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await ctx.db
      .selectFrom('chat_messages')
      .select(['id', 'chat_id', 'kind', 'changed_seq'])
      .where(condition)
      .limit(purgeBatch)
      .execute();
    if (rows.length === 0) break;
    await inTransaction(ctx.db, async (trx) => {
      const ids = rows.map((r) => r.id);
      await unindexMessages({ db: trx, engine: ctx.engine }, ids);
      await forgetNotificationsAbout(trx, ids);
      await trx.deleteFrom('chat_messages').where('id', 'in', ids).where(condition).execute();
      const purged = new Map<string, number>();
      for (const r of rows)
        if (r.kind === 'unsent') purged.set(r.chat_id, Math.max(purged.get(r.chat_id) ?? 0, Number(r.changed_seq)));
      for (const [chatId, seq] of purged)
        await trx
          .updateTable('chats')
          .set({ purged_seq: seq })
          .where('id', '=', chatId)
          .where('purged_seq', '<', seq)
          .execute();
    });
    total += rows.length;
    if (rows.length < purgeBatch) break;
  }
  return total;
}
