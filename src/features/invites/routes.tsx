import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../app-context.js';
import { serviceContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute } from '../../http/forms.js';
import { formFields, NoContent, responses } from '../../http/schemas.js';
import type { MessageKey } from '../../i18n/index.js';
import type { FieldError } from '../../platform/errors.js';
import { policies, type RoutePolicy } from '../../security/policy.js';
import { publicOrigin } from '../../http/public-url.js';
import { canMakeInvites, isUncappedInviter } from './policy.js';
import {
  createInvite,
  inviteLimits,
  inviteLimitsFor,
  listInvites,
  registerInviteUrl,
  revokeInvite,
} from './service.js';
import { inviteTree, setBranchInvitesFrozen, treeLimits, type TreeNode } from './tree.js';
import { InviteTreePage, MyInvitesPage } from './views.js';

const tags = ['invites'];
/** Trusted members, the instance's moderators and administrators (ADR 0051). */
const inviters: RoutePolicy = Object.assign((actor: Parameters<RoutePolicy>[0]) => canMakeInvites(actor), {
  policyName: 'inviters',
});
const moderators = { policy: policies.moderator };
const idParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Invite = Type.Object({
  id: Type.String(),
  usesLeft: Type.Integer(),
  expiresAt: Type.Integer(),
  createdAt: Type.Integer(),
});

/** Parses a whole number from a form field; anything else becomes NaN for the service to reject. */
function wholeNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return /^\s*\d{1,6}\s*$/.test(value) ? Number(value) : Number.NaN;
}

/** One account of the tree; the tree is sent flat, each node naming its parent, roots first. */
const TreeNodeSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  parentId: Type.Union([Type.Null(), Type.String()], { description: 'Its inviter, when shown here; null for a root' }),
  level: Type.Integer({ description: '0 for a root of this view' }),
  joinedAt: Type.Integer({ description: 'The day they joined (midnight UTC)' }),
  trust: Type.Union([Type.Literal('new'), Type.Literal('member'), Type.Literal('trusted')]),
  frozen: Type.Boolean(),
  invitesFrozen: Type.Boolean(),
  invitedCount: Type.Integer({ description: 'How many accounts they brought in directly' }),
});

/** Depth first, so a parent comes before its children. */
function flatten(nodes: TreeNode[], parentId: string | null = null, level = 0): Static<typeof TreeNodeSchema>[] {
  return nodes.flatMap(({ children, ...node }) => [
    { ...node, parentId, level },
    ...flatten(children, node.id, level + 1),
  ]);
}

export async function invitesRoutes(app: App, ctx: AppContext): Promise<void> {
  // A member's own invites ---------------------------------------------------------------------

  app.post(
    '/api/v1/invites',
    {
      config: { policy: inviters, limit: 'invite' },
      schema: {
        summary: 'Create an invite code (trusted members, moderators, administrators)',
        description:
          'The code is returned once; only its hash is stored. Trusted members have a few invites at a time, each for a few people.',
        tags,
        body: Type.Object(
          {
            uses: Type.Optional(Type.Integer({ minimum: 1, maximum: inviteLimits.maxUses })),
            days: Type.Optional(Type.Integer({ minimum: 1, maximum: inviteLimits.maxDays })),
          },
          { additionalProperties: false },
        ),
        response: responses(
          {
            201: Type.Object({
              invite: Type.Object({
                id: Type.String(),
                code: Type.String(),
                url: Type.String({ description: 'The registration page with the code filled in' }),
                usesLeft: Type.Integer(),
                expiresAt: Type.Integer(),
              }),
            }),
          },
          401,
          403,
          409,
          422,
        ),
      },
    },
    async (request, reply) => {
      const invite = await createInvite(serviceContext(ctx), request.member, request.body ?? {});
      return reply.code(201).send({
        invite: {
          id: invite.id,
          code: invite.code,
          url: registerInviteUrl(publicOrigin(ctx.config, request), invite.code),
          usesLeft: invite.usesLeft,
          expiresAt: invite.expiresAt,
        },
      });
    },
  );

  app.get(
    '/api/v1/invites',
    {
      config: { policy: inviters },
      schema: {
        summary: 'Your active invites, without their codes',
        tags,
        response: responses({ 200: Type.Object({ invites: Type.Array(Invite) }) }, 401, 404),
      },
    },
    async (request) => ({ invites: await listInvites(serviceContext(ctx), request.member) }),
  );

  app.delete(
    '/api/v1/invites/:id',
    {
      config: { policy: inviters },
      schema: {
        summary: 'Revoke one of your invites (administrators: any invite)',
        tags,
        params: idParams,
        response: responses({ 204: NoContent }, 401, 403, 404),
      },
    },
    async (request, reply) => {
      await revokeInvite(serviceContext(ctx), request.member, request.params.id);
      return reply.code(204).send();
    },
  );

  async function showMine(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      newInvite?: { code: string; url: string };
      errors?: FieldError[];
      general?: MessageKey | undefined;
      notice?: MessageKey | undefined;
    } = {},
    status = 200,
  ) {
    const member = request.member;
    return reply.page(
      request.t('invites.mine.title'),
      <MyInvitesPage
        invites={await listInvites(serviceContext(ctx), member)}
        limits={inviteLimitsFor(member)}
        capped={!isUncappedInviter(member)}
        {...extra}
      />,
      status,
    );
  }

  app.get(
    '/invites',
    {
      config: { policy: inviters },
      schema: { querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    },
    (request, reply) =>
      showMine(request, reply, request.query.done === 'revoked' ? { notice: 'invites.mine.revoked' } : {}),
  );

  app.post(
    '/invites',
    { config: { policy: inviters, limit: 'invite' }, schema: { body: formFields('uses', 'days') } },
    (request, reply) =>
      formRoute(reply, {
        run: () =>
          createInvite(serviceContext(ctx), request.member, {
            uses: wholeNumber(request.body.uses),
            days: wholeNumber(request.body.days),
          }),
        done: (invite) =>
          showMine(request, reply, {
            newInvite: { code: invite.code, url: registerInviteUrl(publicOrigin(ctx.config, request), invite.code) },
          }),
        again: (problem) =>
          showMine(request, reply, { errors: problem.errors, general: problem.general }, problem.status),
      }),
  );

  app.post(
    '/invites/:id/revoke',
    { config: { policy: inviters }, schema: { params: idParams, body: formFields() } },
    async (request, reply) => {
      await revokeInvite(serviceContext(ctx), request.member, request.params.id);
      return reply.redirect('/invites?done=revoked', 303);
    },
  );

  // The invite tree (instance moderators) -------------------------------------------------------

  const treeQuery = Type.Object({
    root: Type.Optional(Type.String({ maxLength: 64 })),
    depth: Type.Optional(
      Type.String({ pattern: '^[1-8]$', description: `Levels to show, 1 to ${treeLimits.maxDepth}; 3 unless given` }),
    ),
  });

  app.get(
    '/api/v1/admin/invite-tree',
    {
      config: moderators,
      schema: {
        summary: 'Who brought whom in (instance moderators)',
        description:
          'Roots are accounts without an inviter; `root` gives the branch under one account. Limited in depth and in nodes (`truncated`).',
        tags,
        querystring: treeQuery,
        response: responses(
          {
            200: Type.Object({
              branch: Type.Union([
                Type.Null(),
                Type.Object({
                  id: Type.String(),
                  username: Type.String(),
                  invitedBy: Type.Union([Type.Null(), Type.Object({ id: Type.String(), username: Type.String() })]),
                }),
              ]),
              nodes: Type.Array(TreeNodeSchema),
              depth: Type.Integer(),
              truncated: Type.Boolean(),
            }),
          },
          401,
          404,
        ),
      },
    },
    async (request) => {
      const { root, depth } = request.query;
      const tree = await inviteTree(serviceContext(ctx), request.member, {
        root,
        depth: depth === undefined ? undefined : Number(depth),
      });
      return { branch: tree.branch, nodes: flatten(tree.roots), depth: tree.depth, truncated: tree.truncated };
    },
  );

  const freezeBody = Type.Object(
    { reason: Type.String({ minLength: 1, maxLength: treeLimits.reasonMax }) },
    { additionalProperties: false },
  );
  for (const frozen of [true, false]) {
    const verb = frozen ? 'freeze' : 'unfreeze';
    app.post(
      `/api/v1/admin/invite-tree/:id/${verb}`,
      {
        config: moderators,
        schema: {
          summary: frozen
            ? "Stop a branch's invites: every invite its accounts made stops working, and they make no new ones"
            : "Let a branch's accounts invite again",
          tags,
          params: idParams,
          body: freezeBody,
          response: responses({ 200: Type.Object({ accounts: Type.Integer() }) }, 401, 403, 404),
        },
      },
      async (request) =>
        setBranchInvitesFrozen(serviceContext(ctx), request.member, {
          rootId: request.params.id,
          frozen,
          reason: request.body.reason,
        }),
    );

    app.post(
      `/moderation/invite-tree/:id/${verb}`,
      { config: moderators, schema: { params: idParams, body: formFields('reason') } },
      (request, reply) =>
        formRoute(reply, {
          run: () =>
            setBranchInvitesFrozen(serviceContext(ctx), request.member, {
              rootId: request.params.id,
              frozen,
              reason: request.body.reason,
            }),
          done: (result) =>
            `/moderation/invite-tree?root=${encodeURIComponent(request.params.id)}&done=${verb}&count=${result.accounts}`,
          again: (problem) =>
            showTree(
              request,
              reply,
              { root: request.params.id },
              { errors: problem.errors, general: problem.general },
              problem.status,
            ),
        }),
    );
  }

  async function showTree(
    request: FastifyRequest,
    reply: FastifyReply,
    query: { root?: string | undefined; depth?: number | undefined },
    extra: {
      notice?: { key: MessageKey; count: number };
      errors?: FieldError[];
      general?: MessageKey | undefined;
    } = {},
    status = 200,
  ) {
    const tree = await inviteTree(serviceContext(ctx), request.member, query);
    const branchInvitesFrozen = tree.branch ? (tree.roots[0]?.invitesFrozen ?? false) : false;
    return reply.page(
      request.t('invites.tree.title'),
      <InviteTreePage tree={tree} branchInvitesFrozen={branchInvitesFrozen} {...extra} />,
      status,
    );
  }

  app.get(
    '/moderation/invite-tree',
    {
      config: moderators,
      schema: {
        querystring: Type.Object({
          root: Type.Optional(Type.String({ maxLength: 64 })),
          done: Type.Optional(Type.Union([Type.Literal('freeze'), Type.Literal('unfreeze')])),
          count: Type.Optional(Type.String({ maxLength: 9, pattern: '^\\d+$' })),
        }),
      },
    },
    (request, reply) => {
      const { root, done, count } = request.query;
      const notice = done
        ? {
            key: (done === 'freeze' ? 'invites.tree.frozenDone' : 'invites.tree.unfrozenDone') as MessageKey,
            count: Number(count ?? 0),
          }
        : undefined;
      return showTree(request, reply, { root }, notice ? { notice } : {});
    },
  );
}
