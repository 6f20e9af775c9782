import type { ServiceContext } from '../app-context.js';

/**
 * Something that happened, recorded by a service in the same transaction as the change (the
 * outbox) and handed to subscribers after commit. The payload holds ids and small codes only,
 * never the words of a post or message: the outbox is as exposed as any table when a server is seized.
 */
export interface DomainEvent<Payload extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  /** `<noun>.<past verb>`: `post.created`, `member.removed`, `session.revoked`, … */
  type: string;
  payload: Payload;
  occurredAt: number;
}

export interface EventSubscriber {
  /** Unique within its module; `<module>.<name>` keys the delivery bookkeeping. */
  name: string;
  /** The event types it handles. */
  events: string[];
  /**
   * Handles one event after its transaction committed. Must be idempotent by `event.id`
   * (a retried delivery may run it again) and must re-check the reader's rights itself.
   */
  handle(ctx: ServiceContext, event: DomainEvent): Promise<void>;
}
