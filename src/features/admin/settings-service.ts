import type { ServiceContext } from '../../app-context.js';
import { registrationModes, type RegistrationMode } from '../../config.js';
import type { Member } from '../../security/actor.js';
import { forbidden } from '../../platform/errors.js';
import { recordAudit } from '../../db/audit.js';
import { canChangeSettings } from './policy.js';

/** The env override (SANAD_REGISTRATION) wins over the stored setting; the default is `invite`. */
export async function getRegistrationMode(ctx: ServiceContext): Promise<RegistrationMode> {
  if (ctx.config.registrationOverride) return ctx.config.registrationOverride;
  const row = await ctx.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', 'registration_mode')
    .executeTakeFirst();
  return registrationModes.includes(row?.value as RegistrationMode) ? (row!.value as RegistrationMode) : 'invite';
}

export async function setRegistrationMode(ctx: ServiceContext, actor: Member, mode: RegistrationMode): Promise<void> {
  if (!canChangeSettings(actor)) throw forbidden();
  await ctx.db
    .insertInto('settings')
    .values({ key: 'registration_mode', value: mode })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: mode }))
    .execute();
  await recordAudit(ctx.db, { actorId: actor.id, action: 'settings.registration', subject: mode, now: ctx.now });
}
