import { sql } from 'kysely';
import { serviceContext, type AppContext } from '../app-context.js';
import { inTransaction } from '../db/database.js';
import { backoff, failureCode, type BackgroundLog } from '../platform/failure-code.js';
import type { FeatureModule } from '../platform/module.js';
import { outboxSignal } from './outbox.js';
import type { AnyDomainEvent, EventSubscriber } from './types.js';

/** A subscriber with the key its deliveries are kept under: `<module>.<name>`. */
export interface RegisteredSubscriber {
  key: string;
  subscriber: EventSubscriber;
}

export function subscribersOf(modules: readonly FeatureModule[]): RegisteredSubscriber[] {
  const registered = modules.flatMap((m) =>
    (m.subscribers ?? []).map((subscriber) => ({ key: `${m.name}.${subscriber.name}`, subscriber })),
  );
  const seen = new Set<string>();
  for (const { key } of registered) {
    if (seen.has(key)) throw new Error(`Two event subscribers are named ${key}`);
    seen.add(key);
  }
  return registered;
}

export interface DispatcherOptions {
  /** How often to look for events without being woken: other instances' events, and retries. */
  sweepMs: number;
  /** The first retry waits this long, each next one twice as long, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Events fanned out, or deliveries made, in one transaction / one pass at most. */
  batch: number;
}

export const dispatcherDefaults: DispatcherOptions = {
  sweepMs: 2_000,
  retryBaseMs: 5_000,
  retryMaxMs: 60 * 60_000,
  batch: 200,
};

const day = 86_400_000;

/**
 * Turns committed events into one delivery row per subscriber of their type. Events nobody
 * subscribes to go at once. On PostgreSQL each event is taken under a row lock that other
 * dispatchers skip, and marked, so it is fanned out once.
 */
export async function fanOut(
  ctx: AppContext,
  subscribers: readonly RegisteredSubscriber[],
  batch = dispatcherDefaults.batch,
): Promise<number> {
  const lock = ctx.engine === 'postgres' ? sql`for update skip locked` : sql``;
  return inTransaction(ctx.db, async (trx) => {
    const { rows } = await sql<{ id: string; type: string; occurred_at: number }>`
      update outbox_events set fanned_out = 1
      where fanned_out = 0 and id in (
        select id from outbox_events where fanned_out = 0 order by occurred_at limit ${batch} ${lock})
      returning id, type, occurred_at`.execute(trx);
    const unheard: string[] = [];
    const deliveries: { event_id: string; subscriber_key: string; attempts: number; next_attempt_at: number }[] = [];
    for (const event of rows) {
      const keys = subscribers.filter((s) => (s.subscriber.events as string[]).includes(event.type)).map((s) => s.key);
      if (keys.length === 0) unheard.push(event.id);
      for (const key of keys)
        deliveries.push({ event_id: event.id, subscriber_key: key, attempts: 0, next_attempt_at: event.occurred_at });
    }
    for (let i = 0; i < deliveries.length; i += 500)
      await trx
        .insertInto('outbox_deliveries')
        .values(deliveries.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['event_id', 'subscriber_key']).doNothing())
        .execute();
    if (unheard.length) await trx.deleteFrom('outbox_events').where('id', 'in', unheard).execute();
    return rows.length;
  });
}

export type DeliveryOutcome = 'none' | 'delivered' | 'failed';

/**
 * Claims one due delivery and hands its event to the subscriber, inside one transaction: the
 * delivery row is deleted first (on PostgreSQL under a lock other dispatchers skip; on SQLite the
 * delete takes the write lock), the subscriber's own writes follow, and all commit together. A
 * throw rolls the subscriber's writes back to a savepoint and puts the delivery back with one more
 * attempt and a later time. A process that dies mid-way rolls the whole transaction back, so the
 * delivery is still there for the next dispatcher.
 */
export async function deliverOne(
  ctx: AppContext,
  subscribers: readonly RegisteredSubscriber[],
  log: BackgroundLog,
  options: Pick<DispatcherOptions, 'retryBaseMs' | 'retryMaxMs'> = dispatcherDefaults,
): Promise<DeliveryOutcome> {
  if (subscribers.length === 0) return 'none';
  const now = ctx.now();
  const lock = ctx.engine === 'postgres' ? sql`for update skip locked` : sql``;
  const keys = subscribers.map((s) => s.key);
  const trx = await ctx.db.startTransaction().execute();
  try {
    const { rows } = await sql<{ event_id: string; subscriber_key: string; attempts: number }>`
      delete from outbox_deliveries
      where (event_id, subscriber_key) in (
        select event_id, subscriber_key from outbox_deliveries
        where next_attempt_at <= ${now} and subscriber_key in (${sql.join(keys)})
        order by next_attempt_at, event_id limit 1 ${lock})
      returning event_id, subscriber_key, attempts`.execute(trx);
    const claimed = rows[0];
    if (!claimed) {
      await trx.commit().execute();
      return 'none';
    }
    const row = await trx
      .selectFrom('outbox_events')
      .select(['id', 'type', 'payload', 'occurred_at'])
      .where('id', '=', claimed.event_id)
      .executeTakeFirst();
    const subscriber = subscribers.find((s) => s.key === claimed.subscriber_key)!;
    let outcome: DeliveryOutcome = 'delivered';
    if (row) {
      const event = {
        id: row.id,
        type: row.type,
        payload: JSON.parse(row.payload) as object,
        occurredAt: row.occurred_at,
      } as AnyDomainEvent;
      const savepoint = await trx.savepoint('handler').execute();
      try {
        await subscriber.subscriber.handle(serviceContext(ctx, savepoint), event);
        await savepoint.releaseSavepoint('handler').execute();
      } catch (error) {
        await savepoint.rollbackToSavepoint('handler').execute();
        const attempts = claimed.attempts + 1;
        const code = failureCode(error);
        await trx
          .insertInto('outbox_deliveries')
          .values({
            event_id: claimed.event_id,
            subscriber_key: claimed.subscriber_key,
            attempts,
            next_attempt_at: now + backoff(attempts, options.retryBaseMs, options.retryMaxMs),
            last_error: code,
          })
          .execute();
        log.warn(
          { subscriber: claimed.subscriber_key, event: row.type, attempts, error: code },
          'an event subscriber failed; it will be retried',
        );
        outcome = 'failed';
      }
    }
    // The event goes with its last delivery. (Two last deliveries committing at once on PostgreSQL
    // may each see the other's still there: the sweep removes such an event.)
    await trx
      .deleteFrom('outbox_events')
      .where('id', '=', claimed.event_id)
      .where((eb) =>
        eb.not(
          eb.exists(eb.selectFrom('outbox_deliveries').select('event_id').where('event_id', '=', claimed.event_id)),
        ),
      )
      .execute();
    await trx.commit().execute();
    return outcome;
  } catch (error) {
    await trx
      .rollback()
      .execute()
      .catch(() => {});
    throw error;
  }
}

/**
 * Keeps the outbox small: events whose deliveries are all done, and deliveries for subscribers no
 * longer known here a week after their event (a subscriber removed or renamed).
 */
export async function sweepOutbox(ctx: AppContext, subscribers: readonly RegisteredSubscriber[]): Promise<void> {
  await ctx.db
    .deleteFrom('outbox_events')
    .where('fanned_out', '=', 1)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('outbox_deliveries as d').select('d.event_id').whereRef('d.event_id', '=', 'outbox_events.id'),
        ),
      ),
    )
    .execute();
  let stale = ctx.db.deleteFrom('outbox_deliveries').where('event_id', 'in', (eb) =>
    eb
      .selectFrom('outbox_events')
      .select('id')
      .where('occurred_at', '<', ctx.now() - 7 * day),
  );
  const keys = subscribers.map((s) => s.key);
  if (keys.length) stale = stale.where('subscriber_key', 'not in', keys);
  await stale.execute();
}

export interface Dispatcher {
  /** Looks for work now (called after a commit that recorded an event). */
  wake(): void;
  /** Runs until nothing is due, then resolves: for tests and the command line. */
  drain(): Promise<void>;
  /** Stops looking, and waits for a delivery under way to finish. */
  stop(): Promise<void>;
}

/**
 * The after-commit side of the outbox: woken in process right after a commit that recorded an
 * event, and sweeping every `sweepMs` for the rest (other instances' events, retries that are due).
 */
export function startDispatcher(
  ctx: AppContext,
  subscribers: readonly RegisteredSubscriber[],
  log: BackgroundLog,
  overrides: Partial<DispatcherOptions> = {},
): Dispatcher {
  const options = { ...dispatcherDefaults, ...overrides };
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let sweeps = 0;

  const pass = async () => {
    while (!stopped && (await fanOut(ctx, subscribers, options.batch)) > 0);
    for (let i = 0; i < options.batch && !stopped; i++) {
      if ((await deliverOne(ctx, subscribers, log, options)) === 'none') break;
    }
    if (sweeps++ % 30 === 0) await sweepOutbox(ctx, subscribers);
  };
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    again = false;
    running = pass()
      .catch((error: unknown) => log.warn({ error: failureCode(error) }, 'event delivery failed; it will be retried'))
      .finally(() => {
        running = undefined;
        if (again) run();
      });
  };
  const onRecorded = () => run();
  outboxSignal.on('recorded', onRecorded);
  const timer = setInterval(run, options.sweepMs);
  timer.unref();
  run();

  return {
    wake: run,
    async drain() {
      for (;;) {
        await running;
        again = false;
        running = pass();
        await running;
        running = undefined;
        const due = await ctx.db
          .selectFrom('outbox_deliveries')
          .select('event_id')
          .where('next_attempt_at', '<=', ctx.now())
          .where('subscriber_key', 'in', subscribers.length ? subscribers.map((s) => s.key) : [''])
          .limit(1)
          .execute();
        const pending = await ctx.db
          .selectFrom('outbox_events')
          .select('id')
          .where('fanned_out', '=', 0)
          .limit(1)
          .execute();
        if (due.length === 0 && pending.length === 0) return;
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      outboxSignal.off('recorded', onRecorded);
      await running;
    },
  };
}
