import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Over HTTPS cookies get the `__Host-` prefix, which makes the browser insist on Secure,
 * Path=/ and no Domain, so no other host or path can set or read them.
 */
export function cookieName(request: FastifyRequest, base: string): string {
  return request.protocol === 'https' ? `__Host-${base}` : base;
}

export function readCookie(request: FastifyRequest, base: string): string | undefined {
  return request.cookies[cookieName(request, base)];
}

export function setCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  base: string,
  value: string,
  options: { maxAgeSeconds?: number; httpOnly?: boolean } = {},
): void {
  reply.setCookie(cookieName(request, base), value, {
    path: '/',
    httpOnly: options.httpOnly ?? true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    ...(options.maxAgeSeconds !== undefined ? { maxAge: options.maxAgeSeconds } : {}),
  });
}

export function clearCookie(request: FastifyRequest, reply: FastifyReply, base: string): void {
  reply.clearCookie(cookieName(request, base), { path: '/', secure: request.protocol === 'https' });
}

export const cookies = {
  session: 'sanad_session',
  /** Anchors the CSRF token of visitors' forms (sign in, register) before any session exists. */
  preSession: 'sanad_pre',
  locale: 'sanad_lang',
  /** Marks a browser that has signed in to an account before (see rate limits). */
  device: 'sanad_device',
  /** Opens text sent after its session had ended, kept until the next sign-in (ADR 0041). */
  kept: 'sanad_kept',
} as const;
