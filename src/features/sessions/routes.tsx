import { Type } from 'typebox';
import type { AppContext } from '../../app-context.js';
import { serviceContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formFields, NoContent, responses } from '../../http/schemas.js';
import { policies } from '../../security/policy.js';
import { finishSession } from './cookie.js';
import { listSessions, revokeOtherSessions, revokeSession } from './service.js';
import { SessionsPage } from './views.js';

const tags = ['sessions'];
const signedIn = { policy: policies.signedIn };
const sessionParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export async function sessionsRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/account/sessions',
    { config: signedIn, schema: { querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) } },
    async (request, reply) => {
      const sessions = await listSessions(serviceContext(ctx), request.member);
      const done = request.query.done;
      const notice = done === 'revoked' || done === 'revokedOthers' ? done : undefined;
      return reply.page(request.t('sessions.title'), <SessionsPage sessions={sessions} notice={notice} />);
    },
  );

  app.post(
    '/account/sessions/:id/revoke',
    { config: signedIn, schema: { params: sessionParams, body: formFields() } },
    async (request, reply) => {
      if (request.params.id === request.member.sessionId) {
        await finishSession(ctx, request, reply);
        return reply.redirect('/', 303);
      }
      await revokeSession(serviceContext(ctx), request.member, request.params.id);
      return reply.redirect('/account/sessions?done=revoked', 303);
    },
  );

  app.post(
    '/account/sessions/revoke-others',
    { config: signedIn, schema: { body: formFields() } },
    async (request, reply) => {
      await revokeOtherSessions(serviceContext(ctx), request.member);
      return reply.redirect('/account/sessions?done=revokedOthers', 303);
    },
  );

  app.get(
    '/api/v1/sessions',
    {
      config: signedIn,
      schema: {
        summary: 'Where the account is signed in',
        description: 'A coarse device description and days only; no address is ever kept.',
        tags,
        response: responses(
          {
            200: Type.Object({
              sessions: Type.Array(
                Type.Object({
                  id: Type.String(),
                  device: Type.String(),
                  createdAt: Type.Integer(),
                  lastActiveDay: Type.Integer(),
                  current: Type.Boolean(),
                }),
              ),
            }),
          },
          401,
        ),
      },
    },
    async (request) => ({ sessions: await listSessions(serviceContext(ctx), request.member) }),
  );

  app.delete(
    '/api/v1/sessions/:id',
    {
      config: signedIn,
      schema: {
        summary: 'End one of your sessions at once',
        tags,
        params: sessionParams,
        response: responses({ 204: NoContent }, 401, 404),
      },
    },
    async (request, reply) => {
      await revokeSession(serviceContext(ctx), request.member, request.params.id);
      return reply.code(204).send();
    },
  );
}
