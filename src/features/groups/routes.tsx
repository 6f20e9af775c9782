import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute } from '../../http/forms.js';
import { publicOrigin } from '../../http/public-url.js';
import { notFound, type FieldError } from '../../platform/errors.js';
import {
  Cursor,
  FreeForm,
  Id,
  many,
  NoContent,
  one,
  QueryFlag,
  responses,
  splitList,
  type FreeFormBody,
} from '../../http/schemas.js';
import type { MessageKey } from '../../i18n/index.js';
import { policies } from '../../security/policy.js';
import { listThreads } from '../discussions/public.js';
import { abilitiesFor, canCreateGroup, canManageGroup, canReadContent } from './policy.js';
import { presentGroup } from './presenters.js';
import { GroupSchema, GroupUpdateSchema, groupLimits, NewGroupSchema } from './schemas.js';
import { liftBan, listBans } from './services/bans.js';
import { createGroup } from './services/create.js';
import { listDirectory } from './services/directory.js';
import { updateGroup, updateGroupOrAsk, VisibilityIncreaseUnconfirmed } from './services/edit.js';
import {
  acceptInvite,
  createGroupInvite,
  listGroupInvites,
  previewInvite,
  revokeGroupInvite,
} from './services/invite-links.js';
import { joinGroup, withdrawRequest } from './services/join.js';
import { leaveGroup } from './services/leave.js';
import { loadGroup, loadGroupForModerationPage } from './services/load.js';
import { listMembers, removeMember } from './services/members.js';
import type { GroupInput } from './services/model.js';
import { listMyGroups } from './services/my-groups.js';
import { decideRequest, listRequests } from './services/requests.js';
import { setMemberRole } from './services/roles.js';
import {
  BansPage,
  DirectoryPage,
  GroupFormPage,
  GroupPage,
  InvitePreviewPage,
  InvitesPage,
  MembersPage,
  MyGroupsPage,
  RequestsPage,
  valuesOf,
  VisibilityConfirmPage,
  type GroupFormValues,
} from './views.js';

const tags = ['groups'];
const signedIn = { policy: policies.signedIn };
const GroupParams = Type.Object({ id: Id });
/** The directory's filters, shared by the page and the API. */
const DirectoryQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  country: Type.Optional(Type.String({ maxLength: 10 })),
  tag: Type.Optional(Type.String({ maxLength: 100 })),
  language: Type.Optional(Type.String({ maxLength: 10 })),
  after: Type.Optional(Cursor),
});
const Notices = [
  'created',
  'saved',
  'joined',
  'requested',
  'left',
  'withdrawn',
  'approved',
  'declined',
  'removed',
  'inviteAccepted',
] as const;

function formToInput(body: FreeFormBody): GroupInput {
  return {
    name: one(body, 'name'),
    description: one(body, 'description'),
    languages: many(body, 'languages'),
    country: one(body, 'country') || null,
    city: one(body, 'city') || null,
    visibility: one(body, 'visibility'),
    interests: splitList(one(body, 'interests')),
    issues: splitList(one(body, 'issues')),
    identities: splitList(one(body, 'identities')),
    questions: many(body, 'questions'),
    membersListOpen: one(body, 'membersListOpen') === 'on',
    anonymousPosting: one(body, 'anonymousPosting') === 'on',
  };
}

function formValues(body: FreeFormBody): GroupFormValues {
  const input = formToInput(body);
  return {
    name: input.name ?? '',
    description: input.description ?? '',
    languages: input.languages ?? [],
    country: input.country ?? '',
    city: input.city ?? '',
    visibility: input.visibility ?? 'private',
    interests: one(body, 'interests') ?? '',
    issues: one(body, 'issues') ?? '',
    identities: one(body, 'identities') ?? '',
    questions: input.questions ?? [],
    membersListOpen: input.membersListOpen ?? false,
    anonymousPosting: input.anonymousPosting ?? false,
  };
}

/** The roles the owner's form may give: the owner's own role passes only by leaving. */
const appointable = ['moderator', 'member'] as const;

export async function groupsRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);

  async function showGroup(
    request: FastifyRequest,
    reply: FastifyReply,
    groupId: string,
    extra: { notice?: MessageKey; join?: { errors: FieldError[]; answers: string[] }; after?: string } = {},
    status = 200,
  ) {
    const { group, viewer, banned } = await loadGroup(sctx(), request.member, groupId);
    const threads = canReadContent(viewer, group)
      ? await listThreads(sctx(), request.member, groupId, { after: extra.after })
      : null;
    return reply.page(
      group.name,
      <GroupPage
        group={group}
        abilities={abilitiesFor(viewer, group)}
        banned={banned}
        threads={threads}
        notice={extra.notice}
        join={extra.join}
      />,
      status,
    );
  }
  const done = (reply: FastifyReply, path: string, notice: (typeof Notices)[number]) =>
    reply.redirect(`${path}?done=${notice}`, 303);
  const noticeOf = (done: string | undefined) =>
    (Notices as readonly string[]).includes(done ?? '') ? (`groups.notice.${done}` as MessageKey) : undefined;

  // Pages -----------------------------------------------------------------------------------------

  app.get(
    '/groups',
    {
      // With words, the directory is a search of the whole index, counted like one.
      config: { ...signedIn, limit: 'search' },
      schema: {
        querystring: DirectoryQuery,
      },
    },
    async (request, reply) => {
      const result = await listDirectory(sctx(), request.member, request.query);
      return reply.page(request.t('groups.directory.title'), <DirectoryPage result={result} filters={request.query} />);
    },
  );

  app.get('/groups/mine', { config: signedIn }, async (request, reply) => {
    const groups = await listMyGroups(sctx(), request.member);
    return reply.page(request.t('groups.mine.title'), <MyGroupsPage groups={groups} />);
  });

  app.get('/groups/new', { config: signedIn }, async (request, reply) =>
    reply.page(
      request.t('groups.create.title'),
      <GroupFormPage
        values={{ languages: [request.locale], visibility: 'private' }}
        errors={[]}
        // Told before filling the form in, not after (ADR 0050).
        general={canCreateGroup(request.member) ? undefined : 'trust.groups.refused'}
      />,
    ),
  );

  app.post('/groups', { config: { ...signedIn, limit: 'group' }, schema: { body: FreeForm } }, (request, reply) =>
    formRoute(reply, {
      run: () => createGroup(sctx(), request.member, formToInput(request.body)),
      done: (group) => done(reply, `/groups/${group.id}`, 'created'),
      again: (problem) =>
        reply.page(
          request.t('groups.create.title'),
          <GroupFormPage values={formValues(request.body)} errors={problem.errors} general={problem.general} />,
          problem.status,
        ),
    }),
  );

  app.get(
    '/groups/:id',
    {
      config: signedIn,
      schema: {
        params: GroupParams,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 30 })), after: Type.Optional(Cursor) }),
      },
    },
    async (request, reply) => {
      const notice = noticeOf(request.query.done);
      return showGroup(request, reply, request.params.id, {
        ...(notice ? { notice } : {}),
        ...(request.query.after ? { after: request.query.after } : {}),
      });
    },
  );

  app.get('/groups/:id/settings', { config: signedIn, schema: { params: GroupParams } }, async (request, reply) => {
    const { group, viewer } = await loadGroup(sctx(), request.member, request.params.id);
    if (!canManageGroup(viewer)) throw notFound();
    return reply.page(
      request.t('groups.settings.title'),
      <GroupFormPage groupId={group.id} values={valuesOf(group)} errors={[]} />,
    );
  });

  app.post(
    '/groups/:id/settings',
    { config: signedIn, schema: { params: GroupParams, body: FreeForm } },
    async (request, reply) => {
      // "Back to the settings" from the confirmation page: the form again, with every edit kept.
      if (one(request.body, 'back') !== undefined) {
        const { viewer } = await loadGroup(sctx(), request.member, request.params.id);
        if (!canManageGroup(viewer)) throw notFound();
        return reply.page(
          request.t('groups.settings.title'),
          <GroupFormPage groupId={request.params.id} values={formValues(request.body)} errors={[]} />,
        );
      }
      return formRoute(reply, {
        // Showing the group to more people: nothing is saved until the owner says yes to what it shows.
        run: () =>
          updateGroupOrAsk(sctx(), request.member, request.params.id, formToInput(request.body), {
            confirmedVisibility: one(request.body, 'confirmVisibility'),
          }),
        done: (result) =>
          result instanceof VisibilityIncreaseUnconfirmed
            ? reply.page(
                request.t('groups.visibilityConfirm.title'),
                <VisibilityConfirmPage
                  group={{ id: request.params.id, name: result.groupName }}
                  from={result.from}
                  to={result.to}
                  body={request.body}
                />,
              )
            : done(reply, `/groups/${request.params.id}`, 'saved'),
        again: (problem) =>
          reply.page(
            request.t('groups.settings.title'),
            <GroupFormPage
              groupId={request.params.id}
              values={formValues(request.body)}
              errors={problem.errors}
              general={problem.general}
            />,
            problem.status,
          ),
      });
    },
  );

  app.post(
    '/groups/:id/join',
    { config: { ...signedIn, limit: 'join' }, schema: { params: GroupParams, body: FreeForm } },
    (request, reply) => {
      const answers = [0, 1, 2].map((i) => one(request.body, `answer${i}`) ?? '');
      return formRoute(reply, {
        run: () => joinGroup(sctx(), request.member, request.params.id, { answers }),
        done: (outcome) =>
          done(reply, `/groups/${request.params.id}`, outcome === 'requested' ? 'requested' : 'joined'),
        again: (problem) =>
          showGroup(request, reply, request.params.id, { join: { errors: problem.errors, answers } }, problem.status),
      });
    },
  );

  app.post('/groups/:id/leave', { config: signedIn, schema: { params: GroupParams } }, async (request, reply) => {
    await leaveGroup(sctx(), request.member, request.params.id);
    return reply.redirect('/groups/mine?done=left', 303);
  });

  app.post(
    '/groups/:id/request/withdraw',
    { config: signedIn, schema: { params: GroupParams } },
    async (request, reply) => {
      await withdrawRequest(sctx(), request.member, request.params.id);
      return done(reply, `/groups/${request.params.id}`, 'withdrawn');
    },
  );

  app.get('/groups/:id/requests', { config: signedIn, schema: { params: GroupParams } }, async (request, reply) => {
    const group = await loadGroupForModerationPage(sctx(), request.member, request.params.id);
    const requests = await listRequests(sctx(), request.member, request.params.id);
    return reply.page(request.t('groups.requests.title'), <RequestsPage group={group} requests={requests} />);
  });

  app.post(
    '/groups/:id/requests/:requestId/:decision',
    {
      config: signedIn,
      schema: {
        params: Type.Object({
          id: Id,
          requestId: Id,
          decision: Type.Union([Type.Literal('approve'), Type.Literal('decline')]),
        }),
      },
    },
    async (request, reply) => {
      await decideRequest(sctx(), request.member, request.params.id, request.params.requestId, request.params.decision);
      return reply.redirect(`/groups/${request.params.id}/requests`, 303);
    },
  );

  app.get('/groups/:id/members', { config: signedIn, schema: { params: GroupParams } }, async (request, reply) => {
    const group = await loadGroupForModerationPage(sctx(), request.member, request.params.id);
    const members = await listMembers(sctx(), request.member, request.params.id);
    return reply.page(request.t('groups.members.title'), <MembersPage group={group} members={members} />);
  });

  app.post(
    '/groups/:id/members/:userId/role',
    { config: signedIn, schema: { params: Type.Object({ id: Id, userId: Id }), body: FreeForm } },
    async (request, reply) => {
      const role = appointable.find((r) => r === one(request.body, 'role')) ?? 'member';
      await setMemberRole(sctx(), request.member, request.params.id, request.params.userId, role);
      return reply.redirect(`/groups/${request.params.id}/members`, 303);
    },
  );

  app.post(
    '/groups/:id/members/:userId/remove',
    { config: signedIn, schema: { params: Type.Object({ id: Id, userId: Id }), body: FreeForm } },
    async (request, reply) => {
      await removeMember(sctx(), request.member, request.params.id, request.params.userId, {
        ban: one(request.body, 'ban') === 'on',
      });
      return reply.redirect(`/groups/${request.params.id}/members`, 303);
    },
  );

  app.get('/groups/:id/bans', { config: signedIn, schema: { params: GroupParams } }, async (request, reply) => {
    const group = await loadGroupForModerationPage(sctx(), request.member, request.params.id);
    const bans = await listBans(sctx(), request.member, request.params.id);
    return reply.page(request.t('groups.bans.title'), <BansPage group={group} bans={bans} />);
  });

  app.post(
    '/groups/:id/bans/:userId/lift',
    { config: signedIn, schema: { params: Type.Object({ id: Id, userId: Id }) } },
    async (request, reply) => {
      await liftBan(sctx(), request.member, request.params.id, request.params.userId);
      return reply.redirect(`/groups/${request.params.id}/bans`, 303);
    },
  );

  async function showInvites(
    request: FastifyRequest,
    reply: FastifyReply,
    groupId: string,
    extra: { created?: { code: string; url: string }; errors?: FieldError[] } = {},
    status = 200,
  ) {
    const { group } = await loadGroup(sctx(), request.member, groupId);
    const invites = await listGroupInvites(sctx(), request.member, groupId);
    return reply.page(
      request.t('groups.invites.title'),
      <InvitesPage group={group} invites={invites} created={extra.created} errors={extra.errors ?? []} />,
      status,
    );
  }

  app.get('/groups/:id/invites', { config: signedIn, schema: { params: GroupParams } }, async (request, reply) =>
    showInvites(request, reply, request.params.id),
  );

  app.post(
    '/groups/:id/invites',
    { config: { ...signedIn, limit: 'invite' }, schema: { params: GroupParams, body: FreeForm } },
    (request, reply) =>
      formRoute(reply, {
        run: () =>
          createGroupInvite(sctx(), request.member, request.params.id, {
            uses: Number(one(request.body, 'uses') ?? 1),
            days: Number(one(request.body, 'days') ?? 7),
          }),
        done: (invite) =>
          showInvites(request, reply, request.params.id, {
            created: { code: invite.code, url: inviteUrl(ctx, request, invite.code) },
          }),
        again: (problem) => showInvites(request, reply, request.params.id, { errors: problem.errors }, problem.status),
      }),
  );

  app.post(
    '/groups/:id/invites/:inviteId/revoke',
    { config: signedIn, schema: { params: Type.Object({ id: Id, inviteId: Id }) } },
    async (request, reply) => {
      await revokeGroupInvite(sctx(), request.member, request.params.id, request.params.inviteId);
      return reply.redirect(`/groups/${request.params.id}/invites`, 303);
    },
  );

  const InviteParams = Type.Object({ code: Type.String({ maxLength: 100 }) });

  app.get('/join/:code', { config: signedIn, schema: { params: InviteParams } }, async (request, reply) => {
    const { group, member: isMember } = await previewInvite(sctx(), request.member, request.params.code);
    return reply.page(group.name, <InvitePreviewPage group={group} member={isMember} code={request.params.code} />);
  });

  app.post('/join/:code', { config: signedIn, schema: { params: InviteParams } }, async (request, reply) => {
    const group = await acceptInvite(sctx(), request.member, request.params.code);
    return done(reply, `/groups/${group.id}`, 'inviteAccepted');
  });

  // API -------------------------------------------------------------------------------------------

  app.get(
    '/api/v1/groups',
    {
      config: { ...signedIn, limit: 'search' },
      schema: {
        summary: 'The group directory: public and private groups, by the day of their last activity, latest first',
        description:
          'Hidden groups are never listed. Filter by search words, country, tag or language; page with `after`.',
        tags,
        querystring: Type.Object({
          ...DirectoryQuery.properties,
          mine: Type.Optional({
            ...QueryFlag,
            description: 'Only the groups the caller belongs to (hidden ones included)',
          }),
        }),
        response: responses(
          { 200: Type.Object({ groups: Type.Array(GroupSchema), next: Type.Union([Type.String(), Type.Null()]) }) },
          401,
        ),
      },
    },
    async (request) => {
      if (request.query.mine === 'true') {
        const mine = await listMyGroups(sctx(), request.member);
        return {
          groups: mine.map((m) => presentGroup(m.group, { membership: m.role, pendingRequest: false })),
          next: null,
        };
      }
      const page = await listDirectory(sctx(), request.member, request.query);
      return { groups: page.groups.map((g) => presentGroup(g, page.mine.get(g.id))), next: page.next };
    },
  );

  app.post(
    '/api/v1/groups',
    {
      config: { ...signedIn, limit: 'group' },
      schema: {
        summary: 'Create a group; the caller becomes its owner',
        tags,
        body: NewGroupSchema,
        response: responses({ 201: Type.Object({ group: GroupSchema }) }, 401, 403, 422),
      },
    },
    async (request, reply) => {
      // A new group speaks its creator's language unless they say otherwise.
      const input = { ...request.body, languages: request.body.languages ?? [request.locale] };
      const group = await createGroup(sctx(), request.member, input);
      return reply.code(201).send({ group: presentGroup(group, { membership: 'owner', pendingRequest: false }) });
    },
  );

  app.get(
    '/api/v1/groups/:id',
    {
      config: signedIn,
      schema: {
        summary: 'One group',
        tags,
        params: GroupParams,
        response: responses({ 200: Type.Object({ group: GroupSchema }) }, 401, 404),
      },
    },
    async (request) => {
      const { group, viewer } = await loadGroup(sctx(), request.member, request.params.id);
      return { group: presentGroup(group, viewer) };
    },
  );

  app.patch(
    '/api/v1/groups/:id',
    {
      config: signedIn,
      schema: {
        summary: "Change a group's settings (owner)",
        description:
          'Showing the group to more people needs `confirmVisibilityIncrease: true`; without it the answer is 409 `conflict` and nothing changes. Its members are told once it is done.',
        tags,
        params: GroupParams,
        body: GroupUpdateSchema,
        response: responses({ 200: Type.Object({ group: GroupSchema }) }, 401, 403, 404, 409, 422),
      },
    },
    async (request) => {
      const { confirmVisibilityIncrease, ...changes } = request.body;
      const group = await updateGroup(sctx(), request.member, request.params.id, changes, {
        confirmedVisibility: confirmVisibilityIncrease === true ? changes.visibility : undefined,
      });
      return { group: presentGroup(group, { membership: 'owner', pendingRequest: false }) };
    },
  );

  app.post(
    '/api/v1/groups/:id/join',
    {
      config: { ...signedIn, limit: 'join' },
      schema: {
        summary: 'Join a public group, or ask to join a private one',
        description: 'Private groups: `answers` holds one answer per membership question, in order.',
        tags,
        params: GroupParams,
        body: Type.Optional(
          Type.Object(
            {
              answers: Type.Optional(
                Type.Array(Type.String({ maxLength: groupLimits.answerMax }), { maxItems: groupLimits.questions }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
        response: responses(
          {
            200: Type.Object({
              status: Type.Union([Type.Literal('joined'), Type.Literal('requested'), Type.Literal('already_member')]),
            }),
          },
          401,
          403,
          404,
          422,
        ),
      },
    },
    async (request) => ({
      status: await joinGroup(sctx(), request.member, request.params.id, { answers: request.body?.answers }),
    }),
  );

  app.post(
    '/api/v1/groups/:id/leave',
    {
      config: signedIn,
      schema: {
        summary: 'Leave a group, at once',
        tags,
        params: GroupParams,
        response: responses({ 204: NoContent }, 401, 404),
      },
    },
    async (request, reply) => {
      await leaveGroup(sctx(), request.member, request.params.id);
      return reply.code(204).send();
    },
  );

  const MemberSchema = Type.Object({
    userId: Type.String(),
    username: Type.String(),
    role: Type.Union([Type.Literal('owner'), Type.Literal('moderator'), Type.Literal('member')]),
    joinedAt: Type.Integer(),
  });

  app.get(
    '/api/v1/groups/:id/members',
    {
      config: signedIn,
      schema: {
        summary: "A group's members (its moderators, or every member when the owner opened the list)",
        tags,
        params: GroupParams,
        response: responses({ 200: Type.Object({ members: Type.Array(MemberSchema) }) }, 401, 404),
      },
    },
    async (request) => ({ members: await listMembers(sctx(), request.member, request.params.id) }),
  );

  app.patch(
    '/api/v1/groups/:id/members/:userId',
    {
      config: signedIn,
      schema: {
        summary: 'Appoint or remove a group moderator (owner)',
        tags,
        params: Type.Object({ id: Id, userId: Id }),
        body: Type.Object(
          { role: Type.Union([Type.Literal('moderator'), Type.Literal('member')]) },
          { additionalProperties: false },
        ),
        response: responses({ 204: NoContent }, 401, 403, 404, 409),
      },
    },
    async (request, reply) => {
      await setMemberRole(sctx(), request.member, request.params.id, request.params.userId, request.body.role);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/v1/groups/:id/members/:userId',
    {
      config: signedIn,
      schema: {
        summary: 'Remove a member from a group, optionally banning them (group moderators)',
        tags,
        params: Type.Object({ id: Id, userId: Id }),
        querystring: Type.Object({ ban: Type.Optional(QueryFlag) }),
        response: responses({ 204: NoContent }, 401, 403, 404, 409),
      },
    },
    async (request, reply) => {
      await removeMember(sctx(), request.member, request.params.id, request.params.userId, {
        ban: request.query.ban === 'true',
      });
      return reply.code(204).send();
    },
  );

  const RequestSchema = Type.Object({
    id: Type.String(),
    username: Type.String(),
    questions: Type.Array(Type.String()),
    answers: Type.Array(Type.String()),
    createdAt: Type.Integer(),
  });

  app.get(
    '/api/v1/groups/:id/requests',
    {
      config: signedIn,
      schema: {
        summary: 'Waiting requests to join (group moderators)',
        tags,
        params: GroupParams,
        response: responses({ 200: Type.Object({ requests: Type.Array(RequestSchema) }) }, 401, 404),
      },
    },
    async (request) => ({ requests: await listRequests(sctx(), request.member, request.params.id) }),
  );

  for (const decision of ['approve', 'decline'] as const) {
    app.post(
      `/api/v1/groups/:id/requests/:requestId/${decision}`,
      {
        config: signedIn,
        schema: {
          summary: `${decision === 'approve' ? 'Approve' : 'Decline'} a request to join (group moderators)`,
          tags,
          params: Type.Object({ id: Id, requestId: Id }),
          response: responses({ 204: NoContent }, 401, 403, 404),
        },
      },
      async (request, reply) => {
        await decideRequest(sctx(), request.member, request.params.id, request.params.requestId, decision);
        return reply.code(204).send();
      },
    );
  }

  app.post(
    '/api/v1/groups/:id/invites',
    {
      config: { ...signedIn, limit: 'invite' },
      schema: {
        summary: 'Make an invite link (group moderators)',
        description: 'The code is returned once; only its hash is stored. The link is /join/{code}.',
        tags,
        params: GroupParams,
        body: Type.Optional(
          Type.Object(
            {
              uses: Type.Optional(Type.Integer({ minimum: 1, maximum: groupLimits.inviteUsesMax })),
              days: Type.Optional(Type.Integer({ minimum: 1, maximum: groupLimits.inviteDaysMax })),
            },
            { additionalProperties: false },
          ),
        ),
        response: responses(
          {
            201: Type.Object({
              invite: Type.Object({
                id: Type.String(),
                code: Type.String(),
                url: Type.String(),
                usesLeft: Type.Integer(),
                expiresAt: Type.Integer(),
              }),
            }),
          },
          401,
          403,
          404,
          422,
        ),
      },
    },
    async (request, reply) => {
      const invite = await createGroupInvite(sctx(), request.member, request.params.id, request.body ?? {});
      return reply.code(201).send({
        invite: {
          id: invite.id,
          code: invite.code,
          url: inviteUrl(ctx, request, invite.code),
          usesLeft: invite.usesLeft,
          expiresAt: invite.expiresAt,
        },
      });
    },
  );

  app.post(
    '/api/v1/group-invites/:code/accept',
    {
      config: signedIn,
      schema: {
        summary: 'Join a group with an invite code',
        tags,
        params: InviteParams,
        response: responses({ 200: Type.Object({ group: GroupSchema }) }, 401, 403, 404),
      },
    },
    async (request) => {
      const group = await acceptInvite(sctx(), request.member, request.params.code);
      const { viewer } = await loadGroup(sctx(), request.member, group.id);
      return { group: presentGroup(group, viewer) };
    },
  );
}

/** Absolute whenever the site's public origin is known (ADR 0034); relative otherwise. */
function inviteUrl(ctx: AppContext, request: FastifyRequest, code: string): string {
  return `${publicOrigin(ctx.config, request)}/join/${encodeURIComponent(code)}`;
}
