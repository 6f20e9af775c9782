import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { invalid, type FieldError } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { warningKinds, type WarningKind, isWarningKind, type WarningMode, type WarningPreferences } from './model.js';

export async function warningPreferences(ctx: ServiceContext, actor: Member): Promise<WarningPreferences> {
  const prefs = Object.fromEntries(warningKinds.map((k) => [k, 'fold'])) as WarningPreferences;
  const rows = await ctx.db
    .selectFrom('warning_preferences')
    .select(['warning', 'mode'])
    .where('user_id', '=', actor.id)
    .execute();
  for (const row of rows)
    if (isWarningKind(row.warning) && (row.mode === 'fold' || row.mode === 'hide')) prefs[row.warning] = row.mode;
  return prefs;
}

export async function setWarningPreferences(
  ctx: ServiceContext,
  actor: Member,
  input: Partial<Record<string, string>>,
): Promise<WarningPreferences> {
  const errors: FieldError[] = [];
  const chosen: [WarningKind, WarningMode][] = [];
  for (const [warning, mode] of Object.entries(input)) {
    if (!isWarningKind(warning) || (mode !== 'fold' && mode !== 'hide'))
      errors.push({ field: warning, message: 'discussions.warnings.invalid' });
    else chosen.push([warning, mode]);
  }
  if (errors.length) throw invalid(errors);
  await inTransaction(ctx.db, async (trx) => {
    for (const [warning, mode] of chosen) {
      await trx
        .deleteFrom('warning_preferences')
        .where('user_id', '=', actor.id)
        .where('warning', '=', warning)
        .execute();
      // Folding is the default: only departures from it are stored.
      if (mode === 'hide')
        await trx.insertInto('warning_preferences').values({ user_id: actor.id, warning, mode }).execute();
    }
  });
  return warningPreferences(ctx, actor);
}
