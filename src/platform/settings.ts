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

/** At most this many questions; answers at most `answerMax` characters (ADR 0051). */
export const applicationQuestionLimits = { count: 3, questionMax: 300, answerMax: 1000 } as const;

/** The questions applicants answer in approval mode, set by administrators; none by default. */
export async function getApplicationQuestions(ctx: Pick<ServiceContext, 'db'>): Promise<string[]> {
  const row = await ctx.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', 'application_questions')
    .executeTakeFirst();
  if (!row) return [];
  try {
    const parsed: unknown = JSON.parse(row.value);
    return Array.isArray(parsed) ? parsed.filter((q): q is string => typeof q === 'string').slice(0, 3) : [];
  } catch {
    return [];
  }
}
