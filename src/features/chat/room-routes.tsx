import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute } from '../../http/forms.js';
import { FreeForm, Id, NoContent, one, responses } from '../../http/schemas.js';
import { forbidden } from '../../platform/errors.js';
import { policies } from '../../security/policy.js';
import { loadGroup } from '../groups/public.js';
import { chatLimits, Timer } from './schemas.js';
import {
  createRoom,
  deleteRoom,
  getRoom,
  listGroupRooms,
  listMyRooms,
  mayCreateRoom,
  updateRoom,
  type Room,
} from './services/rooms.js';
import {
  DeleteRoomPage,
  GroupRoomsPage,
  MyRoomsPage,
  NewRoomPage,
  RoomSettingsPage,
  roomNotice,
  type RoomFormState,
} from './room-views.js';

const tags = ['chat'];
const signedIn = { policy: policies.signedIn };
const IdParams = Type.Object({ id: Id });

// What leaves the server about a room: nothing of who is in it, who wrote or when they last came.
const RoomSchema = Type.Object({
  id: Id,
  groupId: Type.Union([Id, Type.Null()], { description: 'Null: a room for everyone on the instance' }),
  name: Type.String(),
  timer: Timer,
  archived: Type.Boolean({ description: 'Archived rooms are read, and take no new messages' }),
  unread: Type.Object(
    {
      count: Type.Integer({ minimum: 0, description: "Others' messages after the caller's place (counted up to 100)" }),
      firstUnreadPosition: Type.Union([Type.Integer(), Type.Null()], {
        description: 'The `position` of the first of them',
      }),
    },
    { description: "The caller's own" },
  ),
});
const presentRoom = (r: Room): Static<typeof RoomSchema> => ({
  id: r.id,
  groupId: r.groupId,
  name: r.name,
  timer: r.timer as Static<typeof Timer>,
  archived: r.archived,
  unread: { count: r.unread.count, firstUnreadPosition: r.unread.firstUnreadPosition },
});
const RoomName = Type.String({ minLength: chatLimits.roomNameMin, maxLength: chatLimits.roomNameMax });
const RoomInputSchema = Type.Object({ name: RoomName }, { additionalProperties: false });
const RoomUpdateSchema = Type.Object(
  { name: Type.Optional(RoomName), archived: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export async function roomRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);

  // API -------------------------------------------------------------------------------------------

  app.get(
    '/api/v1/rooms',
    {
      config: signedIn,
      schema: {
        summary: "The caller's rooms: the instance's, and those of the groups they belong to",
        tags,
        response: responses({ 200: Type.Object({ rooms: Type.Array(RoomSchema) }) }, 401),
      },
    },
    async (request) => ({ rooms: (await listMyRooms(sctx(), request.member)).map(presentRoom) }),
  );

  app.post(
    '/api/v1/rooms',
    {
      config: signedIn,
      schema: {
        summary: 'Create a room for everyone on the instance (administrators)',
        tags,
        body: RoomInputSchema,
        response: responses({ 201: Type.Object({ room: RoomSchema }) }, 401, 403, 422),
      },
    },
    async (request, reply) => {
      const room = await createRoom(sctx(), request.member, null, request.body);
      return reply.code(201).send({ room: presentRoom(room) });
    },
  );

  app.get(
    '/api/v1/groups/:id/rooms',
    {
      config: signedIn,
      schema: {
        summary: "A group's rooms (whoever may read the group)",
        tags,
        params: IdParams,
        response: responses({ 200: Type.Object({ rooms: Type.Array(RoomSchema) }) }, 401, 404),
      },
    },
    async (request) => ({
      rooms: (await listGroupRooms(sctx(), request.member, request.params.id)).rooms.map(presentRoom),
    }),
  );

  app.post(
    '/api/v1/groups/:id/rooms',
    {
      config: signedIn,
      schema: {
        summary: "Create a room in a group (its owner and moderators); it starts with the group's room timer",
        tags,
        params: IdParams,
        body: RoomInputSchema,
        response: responses({ 201: Type.Object({ room: RoomSchema }) }, 401, 403, 404, 422),
      },
    },
    async (request, reply) => {
      const room = await createRoom(sctx(), request.member, request.params.id, request.body);
      return reply.code(201).send({ room: presentRoom(room) });
    },
  );

  app.get(
    '/api/v1/rooms/:id',
    {
      config: signedIn,
      schema: {
        summary: 'A room (whoever may read it)',
        tags,
        params: IdParams,
        response: responses({ 200: Type.Object({ room: RoomSchema }) }, 401, 404),
      },
    },
    async (request) => ({ room: presentRoom(await getRoom(sctx(), request.member, request.params.id)) }),
  );

  app.patch(
    '/api/v1/rooms/:id',
    {
      config: signedIn,
      schema: {
        summary:
          "Rename a room, archive it or bring it back (its group's owner and moderators; administrators for the instance's)",
        tags,
        params: IdParams,
        body: RoomUpdateSchema,
        response: responses({ 200: Type.Object({ room: RoomSchema }) }, 401, 403, 404, 422),
      },
    },
    async (request) => ({
      room: presentRoom(await updateRoom(sctx(), request.member, request.params.id, request.body)),
    }),
  );

  app.delete(
    '/api/v1/rooms/:id',
    {
      config: signedIn,
      schema: {
        summary: 'Delete a room and every message in it, for everyone',
        tags,
        params: IdParams,
        response: responses({ 204: NoContent }, 401, 403, 404),
      },
    },
    async (request, reply) => {
      await deleteRoom(sctx(), request.member, request.params.id);
      return reply.code(204).send();
    },
  );

  // Pages -----------------------------------------------------------------------------------------

  const Done = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });
  const roomForm = (body: Record<string, string | string[]>): RoomFormState['values'] => ({
    name: one(body, 'name') ?? '',
  });

  app.get('/rooms', { config: signedIn, schema: { querystring: Done } }, async (request, reply) => {
    const rooms = await listMyRooms(sctx(), request.member);
    return reply.page(
      request.t('chat.rooms.mine.title'),
      <MyRoomsPage
        rooms={rooms}
        canCreateInstanceRoom={await mayCreateRoom(sctx(), request.member, null)}
        notice={roomNotice(request.query.done)}
      />,
    );
  });

  async function showGroupRooms(
    request: FastifyRequest,
    reply: FastifyReply,
    groupId: string,
    form?: RoomFormState,
    status = 200,
    done?: string,
  ) {
    const list = await listGroupRooms(sctx(), request.member, groupId);
    return reply.page(
      request.t('chat.rooms.group.pageTitle'),
      <GroupRoomsPage
        group={list.group}
        rooms={list.rooms}
        canManage={list.canManage}
        form={form}
        notice={roomNotice(done)}
      />,
      status,
    );
  }

  app.get(
    '/groups/:id/rooms',
    { config: signedIn, schema: { params: IdParams, querystring: Done } },
    (request, reply) => showGroupRooms(request, reply, request.params.id, undefined, 200, request.query.done),
  );

  app.post('/groups/:id/rooms', { config: signedIn, schema: { params: IdParams, body: FreeForm } }, (request, reply) =>
    formRoute(reply, {
      run: () => createRoom(sctx(), request.member, request.params.id, { name: one(request.body, 'name') }),
      done: (room) => `/rooms/${room.id}`,
      again: (problem) =>
        showGroupRooms(
          request,
          reply,
          request.params.id,
          { values: roomForm(request.body), errors: problem.errors, general: problem.general },
          problem.status,
        ),
    }),
  );

  app.get(
    '/rooms/new',
    { config: signedIn, schema: { querystring: Type.Object({ group: Type.Optional(Id) }) } },
    async (request, reply) => {
      const groupId = request.query.group ?? null;
      // A form nobody else may use is refused as the action would be: 404 unreadable, 403 not managed.
      if (!(await mayCreateRoom(sctx(), request.member, groupId))) throw forbidden();
      const group = groupId ? (await loadGroup(sctx(), request.member, groupId)).group : null;
      return reply.page(
        request.t('chat.rooms.new.title'),
        <NewRoomPage group={group ? { id: group.id, name: group.name } : null} />,
      );
    },
  );

  app.post('/rooms', { config: signedIn, schema: { body: FreeForm } }, (request, reply) =>
    formRoute(reply, {
      run: () => createRoom(sctx(), request.member, null, { name: one(request.body, 'name') }),
      done: (room) => `/rooms/${room.id}`,
      again: (problem) =>
        reply.page(
          request.t('chat.rooms.new.instanceTitle'),
          <NewRoomPage
            group={null}
            state={{ values: roomForm(request.body), errors: problem.errors, general: problem.general }}
          />,
          problem.status,
        ),
    }),
  );

  /** A room's settings, for those who manage it: 404 for whoever cannot read it, 403 for readers. */
  async function managedRoom(request: FastifyRequest, id: string) {
    const room = await getRoom(sctx(), request.member, id);
    if (!room.canManage) throw forbidden();
    return room;
  }

  app.get(
    '/rooms/:id/settings',
    { config: signedIn, schema: { params: IdParams, querystring: Done } },
    async (request, reply) => {
      const room = await managedRoom(request, request.params.id);
      const notice = request.query.done === 'saved' ? ('chat.rooms.notice.saved' as const) : undefined;
      return reply.page(request.t('chat.rooms.settings.title'), <RoomSettingsPage room={room} notice={notice} />);
    },
  );

  app.post(
    '/rooms/:id/settings',
    { config: signedIn, schema: { params: IdParams, body: FreeForm } },
    (request, reply) =>
      formRoute(reply, {
        run: () => updateRoom(sctx(), request.member, request.params.id, { name: one(request.body, 'name') }),
        done: (room) => `/rooms/${room.id}/settings?done=saved`,
        again: async (problem) =>
          reply.page(
            request.t('chat.rooms.settings.title'),
            <RoomSettingsPage
              room={await managedRoom(request, request.params.id)}
              state={{ values: roomForm(request.body), errors: problem.errors, general: problem.general }}
            />,
            problem.status,
          ),
      }),
  );

  app.post(
    '/rooms/:id/archive',
    { config: signedIn, schema: { params: IdParams, body: FreeForm } },
    async (request, reply) => {
      const archived = one(request.body, 'archived') !== '0';
      await updateRoom(sctx(), request.member, request.params.id, { archived });
      return reply.redirect(`/rooms/${request.params.id}/settings?done=saved`, 303);
    },
  );

  app.get('/rooms/:id/delete', { config: signedIn, schema: { params: IdParams } }, async (request, reply) => {
    const room = await managedRoom(request, request.params.id);
    return reply.page(request.t('chat.rooms.settings.delete'), <DeleteRoomPage room={room} />);
  });

  app.post('/rooms/:id/delete', { config: signedIn, schema: { params: IdParams } }, async (request, reply) => {
    const { groupId } = await deleteRoom(sctx(), request.member, request.params.id);
    return reply.redirect(groupId ? `/groups/${groupId}/rooms?done=deleted` : '/rooms?done=deleted', 303);
  });
}
