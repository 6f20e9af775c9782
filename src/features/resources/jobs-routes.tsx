import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../app-context.js';
import { serviceContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { clearCookie, readCookie, setCookie } from '../../http/cookies.js';
import { formRoute } from '../../http/forms.js';
import { Cursor, formFields, Id, NoContent, responses } from '../../http/schemas.js';
import { isCountryCode } from '../../i18n/regions.js';
import { policies } from '../../security/policy.js';
import { presentJob } from './jobs-presenters.js';
import { JobExtendInput, JobInput, JobSchema } from './jobs-schemas.js';
import { checkedFormFields } from './schemas.js';
import { CrisisPage, JobFormPage, type JobFormState, JobManagePage, JobsPage, jobsNoticeOf } from './jobs-views.js';
import { canSuggest, keepsDirectory } from './policy.js';
import { crisisCountries, crisisLines } from './services/crisis.js';
import {
  createJob,
  extendJob,
  listOpenJobs,
  loadJobToManage,
  myPendingJobs,
  pickableOrganizations,
  removeJob,
  shareableGroups,
} from './services/jobs.js';

const tags = ['resources'];
const anyone = { policy: policies.anyone };
const signedIn = { policy: policies.signedIn };
const keeper = { policy: policies.moderator };
const IdParams = Type.Object({ id: Id });

/** The crisis page's country: only the two-letter code, only by the member's choice on that page. */
const countryCookie = 'sanad_country';
const oneYear = 365 * 24 * 60 * 60;

const jobFormFields = [
  'title',
  'organizationId',
  'organizationName',
  'description',
  'country',
  'city',
  'remote',
  'applyUrl',
  'applyContact',
  'inclusionStatement',
  'expiresOn',
  'visibility',
  'groupId',
] as const;

/** The posting form (a value too long is refused beside its field, see checkedFormFields). */
const JobForm = checkedFormFields(...jobFormFields);

/** What the form's fields were, to show them again after a refusal. */
const keptValues = (body: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(jobFormFields.map((name) => [name, body[name] ?? '']));

const validCountry = (value: string | undefined): string | null => {
  const code = (value ?? '').trim().toUpperCase();
  return code.length === 2 && isCountryCode(code) ? code : null;
};

/** Job postings (a kind of listing with an expiry) and crisis lines by chosen country (ADR 0058). */
export async function jobPostingRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);

  app.get(
    '/resources/jobs',
    {
      config: anyone,
      schema: {
        querystring: Type.Object({
          after: Type.Optional(Cursor),
          done: Type.Optional(Type.String({ maxLength: 20 })),
        }),
      },
    },
    async (request, reply) => {
      const [{ jobs, next }, pending] = await Promise.all([
        listOpenJobs(sctx(), request.actor, { after: request.query.after }),
        request.query.after ? [] : myPendingJobs(sctx(), request.actor),
      ]);
      return reply.page(
        request.t('resources.jobs.title'),
        <JobsPage
          pending={pending}
          jobs={jobs}
          next={next}
          notice={jobsNoticeOf(request.query.done)}
          canPost={keepsDirectory(request.actor) || canSuggest(request.actor)}
        />,
      );
    },
  );

  const showForm = async (request: FastifyRequest, reply: FastifyReply, state?: JobFormState, status = 200) => {
    const [organizations, groups] = await Promise.all([
      pickableOrganizations(sctx(), request.actor),
      shareableGroups(sctx(), request.actor),
    ]);
    return reply.page(
      request.t('resources.jobs.new.title'),
      <JobFormPage
        state={state}
        organizations={organizations}
        groups={groups}
        publishesAtOnce={keepsDirectory(request.actor)}
        now={ctx.now()}
      />,
      status,
    );
  };

  app.get('/resources/jobs/new', { config: signedIn }, (request, reply) => showForm(request, reply));

  app.post('/resources/jobs', { config: { ...signedIn, limit: 'post' }, schema: { body: JobForm } }, (request, reply) =>
    formRoute(reply, {
      run: () => {
        const body = request.body;
        return createJob(sctx(), request.member, {
          title: body.title,
          organizationId: body.organizationId,
          organizationName: body.organizationName,
          description: body.description,
          country: body.country,
          city: body.city,
          remote: body.remote === 'yes',
          applyUrl: body.applyUrl,
          applyContact: body.applyContact,
          inclusionStatement: body.inclusionStatement,
          expiresOn: body.expiresOn,
          visibility: body.visibility,
          groupId: body.groupId,
          language: request.locale,
        });
      },
      done: (job) => (job.review_state === 'published' ? `/resources/${job.id}` : '/resources/jobs?done=submitted'),
      again: (problem) =>
        showForm(
          request,
          reply,
          { values: keptValues(request.body), errors: problem.errors, general: problem.general },
          problem.status,
        ),
    }),
  );

  // Keepers: extend or remove a posting, expired ones too.
  const showManage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    state?: JobFormState,
    status = 200,
  ) => {
    const job = await loadJobToManage(sctx(), request.member, id);
    return reply.page(
      request.t('resources.jobs.manage.title'),
      <JobManagePage job={job} state={state} now={ctx.now()} />,
      status,
    );
  };
  app.get('/resources/jobs/:id/manage', { config: keeper, schema: { params: IdParams } }, (request, reply) =>
    showManage(request, reply, request.params.id),
  );
  app.post(
    '/resources/jobs/:id/extend',
    { config: keeper, schema: { params: IdParams, body: checkedFormFields('expiresOn') } },
    (request, reply) =>
      formRoute(reply, {
        run: () => extendJob(sctx(), request.member, request.params.id, { expiresOn: request.body.expiresOn ?? '' }),
        done: (job) => `/resources/${job.id}`,
        again: (problem) =>
          showManage(
            request,
            reply,
            request.params.id,
            { values: { expiresOn: request.body.expiresOn ?? '' }, errors: problem.errors, general: problem.general },
            problem.status,
          ),
      }),
  );
  app.post(
    '/resources/jobs/:id/remove',
    { config: keeper, schema: { params: IdParams, body: checkedFormFields('reason') } },
    async (request, reply) => {
      await removeJob(sctx(), request.member, request.params.id, { reason: request.body.reason });
      return reply.redirect('/resources/jobs?done=removed', 303);
    },
  );

  // The API.
  app.get(
    '/api/v1/resources/jobs',
    {
      config: anyone,
      schema: {
        summary: 'Open job postings you may read',
        description:
          'Published, not expired, newest first; public ones for everyone, members-only ones for members, ' +
          'group-limited ones for the group. Page with `after` (the previous answer’s `next`).',
        tags,
        querystring: Type.Object({ after: Type.Optional(Cursor) }),
        response: responses(
          { 200: Type.Object({ jobs: Type.Array(JobSchema), next: Type.Union([Type.String(), Type.Null()]) }) },
          422,
        ),
      },
    },
    async (request) => {
      const { jobs, next } = await listOpenJobs(sctx(), request.actor, { after: request.query.after });
      return { jobs: jobs.map(presentJob), next };
    },
  );
  app.post(
    '/api/v1/resources/jobs',
    {
      config: { ...signedIn, limit: 'post' },
      schema: {
        summary: 'Post a job',
        description:
          'A listing of kind `job`, tagged "Jobs and training". A member’s posting waits for a keeper’s review ' +
          '(`reviewState: pending`, seen by its author only); a keeper’s is published at once. Give `applyUrl` ' +
          '(http or https) or `applyContact`, or both. It expires at the end of `expiresOn` (default 60 days ' +
          'from now, at most 180), leaves every list then, and is deleted 90 days later.',
        tags,
        body: JobInput,
        response: responses({ 201: Type.Object({ job: JobSchema }) }, 401, 403, 422),
      },
    },
    async (request, reply) => {
      const job = await createJob(sctx(), request.member, {
        ...request.body,
        language: request.body.language ?? request.locale,
      });
      return reply.code(201).send({ job: presentJob(job) });
    },
  );
  app.post(
    '/api/v1/resources/jobs/:id/extend',
    {
      config: keeper,
      schema: {
        summary: 'Keep a job posting open longer (the directory’s keepers)',
        description: 'To the end of `expiresOn`, at most 180 days from now; recorded in the moderation log.',
        tags,
        params: IdParams,
        body: JobExtendInput,
        response: responses({ 200: Type.Object({ job: JobSchema }) }, 401, 403, 404, 422),
      },
    },
    async (request) => ({
      job: presentJob(await extendJob(sctx(), request.member, request.params.id, request.body)),
    }),
  );
  app.delete(
    '/api/v1/resources/jobs/:id',
    {
      config: keeper,
      schema: {
        summary: 'Remove a job posting (the directory’s keepers)',
        description: 'Deleted with its notes and corrections; recorded in the moderation log.',
        tags,
        params: IdParams,
        response: responses({ 204: NoContent }, 401, 403, 404),
      },
    },
    async (request, reply) => {
      await removeJob(sctx(), request.member, request.params.id);
      return reply.code(204).send();
    },
  );

  // Crisis lines: the footer's link leads here; the country is the member's choice, never detected.
  app.get(
    '/resources/crisis',
    {
      config: anyone,
      schema: { querystring: Type.Object({ country: Type.Optional(Type.String({ maxLength: 10 })) }) },
    },
    async (request, reply) => {
      const remembered = validCountry(readCookie(request, countryCookie));
      const country = validCountry(request.query.country) ?? remembered;
      const [lines, countriesWithLines] = await Promise.all([
        crisisLines(sctx(), request.actor, country),
        crisisCountries(sctx(), request.actor),
      ]);
      return reply.page(
        request.t('resources.crisis.title'),
        <CrisisPage
          country={country}
          remembered={remembered}
          local={lines.local}
          international={lines.international}
          countriesWithLines={countriesWithLines}
        />,
      );
    },
  );
  app.post(
    '/resources/crisis/country',
    { config: anyone, schema: { body: checkedFormFields('country') } },
    async (request, reply) => {
      const country = validCountry(request.body.country);
      if (!country) return reply.redirect('/resources/crisis#choose', 303);
      // Only the code, only in this browser: nothing is kept on the server. Quick exit clears it.
      setCookie(request, reply, countryCookie, country, { maxAgeSeconds: oneYear });
      return reply.redirect('/resources/crisis', 303);
    },
  );
  app.post(
    '/resources/crisis/country/forget',
    { config: anyone, schema: { body: formFields() } },
    async (request, reply) => {
      clearCookie(request, reply, countryCookie);
      return reply.redirect('/resources/crisis#choose', 303);
    },
  );
}
