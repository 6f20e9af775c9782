import type { ServiceContext } from '../../app-context.js';
import type { RegistrationMode } from '../../config.js';
import type { Member } from '../../security/actor.js';
import { forbidden } from '../../platform/errors.js';
import { recordAudit } from '../../db/audit.js';
import { canChangeSettings } from './policy.js';

export async function setRegistrationMode(ctx: ServiceContext, actor: Member, mode: RegistrationMode): Promise<void> {
  if (!canChangeSettings(actor)) throw forbidden();
  await ctx.db
    .insertInto('settings')
    .values({ key: 'registration_mode', value: mode })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: mode }))
    .execute();
  await recordAudit(ctx.db, { actorId: actor.id, action: 'settings.registration', subject: mode, now: ctx.now });
}
