import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The instance key signs cookies and keys the in-memory hashes of addresses used by rate limits.
 * Generated on first start into the data folder, readable by the owner only.
 */
export function loadSecretKey(dataDir: string, fromEnv: string | undefined): Buffer {
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('SANAD_SECRET_KEY must be at least 32 characters');
    return Buffer.from(fromEnv);
  }
  const file = path.join(dataDir, 'secret.key');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    const key = fs.readFileSync(file);
    if (key.length >= 32) return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = crypto.randomBytes(64);
  // 'wx' fails if another process won the race; then read what it wrote.
  try {
    fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file);
    throw error;
  }
}

/** Derives a purpose-specific key so one use never weakens another. */
export function deriveKey(secret: Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.alloc(0), `sanad:${purpose}`, 32));
}

export function hmac(key: Buffer, value: string): string {
  return crypto.createHmac('sha256', key).update(value).digest('base64url');
}
