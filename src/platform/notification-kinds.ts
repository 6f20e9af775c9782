import type { ServiceContext } from '../app-context.js';
import type { Member } from '../security/actor.js';

/**
 * A notification is (kind, subject, context): which kind, the id of the thing it is about, and
 * ids only as context. It never stores words of a post or message, nor who acted. A notification
 * that belongs to a group carries `groupId` in its context, so leaving the group takes it along.
 */
export interface StoredNotification {
  id: string;
  kind: string;
  subjectId: string | null;
  context: Record<string, string>;
  createdAt: number;
  read: boolean;
}

/** What a reader sees of one notification, worked out at read time. */
export interface RenderedNotification {
  /**
   * A catalogue key and its values (counts use ICU plurals, six forms in Arabic). What people
   * wrote (a thread's title, a group's name) goes in `names`, never in `values`: names are shown
   * bidi-isolated (`<bdi>` in pages, FSI … PDI in the API's text), so a name in the other script
   * never reorders the sentence around it (ADR 0035).
   */
  message: { key: string; values: Record<string, string | number>; names?: Record<string, string> };
  /** Where following it leads. */
  href: string;
}

export interface NotificationKindDefinition {
  /** Unique across modules: `reply`, `mention`, `join_request`, … */
  kind: string;
  /** The catalogue key naming the kind on the preferences page. */
  labelKey: string;
  /**
   * A warning the member cannot turn off, because it is their defence: a reset code issued for
   * their account (whoever uses it takes the account over). Shown as always in-app.
   */
  alwaysOn?: boolean;
  /**
   * Renders a page of this kind's notifications for the reader, with the reader's rights now:
   * a notification whose subject the reader may no longer see maps to null and is not shown or counted.
   * It names a group or a thread only if the reader may read it now, and never shows words of a post.
   * Called for every page that shows the unread count (up to 100 items): a few queries per call, not per item.
   */
  render(
    ctx: ServiceContext,
    reader: Member,
    items: StoredNotification[],
  ): Promise<Map<string, RenderedNotification | null>>;
}

/**
 * Notices a module works out for the reader when asked, from what only the reader's own request can
 * recognise, and never stores for them (ADR 0043): replies in threads where they wrote anonymously
 * and asked to hear of them. A stored notification would tie the reader to the thread. The
 * notifications page links to where they are read, and the count in the navigation adds them.
 */
export interface ComputedNotices {
  /** Unique across modules. */
  name: string;
  /** How many are new for the reader now (at most 100). */
  count(ctx: ServiceContext, reader: Member): Promise<number>;
  /** The page that lists them. */
  href: string;
  /** Catalogue key of the link on the notifications page; receives `count`. */
  labelKey: string;
}
