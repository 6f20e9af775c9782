import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Where the instance key comes from, named in messages so the operator knows which key to look at. */
export interface FoundKey {
  key: Buffer;
  /** `SANAD_SECRET_KEY` or the key file's path. */
  source: string;
}

export function secretKeyFile(dataDir: string): string {
  return path.join(dataDir, 'secret.key');
}

/** The key from the environment or the data folder, without ever making one; undefined when there is none. */
export function readSecretKey(dataDir: string, fromEnv: string | undefined): FoundKey | undefined {
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('SANAD_SECRET_KEY must be at least 32 characters');
    return { key: Buffer.from(fromEnv), source: 'SANAD_SECRET_KEY' };
  }
  const file = secretKeyFile(dataDir);
  try {
    const key = fs.readFileSync(file);
    if (key.length >= 32) return { key, source: file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return undefined;
}

/** Writes a new random key into the data folder, readable by the owner only (or reads the one a concurrent start wrote). */
export function createSecretKey(dataDir: string): FoundKey {
  const file = secretKeyFile(dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(64);
  // 'wx' fails if another process won the race; then read what it wrote.
  try {
    fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return { key, source: file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { key: fs.readFileSync(file), source: file };
    throw error;
  }
}

/**
 * The instance key signs cookies and keys the hashes that tie anonymous posts to their authors
 * and addresses to rate limits. Generated on first start into the data folder, readable by the
 * owner only. startRuntime() checks it against the fingerprint the database keeps (ADR 0034).
 */
export function loadSecretKey(dataDir: string, fromEnv: string | undefined): Buffer {
  return (readSecretKey(dataDir, fromEnv) ?? createSecretKey(dataDir)).key;
}

/** Derives a purpose-specific key so one use never weakens another. */
export function deriveKey(secret: Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.alloc(0), `sanad:${purpose}`, 32));
}

export function hmac(key: Buffer, value: string): string {
  return crypto.createHmac('sha256', key).update(value).digest('base64url');
}

/**
 * Names the key without revealing it: an HMAC under a key derived for this purpose alone, so
 * the database can tell a start with another key from one with its own (ADR 0034).
 */
export function keyFingerprint(secret: Buffer): string {
  return hmac(deriveKey(secret, 'fingerprint'), 'sanad:secret-key-fingerprint:v1');
}
