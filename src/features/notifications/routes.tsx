import { Type } from 'typebox';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { Cursor, NoContent, responses } from '../../http/schemas.js';
import { policies } from '../../security/policy.js';
import { listNotifications, markAllRead, unreadCount } from './service.js';
import { NotificationsPage } from './views.js';
import { startNotificationRetention } from './retention.js';

const signedIn = { policy: policies.signedIn };
const tags = ['notifications'];
const Page = Type.Object({ after: Type.Optional({ ...Cursor, description: 'The `next` cursor of the page before' }) });
const NotificationSchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum(['reply', 'thread', 'mention', 'join_request', 'join_approved', 'join_declined', 'reset_code']),
  /** Null for notifications about your account itself, such as a reset code issued for it. */
  group: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  thread: Type.Union([Type.Object({ id: Type.String(), title: Type.String() }), Type.Null()]),
  postId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Integer(),
  read: Type.Boolean(),
});

export async function notificationsRoutes(app: App, ctx: AppContext): Promise<void> {
  // Old notifications expire while the server runs (ADR 0024); a job runner can take this over.
  let retention: ReturnType<typeof startNotificationRetention> | undefined;
  app.addHook('onReady', async () => {
    retention = startNotificationRetention(ctx, app.log);
  });
  app.addHook('onClose', async () => retention?.stop());
  app.addPageValues(async (request, member) => {
    request.unreadNotifications = await unreadCount(serviceContext(ctx), member);
  });

  app.get('/notifications', { config: signedIn, schema: { querystring: Page } }, async (request, reply) => {
    const list = await listNotifications(serviceContext(ctx), request.member, request.query);
    return reply.page(request.t('notifications.title'), <NotificationsPage list={list} />);
  });

  app.post('/notifications/read', { config: signedIn }, async (request, reply) => {
    await markAllRead(serviceContext(ctx), request.member);
    return reply.redirect('/notifications', 303);
  });

  app.get(
    '/api/v1/notifications',
    {
      config: signedIn,
      schema: {
        summary: 'Your notifications, newest first, and how many are unread (counted up to 100)',
        description:
          'Notifications name no one: not who replied, mentioned or asked. Only what you can still read is listed. `unread` stops at 100, meaning 100 or more. Read notifications are deleted after 30 days, all after 90.',
        tags,
        querystring: Page,
        response: responses(
          {
            200: Type.Object({
              notifications: Type.Array(NotificationSchema),
              next: Type.Union([Type.String(), Type.Null()]),
              unread: Type.Integer(),
            }),
          },
          401,
        ),
      },
    },
    async (request) => {
      const sctx = serviceContext(ctx);
      const actor = request.member;
      const { items, next } = await listNotifications(sctx, actor, request.query);
      return { notifications: items, next, unread: await unreadCount(sctx, actor) };
    },
  );

  app.post(
    '/api/v1/notifications/read',
    {
      config: signedIn,
      schema: { summary: 'Mark every notification read', tags, response: responses({ 204: NoContent }, 401) },
    },
    async (request, reply) => {
      await markAllRead(serviceContext(ctx), request.member);
      return reply.code(204).send();
    },
  );
}
