import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../app-context.js';
import { serviceContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute, type FormProblem } from '../../http/forms.js';
import { Cursor, formFields, Id, NoContent, responses } from '../../http/schemas.js';
import { notFound } from '../../platform/errors.js';
import { policies } from '../../security/policy.js';
import { checkedFormFields, VerificationSchema } from './schemas.js';
import { verificationMonths, verificationMonthsBounds } from './freshness.js';
import { canCorrect } from './policy.js';
import { findReadableListing } from './queries.js';
import {
  correctionFieldNames,
  correctionFields,
  correctionLimits,
  correctionReasons,
  decideCorrection,
  listOpenCorrections,
  submitCorrection,
  type CorrectionView,
} from './services/corrections.js';
import {
  isoDay,
  readVerification,
  setVerificationMonths,
  verificationLimits,
  verifyListing,
  withdrawVerification,
} from './services/verification.js';
import { localised } from './translations.js';
import {
  CorrectionsQueuePage,
  CorrectPage,
  DirectorySettingsPage,
  queueNoticeOf,
  type VettingFormState,
  VerifyPage,
  verifyNoticeOf,
} from './vetting-views.js';

const tags = ['resources'];
const anyone = { policy: policies.anyone };
const signedIn = { policy: policies.signedIn };
/** The directory's keepers: instance moderators and administrators (ADR 0053). */
const keeper = { policy: policies.moderator };
const admin = { policy: policies.admin };

const IdParams = Type.Object({ id: Id });
const Done = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });
const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  );

// API shapes ------------------------------------------------------------------------------------

const VerifyBody = Type.Object({
  date: Type.Optional(
    Type.String({ maxLength: 10, description: 'YYYY-MM-DD (UTC), today when left out; never in the future' }),
  ),
  method: Type.String({ maxLength: 20, description: 'visited, vouched or statement' }),
  note: Type.Optional(Type.String({ maxLength: verificationLimits.noteMax, description: 'For moderators only' })),
});
const ReasonBody = Type.Object({ reason: Type.String({ maxLength: verificationLimits.reasonMax }) });
const Settings = Type.Object({
  verificationMonths: Type.Integer({ minimum: verificationMonthsBounds.min, maximum: verificationMonthsBounds.max }),
});
const Proposed = Type.Object(
  Object.fromEntries(
    correctionFieldNames.map((f) => [f, Type.Optional(Type.String({ maxLength: correctionFields[f] }))]),
  ),
  { additionalProperties: false },
);
const CorrectionBody = Type.Object({
  reason: Type.String({ maxLength: 20, description: 'outdated, wrong, closed or other' }),
  note: Type.Optional(Type.String({ maxLength: correctionLimits.noteMax })),
  anonymous: Type.Optional(
    Type.Boolean({ description: 'Stored without the account: only a keyed hash and a sealed id recognise it' }),
  ),
  proposed: Type.Optional(Proposed),
});
const CorrectionCreated = Type.Object({ id: Type.String(), createdAt: Type.Integer(), anonymous: Type.Boolean() });
const CorrectionSchema = Type.Object({
  id: Type.String(),
  serviceId: Type.String(),
  serviceName: Type.Union([Type.String(), Type.Null()]),
  reason: literals(correctionReasons),
  note: Type.Union([Type.String(), Type.Null()]),
  proposed: Proposed,
  createdAt: Type.Integer(),
});
const DecisionBody = Type.Object({
  decision: Type.String({ maxLength: 20, description: 'accept or decline' }),
  reason: Type.Optional(Type.String({ maxLength: correctionLimits.reasonMax })),
});
const Decided = Type.Object({
  id: Type.String(),
  serviceId: Type.String(),
  status: literals(['accepted', 'declined'] as const),
  applied: Type.Array(Type.String(), { description: 'The fields written into the listing' }),
});

/**
 * What the API says about a correction: never who sent it, and no confidential address or phone
 * (a proposed replacement for a confidential one is confidential too).
 */
function presentCorrection(c: CorrectionView) {
  const proposed = { ...c.proposed };
  if (c.confidential.address) delete proposed.address;
  if (c.confidential.phone) delete proposed.phone;
  return {
    id: c.id,
    serviceId: c.serviceId,
    serviceName: c.serviceName,
    reason: c.reason,
    note: c.note,
    proposed,
    createdAt: c.createdAt,
  };
}

const stateOf = (values: Record<string, string | undefined>, problem: FormProblem): VettingFormState => ({
  values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v ?? ''])),
  errors: problem.errors,
  general: problem.general,
});

/** Trust signals: verification that lapses, the setting of how long, corrections and their queue (ADR 0056). */
export async function vettingRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);

  // Verification: the keepers' page ---------------------------------------------------------------

  const showVerify = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    forms: { verify?: VettingFormState; withdraw?: VettingFormState } = {},
    status = 200,
  ) => {
    const s = sctx();
    const found = await readVerification(s, request.actor, id);
    // A keeper reads every listing, so null means there is none; `note` is null for anyone else.
    if (!found) throw notFound();
    const { row } = found.listing;
    return reply.page(
      request.t('resources.vetting.verify.title'),
      <VerifyPage
        serviceId={row.id}
        name={localised(row, 'name', request.locale).text}
        verifiedAt={row.verified_at}
        verifiedMethod={row.verified_method}
        note={found.note}
        assuredDate={row.assured_date}
        months={found.months}
        now={s.now}
        today={isoDay(s.now)}
        notice={verifyNoticeOf((request.query as { done?: string } | undefined)?.done)}
        {...forms}
      />,
      status,
    );
  };

  app.get(
    '/resources/:id/verify',
    { config: keeper, schema: { params: IdParams, querystring: Done } },
    (request, reply) => showVerify(request, reply, request.params.id),
  );

  app.post(
    '/resources/:id/verify',
    { config: keeper, schema: { params: IdParams, body: checkedFormFields('date', 'method', 'note') } },
    (request, reply) =>
      formRoute(reply, {
        run: () =>
          verifyListing(sctx(), request.member, request.params.id, {
            date: request.body.date,
            method: request.body.method,
            note: request.body.note,
          }),
        done: () => `/resources/${encodeURIComponent(request.params.id)}/verify?done=verified`,
        again: (problem) =>
          showVerify(request, reply, request.params.id, { verify: stateOf(request.body, problem) }, problem.status),
      }),
  );

  app.post(
    '/resources/:id/verify/withdraw',
    { config: keeper, schema: { params: IdParams, body: checkedFormFields('reason') } },
    (request, reply) =>
      formRoute(reply, {
        run: () => withdrawVerification(sctx(), request.member, request.params.id, { reason: request.body.reason }),
        done: () => `/resources/${encodeURIComponent(request.params.id)}/verify?done=withdrawn`,
        again: (problem) =>
          showVerify(request, reply, request.params.id, { withdraw: stateOf(request.body, problem) }, problem.status),
      }),
  );

  // Verification: the API ---------------------------------------------------------------------------

  app.get(
    '/api/v1/resources/:id/verification',
    {
      config: anyone,
      schema: {
        summary: "A listing's verification: when, how, and whether it still holds",
        description: 'Never who verified it, nor the moderators’ note.',
        tags,
        params: IdParams,
        response: responses({ 200: Type.Object({ verification: VerificationSchema }) }, 404),
      },
    },
    async (request) => {
      const found = await readVerification(sctx(), request.actor, request.params.id);
      if (!found) throw notFound();
      return { verification: found.verification };
    },
  );

  app.put(
    '/api/v1/resources/:id/verification',
    {
      config: keeper,
      schema: {
        summary: 'Mark a listing verified LGBTQ-affirming, or renew the mark',
        description:
          'Directory keepers (instance moderators and administrators). The mark lapses after the instance’s setting (12 months unless changed). Written to the moderation log.',
        tags,
        params: IdParams,
        body: VerifyBody,
        response: responses({ 200: Type.Object({ verification: VerificationSchema }) }, 401, 403, 404, 422),
      },
    },
    async (request) => ({
      verification: await verifyListing(sctx(), request.member, request.params.id, request.body),
    }),
  );

  app.delete(
    '/api/v1/resources/:id/verification',
    {
      config: keeper,
      schema: {
        summary: 'Withdraw the verification mark',
        description: 'With a reason, kept in the moderation log.',
        tags,
        params: IdParams,
        body: ReasonBody,
        response: responses({ 204: NoContent }, 401, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      await withdrawVerification(sctx(), request.member, request.params.id, request.body);
      return reply.code(204).send();
    },
  );

  // How long a mark holds: administrators ---------------------------------------------------------

  const showSettings = async (request: FastifyRequest, reply: FastifyReply, form?: VettingFormState, status = 200) =>
    reply.page(
      request.t('resources.vetting.settings.title'),
      <DirectorySettingsPage
        months={await verificationMonths(ctx)}
        saved={(request.query as { done?: string } | undefined)?.done === 'saved'}
        form={form}
      />,
      status,
    );

  app.get('/admin/resources', { config: admin, schema: { querystring: Done } }, (request, reply) =>
    showSettings(request, reply),
  );
  app.post('/admin/resources', { config: admin, schema: { body: formFields('months') } }, (request, reply) =>
    formRoute(reply, {
      run: () => setVerificationMonths(sctx(), request.member, { months: request.body.months }),
      done: () => '/admin/resources?done=saved',
      again: (problem) => showSettings(request, reply, stateOf(request.body, problem), problem.status),
    }),
  );

  app.get(
    '/api/v1/admin/resources',
    {
      config: admin,
      schema: {
        summary: "The resource directory's settings",
        tags,
        response: responses({ 200: Settings }, 401, 404),
      },
    },
    async () => ({ verificationMonths: await verificationMonths(ctx) }),
  );
  app.put(
    '/api/v1/admin/resources',
    {
      config: admin,
      schema: {
        summary: "Change the resource directory's settings",
        description: 'How many months a verification holds; every listing reads it, so it applies at once.',
        tags,
        body: Settings,
        response: responses({ 200: Settings }, 401, 403, 422),
      },
    },
    async (request) => ({
      verificationMonths: await setVerificationMonths(sctx(), request.member, {
        months: request.body.verificationMonths,
      }),
    }),
  );

  // Corrections: members send them ----------------------------------------------------------------

  const showCorrect = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form?: VettingFormState,
    status = 200,
  ) => {
    const listing = await findReadableListing(sctx(), request.actor, id);
    if (!listing || !canCorrect(request.actor, listing.facts)) throw notFound();
    return reply.page(
      request.t('resources.vetting.correct.title'),
      <CorrectPage
        serviceId={listing.row.id}
        name={localised(listing.row, 'name', request.locale).text}
        sent={(request.query as { done?: string } | undefined)?.done === 'sent'}
        form={form}
      />,
      status,
    );
  };

  app.get(
    '/resources/:id/correct',
    { config: signedIn, schema: { params: IdParams, querystring: Done } },
    (request, reply) => showCorrect(request, reply, request.params.id),
  );

  app.post(
    '/resources/:id/correct',
    {
      config: signedIn,
      schema: { params: IdParams, body: checkedFormFields('reason', 'note', 'anonymous', ...correctionFieldNames) },
    },
    (request, reply) =>
      formRoute(reply, {
        run: () => {
          const body = request.body;
          return submitCorrection(sctx(), request.member, request.params.id, {
            reason: body.reason,
            note: body.note,
            anonymous: body.anonymous === 'on',
            proposed: Object.fromEntries(correctionFieldNames.map((f) => [f, body[f]])),
          });
        },
        done: () => `/resources/${encodeURIComponent(request.params.id)}/correct?done=sent`,
        again: (problem) =>
          showCorrect(request, reply, request.params.id, stateOf(request.body, problem), problem.status),
      }),
  );

  app.post(
    '/api/v1/resources/:id/corrections',
    {
      config: signedIn,
      schema: {
        summary: 'Report a listing as outdated, wrong or closed, with a proposed fix',
        description:
          'By name or anonymously. Moderators never see who sent it. A member sends a limited number a day (fewer for new accounts).',
        tags,
        params: IdParams,
        body: CorrectionBody,
        response: responses({ 201: Type.Object({ correction: CorrectionCreated }) }, 401, 403, 404, 422),
      },
    },
    async (request, reply) => {
      const anonymous = request.body.anonymous === true;
      const created = await submitCorrection(sctx(), request.member, request.params.id, {
        ...request.body,
        anonymous,
      });
      return reply.code(201).send({ correction: { ...created, anonymous } });
    },
  );

  // Corrections: the keepers' queue -----------------------------------------------------------------

  const showQueue = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form?: VettingFormState & { id: string },
    status = 200,
  ) => {
    const query = request.query as { after?: string; done?: string } | undefined;
    const page = await listOpenCorrections(sctx(), request.actor, { after: query?.after });
    return reply.page(
      request.t('resources.vetting.queue.title'),
      <CorrectionsQueuePage
        corrections={page.corrections}
        next={page.next}
        notice={queueNoticeOf(query?.done)}
        form={form}
      />,
      status,
    );
  };

  const QueueQuery = Type.Object({
    after: Type.Optional(Cursor),
    done: Type.Optional(Type.String({ maxLength: 20 })),
  });
  app.get('/resources/corrections', { config: keeper, schema: { querystring: QueueQuery } }, (request, reply) =>
    showQueue(request, reply),
  );

  app.post(
    '/resources/corrections/:id/decision',
    { config: keeper, schema: { params: IdParams, body: checkedFormFields('decision', 'reason') } },
    (request, reply) =>
      formRoute(reply, {
        run: () => decideCorrection(sctx(), request.member, request.params.id, request.body),
        done: (decided) => `/resources/corrections?done=${decided.status}`,
        again: (problem) =>
          showQueue(request, reply, { id: request.params.id, ...stateOf(request.body, problem) }, problem.status),
      }),
  );

  app.get(
    '/api/v1/resources/corrections',
    {
      config: keeper,
      schema: {
        summary: 'Open corrections, oldest first',
        description: 'Directory keepers only. Never who sent a correction; no confidential address or phone.',
        tags,
        querystring: Type.Object({ after: Type.Optional(Cursor) }),
        response: responses(
          {
            200: Type.Object({
              corrections: Type.Array(CorrectionSchema),
              next: Type.Union([Type.String(), Type.Null()], { description: 'The `after` of the next page' }),
            }),
          },
          401,
          404,
        ),
      },
    },
    async (request) => {
      const page = await listOpenCorrections(sctx(), request.actor, { after: request.query.after });
      return { corrections: page.corrections.map(presentCorrection), next: page.next };
    },
  );

  app.post(
    '/api/v1/resources/corrections/:id/decision',
    {
      config: keeper,
      schema: {
        summary: 'Accept or decline a correction',
        description:
          'Accepting writes the proposed name, description, phone, address, city, website and email into the listing and records that it was checked today. Both are written to the moderation log.',
        tags,
        params: IdParams,
        body: DecisionBody,
        response: responses({ 200: Type.Object({ correction: Decided }) }, 401, 403, 404, 409, 422),
      },
    },
    async (request) => ({
      correction: await decideCorrection(sctx(), request.member, request.params.id, request.body),
    }),
  );
}
