import { Type } from 'typebox';
import type { AppContext } from '../../app-context.js';
import { serviceContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { NoContent, responses } from '../../http/schemas.js';
import { policies } from '../../security/policy.js';
import { publicOrigin } from '../../http/public-url.js';
import { createInvite, inviteLimits, listInvites, registerInviteUrl, revokeInvite } from './service.js';

const tags = ['invites'];
const admin = { policy: policies.admin };
const Invite = Type.Object({
  id: Type.String(),
  usesLeft: Type.Integer(),
  expiresAt: Type.Integer(),
  createdAt: Type.Integer(),
});

export async function invitesRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post(
    '/api/v1/invites',
    {
      config: { ...admin, limit: 'invite' },
      schema: {
        summary: 'Create an invite code (administrators)',
        description: 'The code is returned once; only its hash is stored.',
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
      config: admin,
      schema: {
        summary: 'Active invites, without their codes (administrators)',
        tags,
        response: responses({ 200: Type.Object({ invites: Type.Array(Invite) }) }, 401, 404),
      },
    },
    async (request) => ({ invites: await listInvites(serviceContext(ctx), request.member) }),
  );

  app.delete(
    '/api/v1/invites/:id',
    {
      config: admin,
      schema: {
        summary: 'Revoke an invite (administrators)',
        tags,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: responses({ 204: NoContent }, 401, 403),
      },
    },
    async (request, reply) => {
      await revokeInvite(serviceContext(ctx), request.member, request.params.id);
      return reply.code(204).send();
    },
  );
}
