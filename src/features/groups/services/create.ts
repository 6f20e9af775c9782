import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { recordAudit } from '../../../db/audit.js';
import { AppError } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { newId } from '../../../security/tokens.js';
import { canCreateGroup } from '../policy.js';
import { findGroup, toGroupRow, type Group } from '../queries.js';
import type { GroupInput } from './model.js';
import { validateGroup, indexGroup, writeTags } from './internal/validate.js';
import { recordEvent } from '../../../events/outbox.js';

export async function createGroup(ctx: ServiceContext, actor: Member, input: GroupInput): Promise<Group> {
  // Said in words: a new account is told what it needs, not just refused (ADR 0050).
  if (!canCreateGroup(actor)) throw new AppError('forbidden', 'trust.groups.refused');
  const group = validateGroup(input);
  const id = newId();
  await inTransaction(ctx.db, async (trx) => {
    const tctx = { ...ctx, db: trx };
    await trx
      .insertInto('groups')
      .values({ id, ...toGroupRow(group), created_at: ctx.now, last_activity_at: ctx.now })
      .execute();
    await writeTags(trx, id, group.tags);
    await trx
      .insertInto('group_members')
      .values({ group_id: id, user_id: actor.id, role: 'owner', joined_at: ctx.now })
      .execute();
    await indexGroup(tctx, id, group);
    await recordAudit(trx, { actorId: actor.id, action: 'group.create', subject: id, now: ctx.now });
    await recordEvent(trx, 'group.created', { groupId: id, ownerId: actor.id }, ctx.now);
  });
  return (await findGroup(ctx.db, id))!;
}
