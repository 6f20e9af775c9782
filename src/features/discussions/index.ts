import type { FeatureModule, SearchDeclaration } from '../../platform/module.js';
import { readableGroupIds } from '../groups/public.js';
import { discussionsNotificationKinds } from './notification-kinds.js';
import { discussionsSubscribers } from './subscribers.js';
import { discussionsJobs } from './jobs.js';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { discussionsRoutes } from './routes.js';
import { countAnonymousReplies, erasePostsOf, withheldSearchResults } from './service.js';

export * from './public.js';

declare module '../../i18n/catalogs.js' {
  interface FeatureCatalogues {
    discussions: typeof en;
  }
}

/** Threads (their titles and opening posts) and replies, found only in groups the member may read now. */
const discussionsSearch: SearchDeclaration = {
  kinds: [
    {
      kind: 'thread',
      labelKey: 'search.kind.thread',
      filterLabelKey: 'search.type.thread',
      href: (id) => `/threads/${id}`,
    },
    { kind: 'post', labelKey: 'search.kind.post', filterLabelKey: 'search.type.post', href: (id) => `/posts/${id}` },
  ],
  scopes: async (ctx, actor) => (await readableGroupIds(ctx.db, actor, ctx.keys.anonymity)).map((id) => `group:${id}`),
  withheld: withheldSearchResults,
};

export default {
  name: 'discussions',
  routes: discussionsRoutes,
  messages: { ar, en },
  search: discussionsSearch,
  // Their words go with them, anonymous ones included, and out of the search index (ADR 0014).
  erases: [
    { table: 'posts', column: 'author_id' },
    { table: 'posts', column: 'author_box' },
    // Keyed hashes of thread and author: recognised, and erased, by recomputing them (ADR 0043).
    { table: 'posts', column: 'author_ref' },
    { table: 'anonymous_subscriptions', column: 'author_ref' },
  ],
  eraseAccount: erasePostsOf,
  notificationKinds: discussionsNotificationKinds,
  // Replies where the member wrote anonymously: counted when asked, never stored for them (ADR 0043).
  computedNotices: [
    {
      name: 'anonymous-replies',
      count: countAnonymousReplies,
      href: '/anonymous-replies',
      labelKey: 'discussions.anonReplies.link',
    },
  ],
  subscribers: discussionsSubscribers,
  // Unposted drafts go after 30 days (ADR 0040); with the account, by cascade.
  jobs: discussionsJobs,
} satisfies FeatureModule;
