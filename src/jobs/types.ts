import type { ServiceContext } from '../app-context.js';

export interface JobDefinition {
  /** Unique across modules, `<module>.<verb>`: `notifications.prune`, `sessions.expire`. */
  name: string;
  /**
   * Scheduled jobs: how often to run, in milliseconds. One row per scheduled job (its unique key is
   * `schedule:<name>`), so however many workers run, one run happens per period. Deferred jobs
   * leave it out and are enqueued with `enqueueJob`.
   */
  everyMs?: number;
  /**
   * Does the work, as the system actor (`systemActor`), outside any transaction (open one with
   * `inTransaction` where the work needs one). The worker holds a lease on the job while it runs;
   * if its instance dies mid-run the lease expires and another worker runs the job again, once, so
   * it must be idempotent. A throw retries it later with exponential back-off. The payload holds
   * ids and small values only.
   */
  run(ctx: ServiceContext, payload: Record<string, unknown>): Promise<void>;
}
