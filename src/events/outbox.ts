import { EventEmitter } from 'node:events';
import { afterCommit, type DbOrTx } from '../db/database.js';
import { newId } from '../security/tokens.js';
import type { EventPayloads, EventType } from './types.js';

/**
 * Wakes this process's dispatcher when an event has been committed, so delivery needs no polling
 * delay on one instance. Other instances find the event at their next sweep.
 */
export const outboxSignal = new EventEmitter();
outboxSignal.setMaxListeners(0);

/**
 * Records a domain event in the outbox, in the caller's transaction: it is delivered if and only
 * if the change it describes commits (ADR 0028). The payload holds ids and codes only.
 */
export async function recordEvent<Type extends EventType>(
  db: DbOrTx,
  type: Type,
  payload: EventPayloads[Type],
  now: number,
): Promise<string> {
  const id = newId();
  await db
    .insertInto('outbox_events')
    .values({ id, type, payload: JSON.stringify(payload), occurred_at: now, fanned_out: 0 })
    .execute();
  afterCommit(db, () => outboxSignal.emit('recorded'));
  return id;
}

/**
 * Takes a member out of the outbox when their account is deleted, in the deletion's transaction:
 * an event about them (their id in a field of its own: `userId`, `authorId`, `ownerId`) goes with its
 * deliveries, and one that names them among others (`mentionedUserIds`) keeps the others. Events
 * waiting for a worker that is behind or down would otherwise keep the id of an account that no longer
 * exists, and deliver to it (ADR 0028).
 */
export async function forgetEventsOf(db: DbOrTx, userId: string): Promise<void> {
  // Ids are base64url: `_` is a LIKE wildcard, so this may match more than it should, never less.
  const candidates = await db
    .selectFrom('outbox_events')
    .select(['id', 'payload'])
    .where('payload', 'like', `%${userId}%`)
    .execute();
  const gone: string[] = [];
  for (const event of candidates) {
    const scrubbed = withoutId(JSON.parse(event.payload) as unknown, userId);
    if (scrubbed === dropped) gone.push(event.id);
    else {
      const payload = JSON.stringify(scrubbed);
      if (payload !== event.payload)
        await db.updateTable('outbox_events').set({ payload }).where('id', '=', event.id).execute();
    }
  }
  for (let i = 0; i < gone.length; i += 500)
    await db
      .deleteFrom('outbox_events')
      .where('id', 'in', gone.slice(i, i + 500))
      .execute();
}

const dropped = Symbol('dropped');

/** The payload without `id` in any list, or `dropped` when a field of its own is `id`. */
function withoutId(value: unknown, id: string): unknown {
  if (value === id) return dropped;
  if (Array.isArray(value)) {
    const kept = [];
    for (const item of value) {
      if (item === id) continue;
      const scrubbed = withoutId(item, id);
      if (scrubbed === dropped) return dropped;
      kept.push(scrubbed);
    }
    return kept;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      const scrubbed = withoutId(field, id);
      if (scrubbed === dropped) return dropped;
      out[key] = scrubbed;
    }
    return out;
  }
  return value;
}
