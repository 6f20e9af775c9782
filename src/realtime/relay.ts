import { busFor, type BusLog, type RealtimeBus } from './bus.js';
import type { RealtimeSignal } from './signal.js';
import { reportRealtimeState } from './status.js';
import type { Db, Engine } from '../db/database.js';

/**
 * The publishing half of the bus, for a process without a hub (`SANAD_PROCESS=worker`): event
 * subscribers there send rechecks, and jobs change chats (timers, purges); other instances must hear.
 */
export async function startRelay(
  ctx: {
    engine: Engine;
    db: Db;
    signals: RealtimeSignal;
    config: { databaseUrl: string | undefined; redisUrl: string | undefined; realtimeChannel: string };
  },
  log: BusLog,
): Promise<{ bus: RealtimeBus; stop(): Promise<void> }> {
  const bus = busFor(ctx, log);
  await bus.start();
  reportRealtimeState(ctx, () => bus.state());
  const unhear = [
    ctx.signals.hear('change', (change) => bus.publish({ type: 'change', ...change })),
    ctx.signals.hear('recheck', (who) => bus.publish({ type: 'recheck', ...who })),
  ];
  return {
    bus,
    async stop() {
      for (const off of unhear) off();
      await bus.close();
    },
  };
}
