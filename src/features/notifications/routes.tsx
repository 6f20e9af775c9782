import { Type } from 'typebox';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute } from '../../http/forms.js';
import { Cursor, FreeForm, NoContent, one, responses } from '../../http/schemas.js';
import type { MessageKey, Translate } from '../../i18n/index.js';
import { isolate } from '../../security/bidi.js';
import { policies } from '../../security/policy.js';
import {
  badgeCount,
  computedNoticeCounts,
  listNotifications,
  markAllRead,
  markRead,
  notificationPreferences,
  setNotificationPreferences,
  unreadCount,
  type NotificationPreference,
} from './service.js';
import { NotificationPreferencesPage, NotificationsPage } from './views.js';
import { notificationKinds } from './kind-registry.js';

const signedIn = { policy: policies.signedIn };
const tags = ['notifications'];
const Page = Type.Object({ after: Type.Optional({ ...Cursor, description: 'The `next` cursor of the page before' }) });
const Delivery = Type.Union([Type.Literal('in_app'), Type.Literal('off')]);

/** The API's schemas name the kinds the modules declare, so the document lists every one. */
function schemasFor(kindNames: string[]) {
  const Kind = Type.Enum(kindNames);
  const NotificationSchema = Type.Object({
    id: Type.String(),
    kind: Kind,
    text: Type.String({
      description:
        'What it says, in the language the request asked for. It names a group or a thread only while you may read them, and never who acted.',
    }),
    href: Type.String({ description: 'Where following it leads: a path on this instance' }),
    createdAt: Type.Integer(),
    read: Type.Boolean(),
  });
  const PreferencesSchema = Type.Object({
    preferences: Type.Array(
      Type.Object({
        kind: Kind,
        label: Type.String({ description: 'The kind, in the language the request asked for' }),
        delivery: Delivery,
        alwaysOn: Type.Boolean({ description: 'A warning that cannot be turned off (a reset code for your account)' }),
      }),
    ),
  });
  const PreferencesChange = Type.Partial(Type.Object(Object.fromEntries(kindNames.map((kind) => [kind, Delivery]))), {
    additionalProperties: false,
  });
  return { NotificationSchema, PreferencesSchema, PreferencesChange };
}
const Done = Type.Object({ done: Type.Optional(Type.String({ maxLength: 10 })) });

/** Names in the API's text are isolated as in pages, with FSI … PDI: the text is plain (ADR 0035). */
const isolated = (names: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(names).map(([key, name]) => [key, isolate(name)]));

const presentPreferences = (t: Translate, preferences: NotificationPreference[]) => ({
  preferences: preferences.map((p) => ({
    kind: p.kind,
    label: t(p.labelKey as MessageKey),
    delivery: p.delivery,
    alwaysOn: p.alwaysOn,
  })),
});

export async function notificationsRoutes(app: App, ctx: AppContext): Promise<void> {
  const { NotificationSchema, PreferencesSchema, PreferencesChange } = schemasFor([
    ...(await notificationKinds()).keys(),
  ]);
  app.addPageValues(async (request, member) => {
    request.pageCounts = { ...request.pageCounts, unreadNotifications: await badgeCount(serviceContext(ctx), member) };
  });

  app.get('/notifications', { config: signedIn, schema: { querystring: Page } }, async (request, reply) => {
    const sctx = serviceContext(ctx);
    const list = await listNotifications(sctx, request.member, request.query);
    // Opening the page reads what it shows (as Discourse and GitHub do): a GET that changes state, on
    // purpose and only for the member's own rows. The list keeps the flags it was read with, so the
    // new ones are styled unread this once; the badge counts what is still unread after. The API's
    // GET marks nothing: clients mark read explicitly.
    const shown = list.items.filter((n) => !n.read).map((n) => n.id);
    if (shown.length > 0) {
      await markRead(sctx, request.member, shown);
      request.pageCounts = { ...request.pageCounts, unreadNotifications: await badgeCount(sctx, request.member) };
    }
    const computed = await computedNoticeCounts(sctx, request.member);
    return reply.page(request.t('notifications.title'), <NotificationsPage list={list} computed={computed} />);
  });

  app.post('/notifications/read', { config: signedIn }, async (request, reply) => {
    await markAllRead(serviceContext(ctx), request.member);
    return reply.redirect('/notifications', 303);
  });

  app.get('/notifications/preferences', { config: signedIn, schema: { querystring: Done } }, async (request, reply) => {
    const preferences = await notificationPreferences(serviceContext(ctx), request.member);
    return reply.page(
      request.t('notifications.preferences.title'),
      <NotificationPreferencesPage preferences={preferences} saved={request.query.done === 'saved'} />,
    );
  });

  app.post('/notifications/preferences', { config: signedIn, schema: { body: FreeForm } }, async (request, reply) => {
    const sctx = serviceContext(ctx);
    const sent = Object.fromEntries(
      Object.keys(request.body)
        .filter((name) => name !== '_csrf')
        .map((name) => [name, one(request.body, name) ?? '']),
    );
    return formRoute(reply, {
      run: () => setNotificationPreferences(sctx, request.member, sent),
      done: () => '/notifications/preferences?done=saved',
      again: async (problem) =>
        reply.page(
          request.t('notifications.preferences.title'),
          <NotificationPreferencesPage
            preferences={await notificationPreferences(sctx, request.member)}
            errors={problem.errors}
            sent={sent}
          />,
          problem.status,
        ),
    });
  });

  app.get(
    '/api/v1/notifications',
    {
      config: signedIn,
      schema: {
        summary: 'Your notifications, newest first, and how many are unread (counted up to 100)',
        description:
          'Notifications name no one: not who replied, mentioned or asked. Only what you can still read is listed and counted. `unread` stops at 100, meaning 100 or more. Read notifications are deleted after 30 days, all after 90. Listing marks nothing read (the notifications page does, for what it shows): mark them read with `POST /api/v1/notifications/read`.',
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
      return {
        notifications: items.map((n) => ({
          id: n.id,
          kind: n.kind,
          text: request.t(n.message.key as MessageKey, { ...n.message.values, ...isolated(n.message.names) }),
          href: n.href,
          createdAt: n.createdAt,
          read: n.read,
        })),
        next,
        unread: await unreadCount(sctx, actor),
      };
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

  app.get(
    '/api/v1/notifications/preferences',
    {
      config: signedIn,
      schema: {
        summary: 'For each kind of notification: in-app (the default) or off',
        tags,
        response: responses({ 200: PreferencesSchema }, 401),
      },
    },
    async (request) =>
      presentPreferences(request.t, await notificationPreferences(serviceContext(ctx), request.member)),
  );

  app.put(
    '/api/v1/notifications/preferences',
    {
      config: signedIn,
      schema: {
        summary: 'Change your choice for the kinds named; the others stay as they were',
        description:
          'A kind turned off is not stored at all from then on. A reset code for your account is always shown.',
        tags,
        body: PreferencesChange,
        response: responses({ 200: PreferencesSchema }, 401, 422),
      },
    },
    async (request) =>
      presentPreferences(
        request.t,
        await setNotificationPreferences(serviceContext(ctx), request.member, request.body),
      ),
  );
}
