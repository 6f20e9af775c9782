import crypto from 'node:crypto';
import type { ServiceContext } from '../app-context.js';
import { hashToken, newToken } from './tokens.js';

/**
 * Text a member was sending when their session had ended (ADR 0041). The member is unknown at that
 * moment, so the row names nobody: it is found by the SHA-256 of a random 256-bit token that only
 * the browser holds, and its contents (the form's action and fields) are sealed with AES-256-GCM
 * under a key derived from that token. A database without the token reveals neither the words nor
 * where they were going. Kept once: taking it deletes it.
 */
export const keptLifetimeMs = 24 * 60 * 60_000;

export interface KeptSubmission {
  /** The form's action, a local path (`/threads/:id/posts`): where the words were going. */
  action: string;
  /** Where the member writes them again after signing in (the composer's page). */
  resume: string;
  /** The form's fields, the CSRF token left out. */
  fields: Record<string, string>;
}

const keyInfo = 'sanad:kept-text';

function keyOf(token: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', Buffer.from(token, 'utf8'), Buffer.alloc(0), keyInfo, 32));
}

/** The row's own hash is the additional data, so a sealed value moved to another row does not open. */
export function seal(token: string, kept: KeptSubmission): string {
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', keyOf(token), nonce);
  cipher.setAAD(Buffer.from(hashToken(token)));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(kept), 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), sealed]).toString('base64url');
}

export function unseal(token: string, sealed: string): KeptSubmission | null {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = crypto.createDecipheriv('aes-256-gcm', keyOf(token), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(hashToken(token)));
    decipher.setAuthTag(raw.subarray(12, 28));
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    const kept = JSON.parse(text) as KeptSubmission;
    if (typeof kept.action !== 'string' || typeof kept.resume !== 'string' || typeof kept.fields !== 'object') {
      return null;
    }
    return kept;
  } catch {
    return null;
  }
}

/** Keeps a submission and returns the token that opens it (for the browser's cookie only). */
export async function keepSubmission(ctx: ServiceContext, kept: KeptSubmission): Promise<string> {
  const token = newToken();
  await ctx.db
    .insertInto('kept_submissions')
    .values({ token_hash: hashToken(token), sealed: seal(token, kept), expires_at: ctx.now + keptLifetimeMs })
    .execute();
  return token;
}

async function find(ctx: ServiceContext, token: string): Promise<KeptSubmission | null> {
  if (!token || token.length > 100) return null;
  const row = await ctx.db
    .selectFrom('kept_submissions')
    .select(['sealed', 'expires_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || Number(row.expires_at) <= ctx.now) return null;
  return unseal(token, row.sealed);
}

/** What a token keeps, without using it up: where sign-in should lead. */
export function peekKept(ctx: ServiceContext, token: string): Promise<KeptSubmission | null> {
  return find(ctx, token);
}

/**
 * Takes the kept submission for this form action, once: the row is deleted, and of two requests
 * at once only the one whose delete removed it gets the words. Another action's text stays kept.
 */
export async function takeKept(ctx: ServiceContext, token: string, action: string): Promise<KeptSubmission | null> {
  const kept = await find(ctx, token);
  if (!kept || kept.action !== action) return null;
  const deleted = await ctx.db
    .deleteFrom('kept_submissions')
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) === 1 ? kept : null;
}

/** Forgets a kept submission (sign-out, or a newer one replacing it in the same browser). */
export async function dropKept(ctx: ServiceContext, token: string): Promise<void> {
  if (!token || token.length > 100) return;
  await ctx.db.deleteFrom('kept_submissions').where('token_hash', '=', hashToken(token)).execute();
}

/** Deletes kept submissions past their day, used or not (the `sessions.purgeKept` job). */
export async function purgeExpiredKept(ctx: ServiceContext): Promise<number> {
  const result = await ctx.db.deleteFrom('kept_submissions').where('expires_at', '<=', ctx.now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
