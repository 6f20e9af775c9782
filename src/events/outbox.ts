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
