import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { serviceContext } from '../../app-context.js';
import { cookies, clearCookie, setCookie } from '../../http/cookies.js';
import { forgetKept } from '../../http/kept.js';
import { describeDevice } from '../../security/device.js';
import { translator } from '../../i18n/index.js';
import { endSession } from './service.js';
import { createSession, resolveSession, type NewSession } from '../../security/sessions.js';

/** Starts a session for a member who just proved who they are, and gives the browser its cookie. */
export async function beginSession(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string,
): Promise<NewSession> {
  const session = await createSession(serviceContext(ctx), userId, describeDevice(request.headers['user-agent']));
  // API clients get the token in the body; browsers get it as an HttpOnly cookie.
  if (!request.isApi) {
    setCookie(request, reply, cookies.session, session.token, {
      maxAgeSeconds: ctx.config.sessionAbsoluteDays * 86_400,
    });
    // The page this request still renders (the recovery codes) shows the member signed in, as the next one will.
    const member = await resolveSession(serviceContext(ctx), session.token);
    if (member) {
      request.actor = member;
      request.authVia = 'cookie';
      request.t = translator(request.locale, member.address);
    }
  }
  return session;
}

/** Ends the request's session at once and tells the browser to drop what it kept of it. */
export async function finishSession(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.actor.kind === 'user' && request.actor.sessionId) {
    await endSession(serviceContext(ctx), request.actor.sessionId);
  }
  clearCookie(request, reply, cookies.session);
  // Text kept from an earlier session ending is forgotten with this one: nothing left for whoever comes next.
  await forgetKept(ctx, request, reply);
  // The language and device cookies stay: they hold nothing readable and spare the next sign-in.
  reply.header('Clear-Site-Data', '"cache", "storage"');
}
