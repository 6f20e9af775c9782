import type { ServiceContext } from '../app-context.js';

export interface JobDefinition {
  /** Unique across modules, `<module>.<verb>`: `notifications.prune`, `sessions.expire`. */
  name: string;
  /** Scheduled jobs: how often to run, in milliseconds. Deferred jobs leave it out and are enqueued. */
  everyMs?: number;
  /** Does the work, as the system actor. Runs again (once) if its instance dies mid-run, so it must be idempotent. */
  run(ctx: ServiceContext, payload: Record<string, unknown>): Promise<void>;
}
