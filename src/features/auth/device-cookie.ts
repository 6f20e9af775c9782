import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { cookies, readCookie, setCookie } from '../../http/cookies.js';
import { hmac } from '../../security/secret-key.js';
import { constantTimeEqual } from '../../security/tokens.js';

/**
 * Nonces are 16 random bytes and a tag over them, so a nonce this instance never issued is
 * recognised without knowing any account: forged cookies buy no sign-in attempts (ADR 0016).
 */
const issuedTag = (key: Buffer, random: string) => hmac(key, `issued:${random}`).slice(0, 22);

function issueNonce(key: Buffer): string {
  const random = randomBytes(16).toString('base64url');
  return `${random}${issuedTag(key, random)}`;
}

/**
 * A browser that signed in to an account before carries `nonce.mac`, where mac binds the nonce to
 * the account. It names no account, so a seized browser's cookie says nothing about whose it is.
 */
export function readDeviceCookie(ctx: AppContext, request: FastifyRequest): { nonce: string; mac: string } | undefined {
  const value = readCookie(request, cookies.device);
  const match = value && /^([A-Za-z0-9_-]{44})\.([A-Za-z0-9_-]{20,64})$/.exec(value);
  if (!match || !constantTimeEqual(match[1]!.slice(22), issuedTag(ctx.keys.device, match[1]!.slice(0, 22))))
    return undefined;
  return { nonce: match[1]!, mac: match[2]! };
}

export function deviceMatcher(ctx: AppContext) {
  return (userId: string, device: { nonce: string; mac: string }) =>
    constantTimeEqual(hmac(ctx.keys.device, `${userId}:${device.nonce}`), device.mac);
}

export function rememberDevice(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, userId: string): void {
  if (request.isApi) return;
  const nonce = issueNonce(ctx.keys.device);
  setCookie(request, reply, cookies.device, `${nonce}.${hmac(ctx.keys.device, `${userId}:${nonce}`)}`, {
    maxAgeSeconds: 365 * 86_400,
  });
}
