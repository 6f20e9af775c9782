import type { AppContext } from '../app-context.js';
import { startDispatcher, subscribersOf, type Dispatcher, type DispatcherOptions } from '../events/dispatcher.js';
import { jobsOf, startJobRunner, type JobRunner, type JobRunnerOptions } from '../jobs/runner.js';
import type { BackgroundLog } from './failure-code.js';
import type { FeatureModule } from './module.js';

export interface Background {
  dispatcher: Dispatcher;
  jobs: JobRunner;
  /** Runs every delivery and job that is due now. */
  drain(): Promise<void>;
  /** Starts nothing new and waits for the delivery and the job under way (graceful shutdown). */
  stop(): Promise<void>;
}

/** The worker's half of Sanad: event delivery (ADR 0028) and jobs (ADR 0027) for the given modules. */
export function startBackground(
  ctx: AppContext,
  modules: readonly FeatureModule[],
  log: BackgroundLog,
  options: { dispatcher?: Partial<DispatcherOptions>; jobs?: Partial<JobRunnerOptions> } = {},
): Background {
  const dispatcher = startDispatcher(ctx, subscribersOf(modules), log, options.dispatcher);
  const jobs = startJobRunner(ctx, jobsOf(modules), log, options.jobs);
  return {
    dispatcher,
    jobs,
    async drain() {
      await dispatcher.drain();
      await jobs.drain();
      await dispatcher.drain();
    },
    async stop() {
      await Promise.all([dispatcher.stop(), jobs.stop()]);
    },
  };
}
