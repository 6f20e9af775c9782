import type { DbOrTx } from '../../db/database.js';
import { hashHumanCode, newHumanCode, newId } from '../../security/tokens.js';

export const recoveryCodeCount = 10;

/** Replaces all of a member's recovery codes with new ones; the codes are returned once, stored hashed. */
export async function replaceRecoveryCodes(db: DbOrTx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: recoveryCodeCount }, () => newHumanCode());
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('recovery_codes')
    .values(codes.map((code) => ({ id: newId(), user_id: userId, code_hash: hashHumanCode(code) })))
    .execute();
  return codes;
}

/** Uses up one recovery code; false when it is not one of the member's unused codes. */
export async function consumeRecoveryCode(db: DbOrTx, userId: string, code: string): Promise<boolean> {
  const result = await db
    .deleteFrom('recovery_codes')
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashHumanCode(code))
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Uses up an administrator's reset code; false when there is none or it has expired. */
export async function consumeResetCode(db: DbOrTx, userId: string, code: string, now: number): Promise<boolean> {
  const result = await db
    .deleteFrom('reset_codes')
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashHumanCode(code))
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function countRecoveryCodes(db: DbOrTx, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
