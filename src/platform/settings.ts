import type { ServiceContext } from '../app-context.js';
import { registrationModes, type RegistrationMode } from '../config.js';

// Instance settings that more than one feature reads: registration reads the mode, administration sets it.

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
