import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { cookies, readCookie, setCookie } from '../../http/cookies.js';
import { hmac } from '../../security/secret-key.js';
import { constantTimeEqual, newToken } from '../../security/tokens.js';

/**
 * A browser that signed in to an account before carries `nonce.mac`, where mac binds the nonce to
 * the account. It names no account, so a seized browser's cookie says nothing about whose it is.
 */
export function readDeviceCookie(request: FastifyRequest): { nonce: string; mac: string } | undefined {
  const value = readCookie(request, cookies.device);
  const match = value && /^([A-Za-z0-9_-]{20,64})\.([A-Za-z0-9_-]{20,64})$/.exec(value);
  return match ? { nonce: match[1]!, mac: match[2]! } : undefined;
}

export function deviceMatcher(ctx: AppContext) {
  return (userId: string, device: { nonce: string; mac: string }) =>
    constantTimeEqual(hmac(ctx.keys.device, `${userId}:${device.nonce}`), device.mac);
}

export function rememberDevice(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, userId: string): void {
  if (request.isApi) return;
  const nonce = newToken();
  setCookie(request, reply, cookies.device, `${nonce}.${hmac(ctx.keys.device, `${userId}:${nonce}`)}`, {
    maxAgeSeconds: 365 * 86_400,
  });
}
