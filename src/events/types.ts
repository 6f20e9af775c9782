import type { ServiceContext } from '../app-context.js';

/**
 * What each event type carries: ids, booleans and small codes only, never the words of a post or
 * message, nor an address: the outbox is as exposed as any table when a server is seized (ADR 0028).
 * The author of an anonymous post is never named (ADR 0018). A capability adds its own types by
 * declaration merging (`declare module '…/events/types.js' { interface EventPayloads { … } }`).
 */
export interface EventPayloads {
  /** A thread (`opening`) or a reply. `authorId` is null for an anonymous post. */
  'post.created': {
    groupId: string;
    threadId: string;
    postId: string;
    opening: boolean;
    anonymous: boolean;
    authorId: string | null;
    /** Readers the post names who may read it now; left out: a named post's own author. */
    mentionedUserIds: string[];
  };
  'post.edited': { groupId: string; threadId: string; postId: string };
  /** The words are gone already; `threadDeleted` when the whole thread went with the post. */
  'post.deleted': { groupId: string; threadId: string; postId: string; threadDeleted: boolean };
  /** Moderators pinned, unpinned, locked or unlocked a thread (ADR 0039); the reason stays in the audit log. */
  'thread.pinned': { groupId: string; threadId: string };
  'thread.unpinned': { groupId: string; threadId: string };
  'thread.locked': { groupId: string; threadId: string };
  'thread.unlocked': { groupId: string; threadId: string };
  'member.joined': { groupId: string; userId: string; via: 'open' | 'invite' | 'approved' };
  /** Left (also when their account was deleted), removed by a moderator, or banned. */
  'member.removed': { groupId: string; userId: string; reason: 'left' | 'removed' | 'banned' };
  'join.requested': { groupId: string; userId: string; requestId: string };
  'join.decided': { groupId: string; userId: string; decision: 'approved' | 'declined' };
  /** Sessions that ended before their time: for closing their live connections. */
  'session.revoked': {
    userId: string;
    sessionIds: string[];
    reason: 'revoked' | 'signed_out' | 'passphrase_changed' | 'recovered';
  };
  'reset_code.issued': { userId: string };
  /**
   * A row of the moderation log about a member (ADR 0047): `userId` is the member it was about, told
   * in their language what was done and why, and who may appeal it.
   */
  'moderation.logged': { logId: string; userId: string };
  'group.created': { groupId: string; ownerId: string };
  /**
   * A moderator froze an account as a suspected infiltrator or taken over (ADR 0051). Chat (issue
   * 13) subscribes to give the partners of its recent private conversations a neutral safety notice.
   */
  'account.frozen': { userId: string };
  /** A member blocked another (ADR 0052): their live connections are asked again (ADR 0061). Nobody is told. */
  'member.blocked': { blockerId: string; blockedId: string };
  /** The owner confirmed showing the group to more people (hidden → private or public, private → public). */
  'group.visibility_raised': {
    groupId: string;
    actorId: string;
    from: 'hidden' | 'private' | 'public';
    to: 'hidden' | 'private' | 'public';
  };
  /** A chat message was posted (ADR 0065); `mentionedUserIds`: members it names who may read the chat now. */
  'chat.message_posted': { chatId: string; messageId: string; mentionedUserIds: string[] };
}

export type EventType = keyof EventPayloads;

/**
 * Something that happened, recorded by a service in the same transaction as the change (the
 * outbox, `recordEvent`) and handed to subscribers after commit.
 */
export interface DomainEvent<Type extends EventType = EventType> {
  id: string;
  /** `<noun>.<past verb>`: `post.created`, `member.removed`, `session.revoked`, … */
  type: Type;
  payload: EventPayloads[Type];
  occurredAt: number;
}

/** Any one event, narrowed by its `type`. */
export type AnyDomainEvent = { [T in EventType]: DomainEvent<T> }[EventType];

export interface EventSubscriber {
  /** Unique within its module; `<module>.<name>` keys the delivery bookkeeping, so renaming one drops its backlog. */
  name: string;
  /** The event types it handles. */
  events: EventType[];
  /**
   * Handles one event after its transaction committed. It runs inside a transaction of its own
   * (`ctx.db`) that also marks the delivery done: what it writes to the database through `ctx.db`
   * commits exactly once, and a failure (a throw) rolls those writes back and the delivery is retried
   * later with back-off. Anything it does outside the database (a push to a live connection) may
   * happen again after a crash, so it carries `event.id` for the receiver to drop repeats.
   *
   * The event says what happened, not who may know: a subscriber re-checks each reader's rights
   * now (membership, the group's visibility, a hidden or deleted post, a revoked session) before
   * it tells anyone anything (ADRs 0014, 0015). It acts as the system actor, never as a member.
   */
  handle(ctx: ServiceContext, event: AnyDomainEvent): Promise<void>;
}
