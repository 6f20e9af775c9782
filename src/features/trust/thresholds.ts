import type { ServiceContext } from '../../app-context.js';
import { inTransaction, type DbOrTx } from '../../db/database.js';
import { recordAudit } from '../../db/audit.js';
import { forbidden, invalid, type FieldError } from '../../platform/errors.js';
import type { Member } from '../../security/actor.js';
import { canChangeThresholds } from './policy.js';
import { defaultThresholds, thresholdMax, thresholdNames, type TrustThresholds } from './rules.js';

// The thresholds are one instance setting (`settings` row `trust_thresholds`, a JSON object): a
// value missing or out of range there falls back to its default, so a hand-edited row never
// stops promotion.

const settingKey = 'trust_thresholds';

export async function getThresholds(db: DbOrTx): Promise<TrustThresholds> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', settingKey).executeTakeFirst();
  let stored: Record<string, unknown> = {};
  try {
    stored = row ? (JSON.parse(row.value) as Record<string, unknown>) : {};
  } catch {
    stored = {};
  }
  const thresholds = { ...defaultThresholds };
  for (const name of thresholdNames) {
    const value = stored[name];
    if (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= thresholdMax)
      thresholds[name] = value as number;
  }
  return thresholds;
}

/** Administrators set every threshold at once; each is a whole number from 0 to `thresholdMax`. */
export async function setThresholds(
  ctx: ServiceContext,
  actor: Member,
  input: Partial<Record<keyof TrustThresholds, string | number | undefined>>,
): Promise<TrustThresholds> {
  if (!canChangeThresholds(actor)) throw forbidden();
  const errors: FieldError[] = [];
  const thresholds = { ...defaultThresholds };
  for (const name of thresholdNames) {
    const raw = input[name];
    const value = typeof raw === 'number' ? raw : /^\s*\d{1,5}\s*$/.test(raw ?? '') ? Number(raw) : Number.NaN;
    if (!Number.isInteger(value) || value < 0 || value > thresholdMax) {
      errors.push({ field: name, message: 'trust.thresholds.invalid', values: { max: thresholdMax } });
    } else thresholds[name] = value;
  }
  if (errors.length) throw invalid(errors);
  const value = JSON.stringify(thresholds);
  await inTransaction(ctx.db, async (trx) => {
    await trx
      .insertInto('settings')
      .values({ key: settingKey, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
    await recordAudit(trx, { actorId: actor.id, action: 'settings.trust', now: ctx.now });
  });
  return thresholds;
}
