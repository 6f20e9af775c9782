import type { ServiceContext } from '../../../app-context.js';
import { checkpointAfterErasure, inTransaction, type DbOrTx } from '../../../db/database.js';
import { afterKeyset, decodeCursor, encodeCursor } from '../../../db/keyset.js';
import { AppError, forbidden, invalid, notFound, type FieldError } from '../../../platform/errors.js';
import { openCase, recordModeration, settleCases, type ModerationNote } from '../../../platform/moderation.js';
import type { Actor, Member } from '../../../security/actor.js';
import { authorRef, pseudonymCount, pseudonymSeed, sealAuthor } from '../../../security/anonymity.js';
import { withoutBidiControls } from '../../../security/bidi.js';
import { hasMuted, isBlockedBetween } from '../../../security/blocks.js';
import { newId } from '../../../security/tokens.js';
import { screenPost } from '../../safety/public.js';
import { linkRefusal, trustOf } from '../../trust/public.js';
import { resourceRefScope } from '../erase.js';
import { canNote, canReadNotes, keepsDirectory, type ListingFacts } from '../policy.js';
import { findReadableListing, listingFacts } from '../queries.js';

/**
 * Members' notes on a listing (ADR 0059): a short account of their experience and a safety rating,
 * by name or anonymously (ADR 0012's keyed hash and sealed author, scoped to the listing), read by
 * signed-in members who may read the listing and never by visitors, the HSDS API or exports.
 */

export const noteRatings = ['safe', 'mixed', 'unsafe'] as const;
export type NoteRating = (typeof noteRatings)[number];
export const isNoteRating = (value: unknown): value is NoteRating =>
  (noteRatings as readonly unknown[]).includes(value);

/** A short note, not an essay: long enough for what happened and what to watch for. */
export const noteLimits = { bodyMax: 1000, pageSize: 20 } as const;

export interface NoteInput {
  body?: string | undefined;
  rating?: string | undefined;
  anonymous?: boolean | undefined;
}

export type NoteAuthor = { kind: 'member'; username: string } | { kind: 'anonymous'; pseudonym: number };

/**
 * One note as the reader may see it: in full, or withheld (a block or a mute: ADR 0052), in its
 * place with nothing of it, so the list counts the same for everyone.
 */
export type NoteView =
  | {
      kind: 'note';
      id: string;
      rating: NoteRating;
      body: string;
      author: NoteAuthor;
      createdAt: number;
      /** Changed by its author after it was written. */
      edited: boolean;
      /** The reader wrote it (by name or anonymously): they may edit and delete it. */
      mine: boolean;
      /** Hidden by the directory's keepers or held by a watched word: only keepers see it listed. */
      hidden: boolean;
    }
  | { kind: 'withheld'; id: string };

/** How many readers found the listing safe, mixed or unsafe: every note shown to readers counts. */
export interface NotesSummary {
  safe: number;
  mixed: number;
  unsafe: number;
  total: number;
}

/** What the notes section may offer this reader. */
export interface NotesAbilities {
  /** Leave a note now: they may write, and have no note on this listing yet. */
  note: boolean;
  /** Their own note here, if any, and whether readers see it. */
  own: { id: string; hidden: boolean } | null;
}

export interface NotesPage {
  listing: { id: string; name: string | null; translations: string | null; language: string | null };
  notes: NoteView[];
  summary: NotesSummary;
  /** The cursor of the next (older) page, or null. */
  next: string | null;
  abilities: NotesAbilities;
}

interface NoteRow {
  id: string;
  service_id: string;
  author_id: string | null;
  anonymous: number;
  author_ref: string | null;
  rating: string;
  body: string;
  hidden: number;
  created_at: number;
  updated_at: number;
}

/** The reader's way into a listing's notes: the listing if it exists for them and they may read its notes. */
async function notesListing(ctx: ServiceContext, actor: Actor, serviceId: string) {
  const found = await findReadableListing(ctx, actor, serviceId);
  if (!found || !canReadNotes(actor, found.facts)) throw notFound();
  return found;
}

/** A note's words: paragraphs kept, no direction controls (they would reorder the page), trimmed. */
export const cleanNoteBody = (text: string | undefined | null) =>
  withoutBidiControls(text ?? '')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

function validateNote(
  actor: Member,
  input: NoteInput,
  errors: FieldError[],
  partial = false,
): { body: string | null; rating: NoteRating | null } {
  let body: string | null = null;
  let rating: NoteRating | null = null;
  if (!partial || input.body !== undefined) {
    body = cleanNoteBody(input.body);
    if (!body) errors.push({ field: 'body', message: 'resources.notes.bodyRequired' });
    else if ([...body].length > noteLimits.bodyMax)
      errors.push({ field: 'body', message: 'resources.notes.bodyLength', values: { max: noteLimits.bodyMax } });
    else {
      // New accounts post no links, here as in replies (ADR 0050).
      const link = linkRefusal(actor, body);
      if (link) errors.push(link);
    }
  }
  if (!partial || input.rating !== undefined) {
    if (isNoteRating(input.rating)) rating = input.rating;
    else errors.push({ field: 'rating', message: 'resources.notes.ratingRequired' });
  }
  return { body, rating };
}

/** The reader's own note on this listing, named or anonymous, whatever its state. */
async function ownNote(db: DbOrTx, ctx: ServiceContext, actor: Member, serviceId: string) {
  const ref = authorRef(ctx.keys.anonymity, resourceRefScope(serviceId), actor.id);
  return db
    .selectFrom('resource_notes')
    .select(['id', 'hidden', 'rating', 'anonymous'])
    .where('service_id', '=', serviceId)
    .where((eb) => eb.or([eb('author_id', '=', actor.id), eb('author_ref', '=', ref)]))
    .executeTakeFirst();
}

/**
 * Watched words (ADR 0052): the instance's, and a group-limited listing's group's. A blocked word
 * refuses the note beside its field; a held one saves it hidden until a moderator approves it.
 */
function screenNote(db: DbOrTx, groupId: string | null, body: string) {
  return screenPost(db, groupId, { body });
}

/**
 * Raises the cases a note needs, in its transaction: a held or flagged note (watched words), and
 * the listing itself when a trusted member (or a moderator) rates it unsafe, so the keepers look at
 * it at once rather than when someone thinks to report it (issue 12).
 */
async function raiseCases(
  trx: DbOrTx,
  ctx: ServiceContext,
  actor: Member,
  at: { serviceId: string; noteId: string; screening: Awaited<ReturnType<typeof screenNote>>; unsafe: boolean },
): Promise<void> {
  if (at.screening.action !== 'publish')
    await openCase(trx, {
      targetType: 'resource_note',
      targetId: at.noteId,
      groupId: null,
      reason: at.screening.action === 'hold' ? 'held' : 'watched_word',
      reporterId: null,
      now: ctx.now,
    });
  if (at.unsafe && trustOf(actor) === 'trusted')
    await openCase(trx, {
      targetType: 'resource',
      targetId: at.serviceId,
      groupId: null,
      reason: 'unsafe_note',
      // Raised by Sanad: the case names the listing, never who rated it.
      reporterId: null,
      now: ctx.now,
    });
}

/** Two notes of one member on one listing are refused: the listing row is the lock (PostgreSQL). */
async function lockListing(trx: DbOrTx, ctx: ServiceContext, serviceId: string): Promise<void> {
  let query = trx.selectFrom('resource_services').select('id').where('id', '=', serviceId);
  if (ctx.engine === 'postgres') query = query.forUpdate();
  await query.executeTakeFirst();
}

/**
 * Leaves a note on a listing. One per member per listing: a rating is one person's verdict, and a
 * second note (or a named and an anonymous one) would let one person count twice in the summary.
 * They edit the note they have instead.
 */
export async function createNote(
  ctx: ServiceContext,
  actor: Member,
  serviceId: string,
  input: NoteInput,
): Promise<{ noteId: string; hidden: boolean }> {
  const { row, facts } = await notesListing(ctx, actor, serviceId);
  if (!canNote(actor, facts)) throw forbidden();
  const errors: FieldError[] = [];
  const { body, rating } = validateNote(actor, input, errors);
  if (errors.length || body === null || rating === null) throw invalid(errors);
  const screening = await screenNote(ctx.db, row.visibility === 'group' ? row.group_id : null, body);
  const held = screening.action === 'hold';
  const anonymous = input.anonymous === true;
  const noteId = newId();
  await inTransaction(ctx.db, async (trx) => {
    await lockListing(trx, ctx, serviceId);
    if (await ownNote(trx, ctx, actor, serviceId)) throw new AppError('conflict', 'resources.notes.already');
    const ref = authorRef(ctx.keys.anonymity, resourceRefScope(serviceId), actor.id);
    await trx
      .insertInto('resource_notes')
      .values({
        id: noteId,
        service_id: serviceId,
        // An anonymous note keeps no account (ADR 0012): its keyed hash and sealed author only.
        author_id: anonymous ? null : actor.id,
        anonymous: anonymous ? 1 : 0,
        author_ref: anonymous ? ref : null,
        author_box: anonymous ? sealAuthor(ctx.keys.anonymity, actor.id) : null,
        rating,
        body,
        hidden: held ? 1 : 0,
        created_at: ctx.now,
        updated_at: ctx.now,
      })
      .execute();
    await raiseCases(trx, ctx, actor, { serviceId, noteId, screening, unsafe: rating === 'unsafe' });
  });
  return { noteId, hidden: held };
}

/** The reader's own note on this listing, for editing or deleting; anything else is missing (404). */
async function ownNoteById(ctx: ServiceContext, actor: Member, serviceId: string, noteId: string) {
  const found = await notesListing(ctx, actor, serviceId);
  const note = await ctx.db
    .selectFrom('resource_notes')
    .select(['id', 'author_id', 'author_ref', 'anonymous', 'rating', 'hidden'])
    .where('id', '=', noteId)
    .where('service_id', '=', serviceId)
    .executeTakeFirst();
  const ref = authorRef(ctx.keys.anonymity, resourceRefScope(serviceId), actor.id);
  const mine = note && (note.anonymous ? note.author_ref === ref : note.author_id === actor.id);
  if (!note || !mine) throw notFound();
  return { ...found, note };
}

/** Changes one's own note's words or rating. A note hidden by the keepers stays as it is. */
export async function editNote(
  ctx: ServiceContext,
  actor: Member,
  serviceId: string,
  noteId: string,
  input: Omit<NoteInput, 'anonymous'>,
): Promise<{ hidden: boolean }> {
  const { row, facts, note } = await ownNoteById(ctx, actor, serviceId, noteId);
  if (!canNote(actor, facts)) throw forbidden();
  if (note.hidden) throw new AppError('conflict', 'resources.notes.hiddenNoEdit');
  const errors: FieldError[] = [];
  const { body, rating } = validateNote(actor, input, errors, true);
  if (errors.length) throw invalid(errors);
  const screening = body
    ? await screenNote(ctx.db, row.visibility === 'group' ? row.group_id : null, body)
    : ({ action: 'publish' } as const);
  const held = screening.action === 'hold';
  await inTransaction(ctx.db, async (trx) => {
    await trx
      .updateTable('resource_notes')
      .set({
        ...(body !== null ? { body } : {}),
        ...(rating !== null ? { rating } : {}),
        ...(held ? { hidden: 1 } : {}),
        updated_at: ctx.now,
      })
      .where('id', '=', noteId)
      .execute();
    // Turning a note unsafe is leaving an unsafe rating: a way round the flag otherwise.
    const newlyUnsafe = rating === 'unsafe' && note.rating !== 'unsafe';
    await raiseCases(trx, ctx, actor, { serviceId, noteId, screening, unsafe: newlyUnsafe });
  });
  return { hidden: held };
}

/** Deletes one's own note, anonymous ones too (recognised by their keyed hash), hidden ones too. */
export async function deleteNote(ctx: ServiceContext, actor: Member, serviceId: string, noteId: string): Promise<void> {
  await ownNoteById(ctx, actor, serviceId, noteId);
  await ctx.db.deleteFrom('resource_notes').where('id', '=', noteId).execute();
  // Deleted words leave the database, its write-ahead log too (ADR 0014).
  await checkpointAfterErasure(ctx);
}

/**
 * Pseudonyms of a listing's anonymous authors: each author's keyed hash seeds a number, taken in
 * the order the notes were written and moved on past any number an earlier note holds, so two
 * authors never share one. Stable while the notes stay (a note deleted may free a number a later
 * note was moved past: rare, and harmless, since one author has one note per listing).
 */
async function pseudonymsOf(db: DbOrTx, serviceId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('resource_notes')
    .select(['id', 'author_ref'])
    .where('service_id', '=', serviceId)
    .where('anonymous', '=', 1)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const used = new Set<number>();
  const byNote = new Map<string, number>();
  for (const row of rows) {
    let pseudonym = pseudonymSeed(row.author_ref ?? row.id);
    while (used.has(pseudonym)) pseudonym = (pseudonym + 1) % pseudonymCount;
    used.add(pseudonym);
    byNote.set(row.id, pseudonym);
  }
  return byNote;
}

export async function notesSummary(db: DbOrTx, serviceId: string): Promise<NotesSummary> {
  const rows = await db
    .selectFrom('resource_notes')
    .select(['rating', (eb) => eb.fn.countAll<number | string>().as('count')])
    .where('service_id', '=', serviceId)
    .where('hidden', '=', 0)
    .groupBy('rating')
    .execute();
  const count = (rating: NoteRating) => Number(rows.find((r) => r.rating === rating)?.count ?? 0);
  const summary = { safe: count('safe'), mixed: count('mixed'), unsafe: count('unsafe') };
  return { ...summary, total: summary.safe + summary.mixed + summary.unsafe };
}

function present(
  ctx: ServiceContext,
  actor: Member,
  row: NoteRow & { username: string | null },
  pseudonyms: Map<string, number>,
  keeper: boolean,
): NoteView {
  const ref = authorRef(ctx.keys.anonymity, resourceRefScope(row.service_id), actor.id);
  const mine = row.anonymous ? row.author_ref === ref : row.author_id === actor.id;
  // A block withholds a named note both ways, a mute from the muter only (ADR 0052); the keepers
  // still see what they keep. Anonymous notes are never withheld: that would say who wrote them.
  if (
    !row.anonymous &&
    !mine &&
    ((isBlockedBetween(actor, row.author_id) && !keeper) || hasMuted(actor, row.author_id))
  )
    return { kind: 'withheld', id: row.id };
  return {
    kind: 'note',
    id: row.id,
    rating: isNoteRating(row.rating) ? row.rating : 'mixed',
    body: row.body,
    author: row.anonymous
      ? { kind: 'anonymous', pseudonym: pseudonyms.get(row.id) ?? 0 }
      : { kind: 'member', username: row.username ?? '' },
    createdAt: row.created_at,
    edited: row.updated_at > row.created_at,
    mine,
    hidden: row.hidden === 1,
  };
}

/**
 * A page of a listing's notes, newest first, with the summary and what the reader may do. Visitors,
 * and members who may not read the listing, find nothing (404). Hidden notes are listed to the
 * directory's keepers alone.
 */
export async function listNotes(
  ctx: ServiceContext,
  actor: Actor,
  serviceId: string,
  options: { after?: string | undefined } = {},
): Promise<NotesPage> {
  const { row, facts } = await notesListing(ctx, actor, serviceId);
  return notesPageOf(ctx, actor as Member, row, facts, options.after);
}

/**
 * The notes section of a listing's page, or null when the reader may not read its notes (visitors,
 * above all): the listing page renders nothing then. `listing` is what the page loaded already.
 */
export async function notesSection(
  ctx: ServiceContext,
  actor: Actor,
  listing: { row: NotesPage['listing']; facts: ListingFacts },
): Promise<NotesPage | null> {
  if (actor.kind !== 'user' || !canReadNotes(actor, listing.facts)) return null;
  return notesPageOf(ctx, actor, listing.row, listing.facts, undefined);
}

async function notesPageOf(
  ctx: ServiceContext,
  actor: Member,
  row: NotesPage['listing'],
  facts: ListingFacts,
  after: string | undefined,
): Promise<NotesPage> {
  const keeper = keepsDirectory(actor);
  let query = ctx.db
    .selectFrom('resource_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_id')
    .select([
      'n.id',
      'n.service_id',
      'n.author_id',
      'n.anonymous',
      'n.author_ref',
      'n.rating',
      'n.body',
      'n.hidden',
      'n.created_at',
      'n.updated_at',
      'u.username',
    ])
    .where('n.service_id', '=', row.id);
  if (!keeper) query = query.where('n.hidden', '=', 0);
  const cursor = decodeCursor(after);
  if (cursor) query = query.where(afterKeyset({ at: 'n.created_at', id: 'n.id' }, cursor, { at: 'desc', id: 'desc' }));
  const rows = await query
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(noteLimits.pageSize + 1)
    .execute();
  const page = rows.slice(0, noteLimits.pageSize);
  const last = page.at(-1);
  const [pseudonyms, summary, own] = await Promise.all([
    pseudonymsOf(ctx.db, row.id),
    notesSummary(ctx.db, row.id),
    ownNote(ctx.db, ctx, actor, row.id),
  ]);
  return {
    listing: { id: row.id, name: row.name, translations: row.translations, language: row.language },
    notes: page.map((r) => present(ctx, actor, r, pseudonyms, keeper)),
    summary,
    next: rows.length > noteLimits.pageSize && last ? encodeCursor(last.created_at, last.id) : null,
    abilities: {
      note: canNote(actor, facts) && !own,
      own: own ? { id: own.id, hidden: own.hidden === 1 } : null,
    },
  };
}

/**
 * The caller's own note as they see it (hidden or not), for the edit form and the API's answers;
 * anything else is missing (404).
 */
export async function readOwnNote(
  ctx: ServiceContext,
  actor: Member,
  serviceId: string,
  noteId: string,
): Promise<Extract<NoteView, { kind: 'note' }>> {
  await ownNoteById(ctx, actor, serviceId, noteId);
  const row = await ctx.db
    .selectFrom('resource_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_id')
    .select([
      'n.id',
      'n.service_id',
      'n.author_id',
      'n.anonymous',
      'n.author_ref',
      'n.rating',
      'n.body',
      'n.hidden',
      'n.created_at',
      'n.updated_at',
      'u.username',
    ])
    .where('n.id', '=', noteId)
    .executeTakeFirstOrThrow();
  const view = present(ctx, actor, row, await pseudonymsOf(ctx.db, serviceId), true);
  if (view.kind !== 'note') throw notFound();
  return view;
}

/** Where a note is read: its listing's notes page, for a reader who may read it. */
export async function noteAddress(ctx: ServiceContext, actor: Actor, noteId: string): Promise<string> {
  const note = await ctx.db
    .selectFrom('resource_notes')
    .select(['id', 'service_id', 'hidden'])
    .where('id', '=', noteId)
    .executeTakeFirst();
  if (!note) throw notFound();
  await notesListing(ctx, actor, note.service_id);
  if (note.hidden && !keepsDirectory(actor)) throw notFound();
  return `/resources/${encodeURIComponent(note.service_id)}/notes#note-${encodeURIComponent(note.id)}`;
}

// Moderation through the queue (ADR 0048), called by the moderation feature through public.ts ------

/** A reported note as the moderation feature weighs it; the author is only ever a named one. */
export interface ModeratedNote {
  id: string;
  serviceId: string;
  body: string;
  hidden: boolean;
  anonymous: boolean;
  /** The named author; null for an anonymous note, whose author is never looked up (ADR 0018). */
  authorId: string | null;
  /** The reader can read notes on its listing (and, if hidden, keeps the directory). */
  readable: boolean;
  /** The reader wrote it, by name or anonymously. */
  byReader: boolean;
}

export async function loadNoteToModerate(
  ctx: ServiceContext,
  actor: Actor,
  noteId: string,
): Promise<ModeratedNote | null> {
  const note = await ctx.db
    .selectFrom('resource_notes')
    .select(['id', 'service_id', 'body', 'hidden', 'anonymous', 'author_id', 'author_ref'])
    .where('id', '=', noteId)
    .executeTakeFirst();
  if (!note) return null;
  const listing = await ctx.db
    .selectFrom('resource_services')
    .select(['id', 'visibility', 'group_id', 'review_state', 'submitted_by', 'kind', 'expires_at'])
    .where('id', '=', note.service_id)
    .executeTakeFirst();
  if (!listing) return null;
  const facts = await listingFacts(ctx, actor, listing);
  const byReader =
    actor.kind === 'user' &&
    (note.anonymous
      ? note.author_ref === authorRef(ctx.keys.anonymity, resourceRefScope(note.service_id), actor.id)
      : note.author_id === actor.id);
  return {
    id: note.id,
    serviceId: note.service_id,
    body: note.body,
    hidden: note.hidden === 1,
    anonymous: note.anonymous === 1,
    authorId: note.anonymous ? null : note.author_id,
    readable: canReadNotes(actor, facts) && (note.hidden === 0 || keepsDirectory(actor)),
    byReader,
  };
}

/**
 * Hides a note from its readers or shows it again (approving a held one), as a keeper acting from
 * the queue: the open case about it closes and the moderation log keeps a row naming its author,
 * never an anonymous one, in the same transaction.
 */
export async function setNoteHidden(
  ctx: ServiceContext,
  actor: Member,
  noteId: string,
  hidden: boolean,
  note: ModerationNote & { approve?: boolean } = {},
): Promise<void> {
  const target = await loadNoteToModerate(ctx, actor, noteId);
  if (!target || !keepsDirectory(actor)) throw notFound();
  await inTransaction(ctx.db, async (trx) => {
    await trx
      .updateTable('resource_notes')
      .set({ hidden: hidden ? 1 : 0 })
      .where('id', '=', noteId)
      .execute();
    const caseId = await settleCases(trx, { targetType: 'resource_note', targetId: noteId }, note, ctx.now);
    await recordModeration(trx, {
      actorId: actor.id,
      action: `resource_note.${hidden ? 'hide' : note.approve ? 'approve' : 'unhide'}`,
      targetType: 'resource_note',
      targetId: noteId,
      targetUserId: target.authorId,
      reason: note.reason ?? null,
      detail: { resourceId: target.serviceId },
      caseId,
      now: ctx.now,
    });
  });
}

/** Deletes a note as a keeper acting from the queue: its words go; the log keeps the row. */
export async function deleteNoteAsModerator(
  ctx: ServiceContext,
  actor: Member,
  noteId: string,
  note: ModerationNote = {},
): Promise<void> {
  const target = await loadNoteToModerate(ctx, actor, noteId);
  if (!target || !keepsDirectory(actor)) throw notFound();
  await inTransaction(ctx.db, async (trx) => {
    await trx.deleteFrom('resource_notes').where('id', '=', noteId).execute();
    const caseId = await settleCases(trx, { targetType: 'resource_note', targetId: noteId }, note, ctx.now);
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'resource_note.delete',
      targetType: 'resource_note',
      targetId: noteId,
      targetUserId: target.authorId,
      reason: note.reason ?? null,
      detail: { resourceId: target.serviceId },
      caseId,
      now: ctx.now,
    });
  });
  await checkpointAfterErasure(ctx);
}
