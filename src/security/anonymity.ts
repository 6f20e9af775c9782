import crypto from 'node:crypto';
import { hmac } from './secret-key.js';

/**
 * Anonymous posts keep their author out of every page, API answer, notification and search
 * result, and out of the database in plain form:
 * - `authorRef` is a keyed hash of thread and author: it recognises the author's own posts in
 *   one thread (to edit or delete them, and to give them one pseudonym there) and links nothing
 *   across threads.
 * - `sealAuthor` encrypts the author's id (AES-256-GCM) so the server, never a person, can act
 *   on the author: a ban by a group's moderators, or deleting the posts of a deleted account.
 * Whoever holds both the database and the instance's secret key can still open these. That is
 * said plainly where people choose to post anonymously.
 */
export function authorRef(key: Buffer, threadId: string, userId: string): string {
  return hmac(key, `thread:${threadId}:author:${userId}`);
}

/**
 * Recognises one member's anonymous posts among many by their keyed hash, computing the hash once
 * per thread: for listing notifications, counting unread ones, and erasing the member's posts.
 */
export function authorRefMatcher(key: Buffer, userId: string): (threadId: string, ref: string | null) => boolean {
  const refs = new Map<string, string>();
  return (threadId, ref) => {
    if (ref === null) return false;
    let own = refs.get(threadId);
    if (own === undefined) {
      own = authorRef(key, threadId, userId);
      refs.set(threadId, own);
    }
    return ref === own;
  };
}

/**
 * A ban through an anonymous post (ADR 0018) is stored as this keyed hash of group and author, so
 * the database alone does not say who was banned, and the server recognises the author when they act.
 */
export function anonymousBanKey(key: Buffer, groupId: string, userId: string): string {
  return hmac(key, `group:${groupId}:banned-author:${userId}`);
}

const boxKeys = new WeakMap<Buffer, Buffer>();
function boxKey(key: Buffer): Buffer {
  let derived = boxKeys.get(key);
  if (!derived) {
    derived = Buffer.from(crypto.hkdfSync('sha256', key, Buffer.alloc(0), 'sanad:author-box', 32));
    boxKeys.set(key, derived);
  }
  return derived;
}

export function sealAuthor(key: Buffer, userId: string): string {
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', boxKey(key), nonce);
  const sealed = Buffer.concat([cipher.update(userId, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** The author's id, or null when the box was not sealed with this key. */
export function openAuthor(key: Buffer, box: string): string | null {
  try {
    const raw = Buffer.from(box, 'base64url');
    const decipher = crypto.createDecipheriv('aes-256-gcm', boxKey(key), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** Pseudonyms are a name from a fixed localised list and a number: `pseudonymCount` in all. */
export const pseudonymNames = 24;
export const pseudonymCount = pseudonymNames * 50;

/** Where an author's pseudonym search starts in a thread; the service skips numbers already taken there. */
export function pseudonymSeed(ref: string): number {
  return Buffer.from(ref, 'base64url').readUInt32BE(0) % pseudonymCount;
}
