import { serviceContext, type AppContext } from '../../app-context.js';
import { pruneNotifications } from './service.js';

export const retentionSchedule = { firstRunMs: 60_000, everyMs: 60 * 60_000 } as const;

/**
 * Runs `pruneNotifications` inside the server process, a minute after start and then hourly,
 * until Sanad has a job runner to hand it to. Timers do not keep the process alive, runs never
 * overlap, and a failure is logged (without data) and retried at the next run.
 */
export function startNotificationRetention(
  ctx: AppContext,
  log: { warn(obj: object, msg: string): void },
  schedule: { firstRunMs: number; everyMs: number } = retentionSchedule,
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = () => {
    running = pruneNotifications(serviceContext(ctx))
      .then(() => undefined)
      .catch((error: Error) =>
        log.warn({ err: { type: error.name, message: error.message } }, 'notification retention failed'),
      )
      .finally(() => {
        running = undefined;
        if (!stopped) runAfter(schedule.everyMs);
      });
  };
  const runAfter = (ms: number) => {
    timer = setTimeout(run, ms);
    timer.unref();
  };
  runAfter(schedule.firstRunMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
