import { serviceContext, type AppContext } from '../../app-context.js';
import type { Translate } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import type { FeedBatch, HubFeed } from '../../realtime/hub.js';
import type { Member } from '../../security/actor.js';
import { pseudonymNamer } from './presenters.js';
import { findChat } from './queries.js';
import { changesSince, loadDetails, presentMessage, type Reader } from './service.js';

/** Changes loaded at once for a chat's live subscribers; a longer gap is read in several loads. */
const loadLimit = 500;

export function readerOf(ctx: AppContext, actor: Member, t: Translate, locale: Locale): Reader {
  return { actor, keys: ctx.keys, pseudonymName: pseudonymNamer(t, locale) };
}

/**
 * What the real-time hub (src/realtime/hub.ts) needs of chat: a chat's changes after a number,
 * loaded once (one query for the rows, one for their details) and presented to each reader by the
 * same pure function as the API (`presentMessage`), and which sessions still stand.
 */
export function liveFeed(ctx: AppContext): HubFeed<Reader> {
  return {
    async changes(chatId, since): Promise<FeedBatch<Reader> | 'gone'> {
      const service = serviceContext(ctx);
      const rows = await changesSince(service, chatId, since, loadLimit);
      if (rows.length === 0)
        return (await findChat(ctx.db, chatId)) ? { seqs: [], more: false, present: () => null } : 'gone';
      const details = await loadDetails(service, rows);
      return {
        seqs: rows.map((row) => Number(row.changed_seq)),
        more: rows.length === loadLimit,
        present: (i, reader) => presentMessage(details, rows[i]!, reader),
      };
    },
    async liveSessions(sessionIds) {
      const now = ctx.now();
      const live = new Set<string>();
      // One query per sweep; in slices only so no engine is handed more parameters than it takes.
      for (let i = 0; i < sessionIds.length; i += 5_000) {
        const rows = await ctx.db
          .selectFrom('sessions')
          .innerJoin('users', 'users.id', 'sessions.user_id')
          .select('sessions.id')
          .where('sessions.id', 'in', sessionIds.slice(i, i + 5_000))
          .where('sessions.expires_at', '>', now)
          .where((eb) => eb.or([eb('users.suspended_until', 'is', null), eb('users.suspended_until', '<=', now)]))
          .execute();
        for (const row of rows) live.add(row.id);
      }
      return live;
    },
  };
}
