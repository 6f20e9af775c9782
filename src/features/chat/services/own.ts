import type { ServiceContext } from '../../../app-context.js';
import type { Member } from '../../../security/actor.js';
import type { MessageRow } from './model.js';
import { chatAuthorRef } from './post.js';

/** The actor wrote it: named, or anonymously and recognised by its keyed hash (ADR 0060). */
export function isOwnMessage(ctx: Pick<ServiceContext, 'keys'>, actor: Member, row: MessageRow): boolean {
  if (row.author_id !== null) return row.author_id === actor.id;
  return (
    row.anonymous === 1 && row.author_ref !== null && row.author_ref === chatAuthorRef(ctx.keys, row.chat_id, actor.id)
  );
}
