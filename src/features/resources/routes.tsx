import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type AppContext, serviceContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute } from '../../http/forms.js';
import { Id, many, NoContent, one, responses } from '../../http/schemas.js';
import type { MessageKey } from '../../i18n/index.js';
import type { FieldError } from '../../platform/errors.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { policies } from '../../security/policy.js';
import { assembleListing, loadListingDetail } from './detail.js';
import { verificationMonths } from './freshness.js';
import { JobDetails } from './jobs-views.js';
import { ListingReportLink, NotesSection } from './notes-views.js';
import { findReadableListing } from './queries.js';
import { notesSection } from './services/notes.js';
import { verificationView } from './services/verification.js';
import { InformationChecked, VerificationStatus } from './vetting-views.js';
import { canEditListing, canManageTerms, canSuggest } from './policy.js';
import { presentListing } from './presenters.js';
import {
  checkedFormFields,
  DeleteInputSchema,
  ListingChangesSchema,
  type ListingInput,
  ListingSchema,
  NewListingSchema,
  NewTermSchema,
  ReviewInputSchema,
  TermSchema,
  listingLimits,
} from './schemas.js';
import {
  createListing,
  deleteListing,
  editableRow,
  groupChoices,
  listPending,
  organizationChoices,
  reviewListing,
  storedInput,
  updateListing,
} from './services/listings.js';
import { addTerm, listTerms } from './services/terms.js';
import {
  DeletedPage,
  DeleteListingPage,
  formDays,
  hourField,
  type ListingFormValues,
  ListingFormPage,
  ListingPage,
  ReviewQueuePage,
  TermsPage,
} from './views.js';

const tags = ['resource directory'];
const anyone = { policy: policies.anyone };
const signedIn = { policy: policies.signedIn };
const IdParams = Type.Object({ id: Id });
const Done = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });

/**
 * The listing form: many fields (the hours grid alone is 28), each a string or repeated strings.
 * Values are bounded by the body limit only: the service says which field is too long, beside it,
 * with the form as it was sent; a refusal here would answer a bare error page and lose it all.
 */
const ListingForm = Type.Record(
  Type.String({ maxLength: 40 }),
  Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: 80 })]),
  { maxProperties: 100 },
);
type FormBody = Record<string, string | string[]>;

const notices = ['created', 'suggested', 'saved', 'approved', 'declined', 'termAdded'] as const;
const noticeOf = (done: string | undefined): MessageKey | undefined =>
  (notices as readonly string[]).includes(done ?? '') ? (`resources.listings.notice.${done}` as MessageKey) : undefined;

/** What the form sent, as the service takes it. */
function inputOf(body: FormBody): ListingInput {
  const text = (name: string) => one(body, name) ?? '';
  const confidentialPhones = many(body, 'phoneConfidential');
  const address = {
    address1: text('address1'),
    city: text('addressCity'),
    country: text('addressCountry'),
    postalCode: text('postalCode'),
    confidential: one(body, 'addressConfidential') === 'on',
  };
  const hasAddress = [address.address1, address.city, address.country, address.postalCode].some((v) => v.trim());
  return {
    organizationId: text('organizationId') || null,
    organizationName: text('organizationName'),
    name: text('name'),
    description: text('description'),
    language: text('language'),
    translation: { name: text('translationName'), description: text('translationDescription') },
    terms: many(body, 'terms'),
    visibility: text('visibility'),
    groupId: text('groupId') || null,
    country: text('country') || null,
    city: text('city') || null,
    remote: one(body, 'remote') === 'on',
    cost: text('cost') || null,
    languages: many(body, 'languages'),
    url: text('url') || null,
    email: text('email') || null,
    phones: many(body, 'phones').map((number, i) => ({ number, confidential: confidentialPhones.includes(String(i)) })),
    address: hasAddress ? address : null,
    hours: formDays.flatMap((day) =>
      Array.from({ length: listingLimits.windowsPerDay }, (_, i) => ({
        day,
        opens: text(hourField(day, i + 1, 'o')),
        closes: text(hourField(day, i + 1, 'c')),
      })),
    ),
    tz: text('tz') || null,
    wkst: text('wkst'),
    eligibility: text('eligibility') || null,
    documents: text('documents').split('\n'),
  };
}

/** The form again, exactly as it was sent. */
function valuesOfBody(body: FormBody): ListingFormValues {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) if (typeof value === 'string') fields[name] = value;
  return {
    fields,
    terms: many(body, 'terms'),
    languages: many(body, 'languages'),
    phones: many(body, 'phones'),
    phoneConfidential: many(body, 'phoneConfidential'),
  };
}

/** A stored listing on the form, for editing. */
function valuesOfInput(input: ListingInput): ListingFormValues {
  const fields: Record<string, string> = {
    organizationId: input.organizationId ?? '',
    name: input.name ?? '',
    description: input.description ?? '',
    language: input.language ?? '',
    translationName: input.translation?.name ?? '',
    translationDescription: input.translation?.description ?? '',
    visibility: input.visibility ?? 'public',
    groupId: input.groupId ?? '',
    country: input.country ?? '',
    city: input.city ?? '',
    remote: input.remote ? 'on' : '',
    cost: input.cost ?? '',
    url: input.url ?? '',
    email: input.email ?? '',
    address1: input.address?.address1 ?? '',
    addressCity: input.address?.city ?? '',
    addressCountry: input.address?.country ?? '',
    postalCode: input.address?.postalCode ?? '',
    addressConfidential: input.address?.confidential ? 'on' : '',
    tz: input.tz ?? '',
    wkst: input.wkst ?? 'SA',
    eligibility: input.eligibility ?? '',
    documents: (input.documents ?? []).join('\n'),
  };
  const used = new Map<string, number>();
  for (const h of input.hours ?? []) {
    const n = (used.get(h.day) ?? 0) + 1;
    used.set(h.day, n);
    if (n > listingLimits.windowsPerDay) continue;
    fields[hourField(h.day, n, 'o')] = h.opens;
    fields[hourField(h.day, n, 'c')] = h.closes;
  }
  const phones = input.phones ?? [];
  return {
    fields,
    terms: input.terms ?? [],
    languages: input.languages ?? [],
    phones: phones.map((p) => p.number),
    phoneConfidential: phones.flatMap((p, i) => (p.confidential ? [String(i)] : [])),
  };
}

export async function listingRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);

  const formChoices = async (request: FastifyRequest) => ({
    groups: await groupChoices(sctx(), request.actor),
    organizations: await organizationChoices(sctx(), request.actor),
    terms: await listTerms(sctx(), request.locale),
  });
  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    props: { listingId?: string; values: ListingFormValues; errors: FieldError[]; general?: MessageKey | undefined },
    status = 200,
  ) => {
    const keeper = canEditListing(request.actor);
    const title = props.listingId
      ? request.t('resources.listings.form.editTitle')
      : keeper
        ? request.t('resources.listings.form.newTitle')
        : request.t('resources.listings.form.suggestTitle');
    return reply.page(
      title,
      <ListingFormPage
        listingId={props.listingId}
        keeper={keeper}
        values={props.values}
        errors={props.errors}
        general={props.general}
        choices={await formChoices(request)}
      />,
      status,
    );
  };

  // Pages -----------------------------------------------------------------------------------------

  app.get('/resources/new', { config: signedIn }, async (request, reply) => {
    if (!canSuggest(request.actor)) throw notFound();
    return formPage(request, reply, {
      values: {
        fields: { language: request.locale, visibility: 'public', wkst: 'SA' },
        terms: [],
        languages: [request.locale],
        phones: [],
        phoneConfidential: [],
      },
      errors: [],
    });
  });

  app.post('/resources', { config: { ...signedIn, limit: 'post' }, schema: { body: ListingForm } }, (request, reply) =>
    formRoute(reply, {
      run: () => createListing(sctx(), request.member, inputOf(request.body)),
      done: (made) => `/resources/${made.id}?done=${made.reviewState === 'published' ? 'created' : 'suggested'}`,
      again: (problem) =>
        formPage(
          request,
          reply,
          { values: valuesOfBody(request.body), errors: problem.errors, general: problem.general },
          problem.status,
        ),
    }),
  );

  app.get('/resources/review', { config: signedIn, schema: { querystring: Done } }, async (request, reply) => {
    const pending = await listPending(sctx(), request.member);
    return reply.page(
      request.t('resources.listings.review.title'),
      <ReviewQueuePage pending={pending} notice={noticeOf(request.query.done)} />,
    );
  });

  app.post(
    '/resources/:id/review',
    { config: signedIn, schema: { params: IdParams, body: checkedFormFields('decision', 'reason') } },
    (request, reply) => {
      if (!canEditListing(request.member)) throw forbidden();
      return formRoute(reply, {
        run: () => reviewListing(sctx(), request.member, request.params.id, request.body.decision, request.body.reason),
        done: (result) => `/resources/review?done=${result.reviewState === 'published' ? 'approved' : 'declined'}`,
        again: async (problem) =>
          reply.page(
            request.t('resources.listings.review.title'),
            <ReviewQueuePage
              pending={await listPending(sctx(), request.member)}
              state={{
                id: request.params.id,
                errors: problem.errors.length
                  ? problem.errors
                  : [{ field: 'reason', message: problem.general ?? 'error.validation' }],
                reason: request.body.reason ?? '',
              }}
            />,
            problem.status,
          ),
      });
    },
  );

  app.get('/resources/terms', { config: signedIn, schema: { querystring: Done } }, async (request, reply) => {
    if (!canManageTerms(request.actor)) throw notFound();
    return reply.page(
      request.t('resources.listings.termsPage.title'),
      <TermsPage
        terms={await listTerms(sctx(), request.locale)}
        errors={[]}
        values={{}}
        notice={noticeOf(request.query.done)}
      />,
    );
  });

  app.post(
    '/resources/terms',
    { config: signedIn, schema: { body: checkedFormFields('nameAr', 'nameEn', 'code') } },
    (request, reply) => {
      if (!canManageTerms(request.member)) throw forbidden();
      return formRoute(reply, {
        run: () => addTerm(sctx(), request.member, request.body, request.locale),
        done: () => '/resources/terms?done=termAdded',
        again: async (problem) =>
          reply.page(
            request.t('resources.listings.termsPage.title'),
            <TermsPage
              terms={await listTerms(sctx(), request.locale)}
              errors={problem.errors}
              values={{
                nameAr: request.body.nameAr ?? '',
                nameEn: request.body.nameEn ?? '',
                code: request.body.code ?? '',
              }}
            />,
            problem.status,
          ),
      });
    },
  );

  app.get(
    '/resources/:id',
    { config: anyone, schema: { params: IdParams, querystring: Done } },
    async (request, reply) => {
      const service = sctx();
      const found = await findReadableListing(service, request.actor, request.params.id);
      if (!found) throw notFound();
      const [listing, months, notes] = await Promise.all([
        assembleListing(service.db, request.actor, found.row, found.facts, request.locale),
        verificationMonths(service),
        notesSection(service, request.actor, found),
      ]);
      const groupName =
        listing.visibility === 'group' && listing.groupId && request.actor.kind === 'user'
          ? ((await groupChoices(service, request.actor)).find((g) => g.id === listing.groupId)?.name ?? null)
          : null;
      return reply.page(
        listing.name.text ?? request.t('resources.listings.title.view'),
        <ListingPage
          listing={listing}
          groupName={groupName}
          notice={noticeOf(request.query.done)}
          status={
            <>
              <VerificationStatus
                verifiedAt={found.row.verified_at}
                verifiedMethod={found.row.verified_method}
                months={months}
                now={service.now}
                locale={request.locale}
              />
              <InformationChecked assuredDate={found.row.assured_date} locale={request.locale} />
            </>
          }
          sections={
            <>
              <JobDetails
                job={found.row}
                locale={request.locale}
                now={service.now}
                canManage={listing.abilities.edit}
              />
              {notes && (
                <NotesSection
                  listingId={listing.id}
                  notes={notes.notes}
                  summary={notes.summary}
                  abilities={notes.abilities}
                  next={notes.next}
                />
              )}
            </>
          }
          reportLink={request.actor.kind === 'user' ? <ListingReportLink listingId={listing.id} /> : null}
        />,
      );
    },
  );

  app.get('/resources/:id/edit', { config: signedIn, schema: { params: IdParams } }, async (request, reply) => {
    const row = await editableRow(sctx(), request.member, request.params.id).catch((error: unknown) => {
      // The edit form is for keepers; to anyone else it does not exist.
      throw error instanceof Error && 'code' in error && error.code === 'forbidden' ? notFound() : error;
    });
    return formPage(request, reply, {
      listingId: row.id,
      values: valuesOfInput(await storedInput(ctx.db, row)),
      errors: [],
    });
  });

  app.post(
    '/resources/:id/edit',
    { config: signedIn, schema: { params: IdParams, body: ListingForm } },
    (request, reply) => {
      if (!canEditListing(request.member)) throw forbidden();
      return formRoute(reply, {
        run: () => updateListing(sctx(), request.member, request.params.id, inputOf(request.body)),
        done: () => `/resources/${request.params.id}?done=saved`,
        again: (problem) =>
          formPage(
            request,
            reply,
            {
              listingId: request.params.id,
              values: valuesOfBody(request.body),
              errors: problem.errors,
              general: problem.general,
            },
            problem.status,
          ),
      });
    },
  );

  app.get('/resources/:id/delete', { config: signedIn, schema: { params: IdParams } }, async (request, reply) => {
    if (!canEditListing(request.member)) throw notFound();
    const listing = await loadListingDetail(sctx(), request.member, request.params.id, request.locale);
    return reply.page(
      request.t('resources.listings.deletePage.title'),
      <DeleteListingPage listing={listing} errors={[]} />,
    );
  });

  app.post(
    '/resources/:id/delete',
    { config: signedIn, schema: { params: IdParams, body: checkedFormFields('reason') } },
    (request, reply) => {
      if (!canEditListing(request.member)) throw forbidden();
      return formRoute(reply, {
        run: () => deleteListing(sctx(), request.member, request.params.id, request.body.reason),
        done: () => reply.page(request.t('resources.listings.deletePage.done'), <DeletedPage />),
        again: async (problem) =>
          reply.page(
            request.t('resources.listings.deletePage.title'),
            <DeleteListingPage
              listing={await loadListingDetail(sctx(), request.member, request.params.id, request.locale)}
              errors={problem.errors}
              reason={request.body.reason}
            />,
            problem.status,
          ),
      });
    },
  );

  // API -------------------------------------------------------------------------------------------

  const Listing = Type.Object({ listing: ListingSchema });
  const presentOne = async (request: FastifyRequest, id: string) => {
    const service = sctx();
    const found = await findReadableListing(service, request.actor, id);
    if (!found) throw notFound();
    const [detail, months] = await Promise.all([
      assembleListing(service.db, request.actor, found.row, found.facts, request.locale),
      verificationMonths(service),
    ]);
    const row = found.row;
    return presentListing(detail, {
      verification: verificationView(row, months, service.now),
      assuredDate: row.assured_date,
      job:
        row.kind === 'job'
          ? {
              applyUrl: row.apply_url,
              applyContact: row.apply_contact,
              inclusionStatement: row.inclusion_statement,
              expiresAt: row.expires_at === null ? null : Number(row.expires_at),
            }
          : null,
    });
  };

  app.get(
    '/api/v1/resources/terms',
    {
      config: anyone,
      schema: {
        summary: "The directory's kinds of help (Sanad's taxonomy)",
        description: "Built-in terms and the ones keepers added, each named in the request's language.",
        tags,
        response: responses({ 200: Type.Object({ terms: Type.Array(TermSchema) }) }),
      },
    },
    async (request) => ({ terms: await listTerms(sctx(), request.locale) }),
  );

  app.post(
    '/api/v1/resources/terms',
    {
      config: signedIn,
      schema: {
        summary: 'Add a kind of help (keepers)',
        description: 'Named in Arabic and English; the code is made from the English name unless given.',
        tags,
        body: NewTermSchema,
        response: responses({ 201: Type.Object({ term: TermSchema }) }, 401, 403, 422),
      },
    },
    async (request, reply) => {
      const term = await addTerm(sctx(), request.member, request.body, request.locale);
      return reply.code(201).send({ term });
    },
  );

  app.get(
    '/api/v1/resources/:id',
    {
      config: anyone,
      schema: {
        summary: 'One listing',
        description:
          'Public listings for anyone, members-only ones for members, group-limited ones for the group. ' +
          'Confidential places, addresses, contacts and phones are never in an API answer; the page shows them ' +
          'to signed-in readers only. A listing the caller may not read answers 404.',
        tags,
        params: IdParams,
        response: responses({ 200: Listing }, 404),
      },
    },
    async (request) => ({ listing: await presentOne(request, request.params.id) }),
  );

  app.post(
    '/api/v1/resources',
    {
      config: { ...signedIn, limit: 'post' },
      schema: {
        summary: 'Add a listing (keepers) or suggest one (members)',
        description:
          "A keeper's listing is published at once. A member's is a suggestion: `reviewState` is `pending`, and " +
          'nobody but its author and the keepers sees it until a keeper approves it.',
        tags,
        body: NewListingSchema,
        response: responses({ 201: Listing }, 401, 403, 422),
      },
    },
    async (request, reply) => {
      const made = await createListing(sctx(), request.member, request.body as ListingInput);
      return reply.code(201).send({ listing: await presentOne(request, made.id) });
    },
  );

  app.patch(
    '/api/v1/resources/:id',
    {
      config: signedIn,
      schema: {
        summary: 'Change a listing (keepers)',
        description: 'Only what is given changes; a list given (phones, hours, terms) replaces the list.',
        tags,
        params: IdParams,
        body: ListingChangesSchema,
        response: responses({ 200: Listing }, 401, 403, 404, 422),
      },
    },
    async (request) => {
      await updateListing(sctx(), request.member, request.params.id, request.body as ListingInput);
      return { listing: await presentOne(request, request.params.id) };
    },
  );

  app.delete(
    '/api/v1/resources/:id',
    {
      config: signedIn,
      schema: {
        summary: 'Delete a listing (keepers)',
        description: 'For good, with the reason kept in the moderation log.',
        tags,
        params: IdParams,
        body: DeleteInputSchema,
        response: responses({ 204: NoContent }, 401, 403, 404, 422),
      },
    },
    async (request, reply) => {
      await deleteListing(sctx(), request.member, request.params.id, request.body.reason);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/resources/:id/review',
    {
      config: signedIn,
      schema: {
        summary: "Approve or decline a member's suggestion (keepers)",
        description: 'Declining needs a reason, kept in the moderation log. A suggestion already decided answers 409.',
        tags,
        params: IdParams,
        body: ReviewInputSchema,
        response: responses(
          {
            200: Type.Object({
              listing: Type.Object({
                id: Type.String(),
                reviewState: Type.Union([Type.Literal('published'), Type.Literal('declined')]),
              }),
            }),
          },
          401,
          403,
          404,
          409,
          422,
        ),
      },
    },
    async (request) => ({
      listing: await reviewListing(
        sctx(),
        request.member,
        request.params.id,
        request.body.decision,
        request.body.reason,
      ),
    }),
  );
}
