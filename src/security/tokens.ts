import crypto from 'node:crypto';

/** A public id: 128 random bits, URL-safe, so nothing can be enumerated or guessed. */
export function newId(): string {
  return crypto.randomBytes(16).toString('base64url');
}

/** A bearer secret (session token, setup link): 256 random bits. */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Secrets are high-entropy, so a plain digest is enough to store them without revealing them. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('base64url');
}

const codeAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: read aloud and typed on phones

/** A human-typable one-time code such as `k7m2-x9qa-pt4e-h3wn` (about 98 bits). */
export function newHumanCode(groups = 4): string {
  const parts: string[] = [];
  for (let g = 0; g < groups; g++) {
    let part = '';
    for (let i = 0; i < 4; i++) part += codeAlphabet[crypto.randomInt(codeAlphabet.length)];
    parts.push(part);
  }
  return parts.join('-');
}

/** Codes are compared without dashes, spaces or case, as people type them. */
export function normaliseHumanCode(input: string): string {
  return input
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s-]+/g, '');
}

export function hashHumanCode(input: string): string {
  return hashToken(normaliseHumanCode(input));
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}
