import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute } from '../../http/forms.js';
import { takeKeptFor, type KeepSpec } from '../../http/kept.js';
import { Cursor, FreeForm, type FreeFormBody, Id, NoContent, one, responses } from '../../http/schemas.js';
import { policies } from '../../security/policy.js';
import {
  createNote,
  deleteNote,
  editNote,
  listNotes,
  noteAddress,
  noteLimits,
  readOwnNote,
  type NoteView,
} from './services/notes.js';
import { EditNotePage, isNoteNotice, type NoteFormState, NotesPageView, notesPageTitle } from './notes-views.js';

const tags = ['resources'];
const signedIn = { policy: policies.signedIn };
const ListingParams = Type.Object({ id: Id });
const NoteParams = Type.Object({ id: Id, noteId: Id });

/** What the note form keeps when its session ended before it was sent (ADR 0041). */
const noteFields = ['body', 'rating', 'anonymous'] as const;
const keepNote: KeepSpec = {
  fields: noteFields,
  action: (p) => `/resources/${p.id}/notes`,
  resume: (p) => `/resources/${p.id}/notes#note-form`,
};
const keepEdit: KeepSpec = {
  fields: noteFields,
  action: (p) => `/resources/${p.id}/notes/${p.noteId}/edit`,
  resume: (p) => `/resources/${p.id}/notes/${p.noteId}/edit`,
};

// The API's answers: exactly these fields leave the server. An anonymous note's author is its
// pseudonym on this listing, never an account (ADR 0012).
const RatingSchema = Type.Union([Type.Literal('safe'), Type.Literal('mixed'), Type.Literal('unsafe')], {
  description: 'safe, mixed or unsafe',
});
const NoteAuthorSchema = Type.Union([
  Type.Object({ kind: Type.Literal('member'), username: Type.String() }),
  Type.Object(
    { kind: Type.Literal('anonymous'), pseudonym: Type.Integer() },
    { description: 'An anonymous note: a pseudonym that stays the same on this listing only' },
  ),
  Type.Null({ description: 'Withheld from the caller (a block or a mute)' }),
]);
const NoteSchema = Type.Object({
  id: Type.String(),
  rating: Type.Union([RatingSchema, Type.Null()]),
  body: Type.String({ description: 'Plain text; empty when withheld' }),
  author: NoteAuthorSchema,
  createdAt: Type.Union([Type.Integer(), Type.Null()]),
  edited: Type.Boolean(),
  mine: Type.Boolean({ description: 'The caller wrote it (by name or anonymously): they may change and delete it' }),
  hidden: Type.Boolean({ description: 'Hidden by the moderators: listed to the directory’s keepers only' }),
  withheld: Type.Boolean({
    description: 'Not shown to the caller (a block or a mute, ADR 0052): kept in its place, empty',
  }),
});
const SummarySchema = Type.Object(
  { safe: Type.Integer(), mixed: Type.Integer(), unsafe: Type.Integer(), total: Type.Integer() },
  { description: 'How many notes readers see rate the listing safe, mixed or unsafe' },
);
const NotesListSchema = Type.Object({
  notes: Type.Array(NoteSchema),
  summary: SummarySchema,
  next: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `after` for older notes' }),
  canNote: Type.Boolean({ description: 'The caller may leave a note here now (they have none yet)' }),
  ownNoteId: Type.Union([Type.String(), Type.Null()], { description: 'The caller’s own note here, if any' }),
});

function presentNote(n: NoteView): Static<typeof NoteSchema> {
  if (n.kind === 'withheld')
    return {
      id: n.id,
      rating: null,
      body: '',
      author: null,
      createdAt: null,
      edited: false,
      mine: false,
      hidden: false,
      withheld: true,
    };
  return {
    id: n.id,
    rating: n.rating,
    body: n.body,
    author: n.author.kind === 'member' ? { kind: 'member', username: n.author.username } : n.author,
    createdAt: n.createdAt,
    edited: n.edited,
    mine: n.mine,
    hidden: n.hidden,
    withheld: false,
  };
}

const formValues = (body: FreeFormBody): NoteFormState['values'] => ({
  body: one(body, 'body') ?? '',
  rating: one(body, 'rating') ?? '',
  anonymous: one(body, 'anonymous') === 'on',
});

/** Members' notes on listings: experience and a safety rating, by name or anonymously (ADR 0059). */
export async function notesRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);

  async function showNotes(
    request: FastifyRequest,
    reply: FastifyReply,
    listingId: string,
    options: { after?: string | undefined; form?: NoteFormState; done?: string | undefined } = {},
    status = 200,
  ) {
    const page = await listNotes(sctx(), request.actor, listingId, { after: options.after });
    const notice = isNoteNotice(options.done) ? options.done : undefined;
    return reply.page(
      notesPageTitle(request.t, page, request.locale),
      <NotesPageView page={page} form={options.form} notice={notice} />,
      status,
    );
  }

  // Pages ----------------------------------------------------------------------------------------

  app.get(
    '/resources/:id/notes',
    {
      config: signedIn,
      schema: {
        params: ListingParams,
        querystring: Type.Object({
          after: Type.Optional(Cursor),
          done: Type.Optional(Type.String({ maxLength: 20 })),
        }),
      },
    },
    async (request, reply) => {
      // Back after signing in, with words kept when the session ended: into the form.
      const kept = await takeKeptFor(ctx, request, reply, `/resources/${request.params.id}/notes`);
      const form = kept ? { values: formValues(kept), errors: [] } : undefined;
      return showNotes(request, reply, request.params.id, {
        after: request.query.after,
        done: request.query.done,
        ...(form ? { form } : {}),
      });
    },
  );

  app.post(
    '/resources/:id/notes',
    {
      // Counted as replies are, with new accounts' daily allowance (ADR 0023, 0050).
      config: { ...signedIn, limit: 'reply', keep: keepNote },
      schema: { params: ListingParams, body: FreeForm },
    },
    (request, reply) => {
      const id = request.params.id;
      const values = formValues(request.body);
      return formRoute(reply, {
        run: () => createNote(sctx(), request.member, id, values),
        done: ({ noteId, hidden }) =>
          `/resources/${encodeURIComponent(id)}/notes?done=${hidden ? 'held' : 'published'}#note-${noteId}`,
        again: (problem) =>
          showNotes(
            request,
            reply,
            id,
            { form: { values, errors: problem.errors, general: problem.general } },
            problem.status,
          ),
      });
    },
  );

  async function showEdit(
    request: FastifyRequest,
    reply: FastifyReply,
    params: { id: string; noteId: string },
    state: NoteFormState,
    status = 200,
  ) {
    return reply.page(
      request.t('resources.notes.editHeading'),
      <EditNotePage listingId={params.id} noteId={params.noteId} state={state} />,
      status,
    );
  }

  app.get(
    '/resources/:id/notes/:noteId/edit',
    { config: signedIn, schema: { params: NoteParams } },
    async (request, reply) => {
      const { id, noteId } = request.params;
      // Only the author's own note is found here (404 for anyone else's).
      const note = await readOwnNote(sctx(), request.member, id, noteId);
      const kept = await takeKeptFor(ctx, request, reply, `/resources/${id}/notes/${noteId}/edit`);
      const values = kept ? formValues(kept) : { body: note.body, rating: note.rating, anonymous: false };
      const general = note.hidden ? ('resources.notes.hiddenNoEdit' as const) : undefined;
      return showEdit(request, reply, { id, noteId }, { values, errors: [], general });
    },
  );

  app.post(
    '/resources/:id/notes/:noteId/edit',
    { config: { ...signedIn, keep: keepEdit }, schema: { params: NoteParams, body: FreeForm } },
    (request, reply) => {
      const { id, noteId } = request.params;
      const values = formValues(request.body);
      return formRoute(reply, {
        run: () => editNote(sctx(), request.member, id, noteId, { body: values.body, rating: values.rating }),
        done: ({ hidden }) =>
          `/resources/${encodeURIComponent(id)}/notes?done=${hidden ? 'held' : 'updated'}#note-${noteId}`,
        again: (problem) =>
          showEdit(
            request,
            reply,
            { id, noteId },
            { values, errors: problem.errors, general: problem.general },
            problem.status,
          ),
      });
    },
  );

  app.post(
    '/resources/:id/notes/:noteId/delete',
    { config: signedIn, schema: { params: NoteParams, body: FreeForm } },
    async (request, reply) => {
      const { id, noteId } = request.params;
      await deleteNote(sctx(), request.member, id, noteId);
      return reply.redirect(`/resources/${encodeURIComponent(id)}/notes?done=deleted`, 303);
    },
  );

  // A note's own address (the report page's way back, the queue's link): its listing's notes.
  app.get('/resource-notes/:id', { config: signedIn, schema: { params: ListingParams } }, async (request, reply) =>
    reply.redirect(await noteAddress(sctx(), request.actor, request.params.id), 303),
  );

  // API ------------------------------------------------------------------------------------------

  app.get(
    '/api/v1/resources/:id/notes',
    {
      config: signedIn,
      schema: {
        summary: 'Members’ notes on a listing, newest first',
        description:
          'For signed-in members who may read the listing (404 otherwise, as for a missing listing); never for ' +
          'visitors, never in the HSDS API or exports. Anonymous notes name a pseudonym, never an account. A note by ' +
          'someone in a block with the caller (or muted by them) is withheld: kept in its place, empty. Hidden notes ' +
          `are listed to the directory’s keepers only. ${noteLimits.pageSize} a page; \`after\` pages to older notes.`,
        tags,
        params: ListingParams,
        querystring: Type.Object({ after: Type.Optional(Cursor) }),
        response: responses({ 200: NotesListSchema }, 401, 404),
      },
    },
    async (request) => {
      const page = await listNotes(sctx(), request.actor, request.params.id, { after: request.query.after });
      return {
        notes: page.notes.map(presentNote),
        summary: page.summary,
        next: page.next,
        canNote: page.abilities.note,
        ownNoteId: page.abilities.own?.id ?? null,
      };
    },
  );

  app.post(
    '/api/v1/resources/:id/notes',
    {
      config: { ...signedIn, limit: 'reply' },
      schema: {
        summary: 'Leave a note and a safety rating on a listing',
        description:
          `Plain text, 1–${noteLimits.bodyMax} characters, and a rating. One note per member per listing (409 when ` +
          'the caller has one: change it instead). `anonymous` stores no account with the note. Counted against the ' +
          'same limits as replies, new accounts’ daily allowance included. Watched words may refuse the note (422) or ' +
          'hold it for a moderator (`hidden` true). An unsafe rating from a trusted member opens a case on the ' +
          'listing for the moderators.',
        tags,
        params: ListingParams,
        body: Type.Object(
          {
            body: Type.String({ maxLength: noteLimits.bodyMax * 4 }),
            rating: RatingSchema,
            anonymous: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: Type.Object({ note: NoteSchema }) }, 401, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      const { noteId } = await createNote(sctx(), request.member, request.params.id, request.body);
      const note = await readOwnNote(sctx(), request.member, request.params.id, noteId);
      return reply.code(201).send({ note: presentNote(note) });
    },
  );

  app.patch(
    '/api/v1/resources/:id/notes/:noteId',
    {
      config: signedIn,
      schema: {
        summary: 'Change one’s own note on a listing',
        description:
          'Only the caller’s own note (404 otherwise), not one the moderators hid (409). Either field may be left out. ' +
          'Turning the rating unsafe counts as leaving an unsafe rating.',
        tags,
        params: NoteParams,
        body: Type.Object(
          {
            body: Type.Optional(Type.String({ maxLength: noteLimits.bodyMax * 4 })),
            rating: Type.Optional(RatingSchema),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Object({ note: NoteSchema }) }, 401, 403, 404, 409, 422),
      },
    },
    async (request) => {
      const { id, noteId } = request.params;
      await editNote(sctx(), request.member, id, noteId, request.body ?? {});
      return { note: presentNote(await readOwnNote(sctx(), request.member, id, noteId)) };
    },
  );

  app.delete(
    '/api/v1/resources/:id/notes/:noteId',
    {
      config: signedIn,
      schema: {
        summary: 'Delete one’s own note on a listing',
        description: 'Only the caller’s own note, anonymous ones too (404 otherwise).',
        tags,
        params: NoteParams,
        response: responses({ 204: NoContent }, 401, 404),
      },
    },
    async (request, reply) => {
      await deleteNote(sctx(), request.member, request.params.id, request.params.noteId);
      return reply.code(204).send();
    },
  );
}
