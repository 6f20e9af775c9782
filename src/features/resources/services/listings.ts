import type { ServiceContext } from '../../../app-context.js';
import { type DbOrTx, inTransaction } from '../../../db/database.js';
import { AppError, forbidden, invalid, notFound } from '../../../platform/errors.js';
import { recordModeration } from '../../../platform/moderation.js';
import type { Actor, Member } from '../../../security/actor.js';
import { canEditListing, canReadListing, canSuggest, keepsDirectory } from '../policy.js';
import { listingFacts, newResourceId, readableScope } from '../queries.js';
import type { ListingInput } from '../schemas.js';
import { listingLimits } from '../schemas.js';
import { refreshSearchText } from '../search-text.js';
import { parseTranslations } from '../translations.js';
import { checkListing, type ListingDraft } from './listings-input.js';
import { pickableOrganizations } from './jobs.js';

const mayWrite = (actor: Actor): actor is Member => canSuggest(actor);

/**
 * The groups this writer may share a listing with: a keeper, the groups they can see (every group
 * but hidden ones, and hidden ones they take part in); a member suggesting, the groups they take
 * part in (not banned), so a suggestion never names a group its author cannot read.
 */
export async function groupChoices(ctx: ServiceContext, actor: Actor): Promise<{ id: string; name: string }[]> {
  if (actor.kind !== 'user') return [];
  const mine = ctx.db
    .selectFrom('group_members as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .select(['g.id', 'g.name'])
    .where('m.user_id', '=', actor.id)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('group_bans as b')
            .select('b.group_id')
            .whereRef('b.group_id', '=', 'm.group_id')
            .where('b.user_id', '=', actor.id),
        ),
      ),
    );
  const rows = keepsDirectory(actor)
    ? await ctx.db
        .selectFrom('groups as g')
        .select(['g.id', 'g.name'])
        .where('g.visibility', '!=', 'hidden')
        .union(mine)
        .limit(1000)
        .execute()
    : await mine.limit(1000).execute();
  if (keepsDirectory(actor)) return rows.sort((a, b) => a.name.localeCompare(b.name));
  // A ban through an anonymous post ends taking part too (the groups they read listings of).
  const { groupIds } = await readableScope(ctx, actor);
  return rows.filter((g) => groupIds === 'all' || groupIds.includes(g.id)).sort((a, b) => a.name.localeCompare(b.name));
}

/** Organisations to pick from on the form (keepers only: a member's suggestion names its own). */
export async function organizationChoices(ctx: ServiceContext, actor: Actor) {
  if (!keepsDirectory(actor)) return [];
  return ctx.db
    .selectFrom('resource_organizations')
    .select(['id', 'name', 'translations', 'language'])
    .orderBy('name')
    .limit(1000)
    .execute();
}

/**
 * A keeper's new listing is published at once; a member's is a suggestion (`pending`, theirs) that
 * nobody else sees until a keeper approves it.
 */
export async function createListing(
  ctx: ServiceContext,
  actor: Actor,
  input: ListingInput,
): Promise<{ id: string; reviewState: 'published' | 'pending' }> {
  if (!mayWrite(actor)) throw forbidden();
  const keeper = canEditListing(actor);
  const groups = (await groupChoices(ctx, actor)).map((g) => g.id);
  // A member's suggestion may name an organisation they read a listing of, nothing else: naming one
  // by id would otherwise show them its name and description on their suggestion, and attach their
  // suggestion to an organisation that is only known inside a group.
  const draft = await checkListing(
    ctx.db,
    input,
    groups,
    keeper ? undefined : async (id) => (await pickableOrganizations(ctx, actor, { id })).length > 0,
  );
  const id = newResourceId();
  const reviewState = keeper ? 'published' : 'pending';
  await inTransaction(ctx.db, async (trx) => {
    const organizationId = await organizationOf(trx, draft, ctx.now);
    await trx
      .insertInto('resource_services')
      .values({
        id,
        organization_id: organizationId,
        status: 'active',
        kind: 'service',
        review_state: reviewState,
        submitted_by: keeper ? null : actor.id,
        created_at: ctx.now,
        ...serviceColumns(draft, null, ctx.now),
      })
      .execute();
    await writeParts(trx, id, organizationId, draft);
    await refreshSearchText(trx, id);
    if (keeper)
      await recordModeration(trx, {
        actorId: actor.id,
        action: 'resource.create',
        targetType: 'resource',
        targetId: id,
        now: ctx.now,
      });
  });
  return { id, reviewState };
}

/** A keeper's edit: what the input gives replaces what was there; what it leaves out stays. */
export async function updateListing(
  ctx: ServiceContext,
  actor: Actor,
  serviceId: string,
  changes: ListingInput,
): Promise<{ id: string }> {
  const row = await editableRow(ctx, actor, serviceId);
  const current = await storedInput(ctx.db, row);
  const groups = (await groupChoices(ctx, actor)).map((g) => g.id);
  // A group the keeper cannot pick (hidden, not theirs) stays if the edit leaves it alone.
  if (row.group_id && !groups.includes(row.group_id) && (changes.groupId ?? row.group_id) === row.group_id)
    groups.push(row.group_id);
  const draft = await checkListing(ctx.db, { ...current, ...definedOnly(changes) }, groups);
  await inTransaction(ctx.db, async (trx) => {
    const organizationId = await organizationOf(trx, draft, ctx.now);
    await trx
      .updateTable('resource_services')
      .set({ organization_id: organizationId, ...serviceColumns(draft, row.translations, ctx.now) })
      .where('id', '=', serviceId)
      .execute();
    await writeParts(trx, serviceId, organizationId, draft);
    await refreshSearchText(trx, serviceId);
    await recordModeration(trx, {
      actorId: (actor as Member).id,
      action: 'resource.edit',
      targetType: 'resource',
      targetId: serviceId,
      now: ctx.now,
    });
  });
  return { id: serviceId };
}

/** Deleting a listing for good, with the keeper's reason in the moderation log. */
export async function deleteListing(ctx: ServiceContext, actor: Actor, serviceId: string, reason: string | undefined) {
  const row = await editableRow(ctx, actor, serviceId);
  const why = checkedReason(reason, true);
  await inTransaction(ctx.db, async (trx) => {
    const places = await trx
      .selectFrom('resource_service_at_locations')
      .select('location_id')
      .where('service_id', '=', serviceId)
      .execute();
    await trx
      .deleteFrom('resource_attributes')
      .where('link_entity', '=', 'service')
      .where('link_id', '=', serviceId)
      .execute();
    await trx.deleteFrom('resource_services').where('id', '=', serviceId).execute();
    // A place no other listing names goes with it: a shelter's address is not kept for nothing.
    await dropUnusedLocations(
      trx,
      places.map((p) => p.location_id).filter((x): x is string => x !== null),
    );
    await recordModeration(trx, {
      actorId: (actor as Member).id,
      action: 'resource.delete',
      targetType: 'resource',
      targetId: row.id,
      reason: why,
      now: ctx.now,
    });
  });
}

/** Approving publishes a member's suggestion; declining keeps it from everyone, with a reason logged. */
export async function reviewListing(
  ctx: ServiceContext,
  actor: Actor,
  serviceId: string,
  decision: string | undefined,
  reason: string | undefined,
): Promise<{ id: string; reviewState: 'published' | 'declined' }> {
  const row = await editableRow(ctx, actor, serviceId);
  if (decision !== 'approve' && decision !== 'decline')
    throw invalid([{ field: 'decision', message: 'resources.listings.error.choice' }]);
  const why = checkedReason(reason, decision === 'decline');
  const reviewState = decision === 'approve' ? 'published' : 'declined';
  await inTransaction(ctx.db, async (trx) => {
    // One conditional update: two keepers deciding at once cannot both decide.
    const updated = await trx
      .updateTable('resource_services')
      .set({ review_state: reviewState, updated_at: ctx.now, last_modified: new Date(ctx.now).toISOString() })
      .where('id', '=', row.id)
      .where('review_state', '=', 'pending')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('conflict', 'resources.listings.error.decided');
    await refreshSearchText(trx, row.id);
    await recordModeration(trx, {
      actorId: (actor as Member).id,
      action: decision === 'approve' ? 'resource.approve' : 'resource.decline',
      targetType: 'resource',
      targetId: row.id,
      reason: why,
      now: ctx.now,
    });
  });
  return { id: row.id, reviewState };
}

/** The suggestions waiting for a keeper, oldest first. */
export async function listPending(ctx: ServiceContext, actor: Actor) {
  if (!canEditListing(actor)) throw notFound();
  return ctx.db
    .selectFrom('resource_services as s')
    .leftJoin('resource_organizations as o', 'o.id', 's.organization_id')
    .leftJoin('users as u', 'u.id', 's.submitted_by')
    .select([
      's.id',
      's.name',
      's.description',
      's.language',
      's.country',
      's.city',
      's.visibility',
      's.created_at',
      'o.name as organization_name',
      'u.username as submitted_by_name',
    ])
    .where('s.review_state', '=', 'pending')
    .orderBy('s.created_at')
    .orderBy('s.id')
    .limit(200)
    .execute();
}
export type PendingListing = Awaited<ReturnType<typeof listPending>>[number];

/** The listing a keeper may change, or 404 when it does not exist for them, 403 when they may not. */
export async function editableRow(ctx: ServiceContext, actor: Actor, serviceId: string) {
  const row = await ctx.db.selectFrom('resource_services').selectAll().where('id', '=', serviceId).executeTakeFirst();
  if (!row) throw notFound();
  if (!canReadListing(actor, await listingFacts(ctx, actor, row))) throw notFound();
  if (!canEditListing(actor)) throw forbidden();
  return row;
}

type ServiceRow = Awaited<ReturnType<typeof editableRow>>;

/** The listing as the form and the API take it, confidential parts included (for keepers' edits). */
export async function storedInput(db: DbOrTx, row: ServiceRow): Promise<ListingInput> {
  const id = row.id;
  const [phones, schedules, languages, documents, terms, place] = await Promise.all([
    db
      .selectFrom('resource_phones')
      .select(['number', 'confidential'])
      .where('service_id', '=', id)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('resource_schedules')
      .select(['byday', 'opens_at', 'closes_at', 'wkst'])
      .where('service_id', '=', id)
      .orderBy('id')
      .execute(),
    db.selectFrom('resource_languages').select('code').where('service_id', '=', id).orderBy('id').execute(),
    db
      .selectFrom('resource_required_documents')
      .select('document')
      .where('service_id', '=', id)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('resource_attributes')
      .select('taxonomy_term_id')
      .where('link_entity', '=', 'service')
      .where('link_id', '=', id)
      .execute(),
    firstPlace(db, id),
  ]);
  const other = row.language === 'ar' ? 'en' : 'ar';
  const translated = parseTranslations(row.translations)[other] ?? {};
  const address = place
    ? await db
        .selectFrom('resource_addresses')
        .selectAll()
        .where('location_id', '=', place.id)
        .orderBy('id')
        .executeTakeFirst()
    : undefined;
  return {
    organizationId: row.organization_id,
    name: row.name ?? '',
    description: row.description ?? '',
    language: row.language ?? 'en',
    translation: { name: translated.name, description: translated.description },
    terms: terms.map((t) => t.taxonomy_term_id).filter((t): t is string => t !== null),
    visibility: row.visibility,
    groupId: row.group_id,
    country: row.country,
    city: row.city,
    remote: row.remote === 1,
    cost: row.cost,
    languages: languages.map((l) => l.code ?? '').filter(Boolean),
    url: row.url,
    email: row.email,
    phones: phones.map((p) => ({ number: p.number ?? '', confidential: p.confidential === 1 })),
    address: address
      ? {
          address1: address.address_1 ?? '',
          city: address.city ?? '',
          country: address.country ?? '',
          postalCode: address.postal_code ?? '',
          confidential: address.confidential === 1 || place?.confidential === 1,
        }
      : null,
    hours: schedules.flatMap((s) =>
      (s.byday ?? '')
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((day) => ({ day, opens: s.opens_at ?? '', closes: s.closes_at ?? '' })),
    ),
    tz: row.tz,
    wkst: schedules[0]?.wkst ?? 'SA',
    eligibility: row.eligibility_description,
    documents: documents.map((d) => d.document ?? '').filter(Boolean),
  };
}

function definedOnly(changes: ListingInput): ListingInput {
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as ListingInput;
}

function checkedReason(reason: string | undefined, required: boolean): string | null {
  const why = (reason ?? '').trim();
  if (required && why === '') throw invalid([{ field: 'reason', message: 'resources.listings.error.reason' }]);
  if (why.length > listingLimits.reasonMax)
    throw invalid([
      { field: 'reason', message: 'resources.listings.error.tooLong', values: { max: listingLimits.reasonMax } },
    ]);
  return why === '' ? null : why;
}

/** The organisation a listing belongs to: the one picked, or a new one made from its name. */
async function organizationOf(trx: DbOrTx, draft: ListingDraft, now: number): Promise<string> {
  if ('id' in draft.organization) return draft.organization.id;
  const id = newResourceId();
  await trx
    .insertInto('resource_organizations')
    .values({ id, name: draft.organization.name, language: draft.language, created_at: now, updated_at: now })
    .execute();
  return id;
}

/** The service's own columns; other languages' translations already there are kept. */
function serviceColumns(draft: ListingDraft, translations: string | null, now: number) {
  const other = draft.language === 'ar' ? 'en' : 'ar';
  const all = parseTranslations(translations);
  delete all[draft.language];
  const mine = Object.fromEntries(
    Object.entries({ name: draft.translation.name, description: draft.translation.description }).filter(
      (e): e is [string, string] => e[1] !== null,
    ),
  );
  if (Object.keys(mine).length > 0) all[other] = mine;
  else delete all[other];
  return {
    name: draft.name,
    description: draft.description,
    language: draft.language,
    translations: Object.keys(all).length > 0 ? JSON.stringify(all) : null,
    visibility: draft.visibility,
    group_id: draft.groupId,
    country: draft.country,
    city: draft.city,
    remote: draft.remote ? 1 : 0,
    cost: draft.cost,
    url: draft.url,
    email: draft.email,
    tz: draft.tz,
    eligibility_description: draft.eligibility,
    last_modified: new Date(now).toISOString(),
    updated_at: now,
  };
}

async function firstPlace(db: DbOrTx, serviceId: string) {
  return db
    .selectFrom('resource_service_at_locations as sal')
    .innerJoin('resource_locations as l', 'l.id', 'sal.location_id')
    .select(['l.id', 'l.confidential', 'sal.id as link_id'])
    .where('sal.service_id', '=', serviceId)
    .orderBy('sal.id')
    .executeTakeFirst();
}

/** The records beside the service: each list given replaces what was there. */
async function writeParts(trx: DbOrTx, serviceId: string, organizationId: string, draft: ListingDraft) {
  await trx.deleteFrom('resource_phones').where('service_id', '=', serviceId).execute();
  for (const phone of draft.phones)
    await trx
      .insertInto('resource_phones')
      .values({
        id: newResourceId(),
        service_id: serviceId,
        number: phone.number,
        type: 'voice',
        confidential: phone.confidential ? 1 : 0,
      })
      .execute();

  await trx.deleteFrom('resource_schedules').where('service_id', '=', serviceId).execute();
  for (const window of draft.hours)
    await trx
      .insertInto('resource_schedules')
      .values({
        id: newResourceId(),
        service_id: serviceId,
        freq: 'WEEKLY',
        interval: 1,
        wkst: draft.wkst,
        byday: window.day,
        opens_at: window.opens,
        closes_at: window.closes,
        tz: draft.tz,
      })
      .execute();

  await trx.deleteFrom('resource_languages').where('service_id', '=', serviceId).execute();
  for (const code of draft.languages)
    await trx.insertInto('resource_languages').values({ id: newResourceId(), service_id: serviceId, code }).execute();

  await trx.deleteFrom('resource_required_documents').where('service_id', '=', serviceId).execute();
  for (const document of draft.documents)
    await trx
      .insertInto('resource_required_documents')
      .values({ id: newResourceId(), service_id: serviceId, document })
      .execute();

  await trx
    .deleteFrom('resource_attributes')
    .where('link_entity', '=', 'service')
    .where('link_id', '=', serviceId)
    .execute();
  for (const term of draft.terms)
    await trx
      .insertInto('resource_attributes')
      .values({
        id: newResourceId(),
        link_id: serviceId,
        link_entity: 'service',
        link_type: 'service',
        taxonomy_term_id: term,
      })
      .execute();

  // The form's one address is the listing's first place; other places (from an import) stay.
  const place = await firstPlace(trx, serviceId);
  if (!draft.address) {
    if (place) {
      await trx.deleteFrom('resource_service_at_locations').where('id', '=', place.link_id).execute();
      await dropUnusedLocations(trx, [place.id]);
    }
    return;
  }
  const confidential = draft.address.confidential ? 1 : 0;
  let locationId = place?.id;
  if (locationId) {
    await trx.updateTable('resource_locations').set({ confidential }).where('id', '=', locationId).execute();
  } else {
    locationId = newResourceId();
    await trx
      .insertInto('resource_locations')
      .values({
        id: locationId,
        organization_id: organizationId,
        location_type: 'physical',
        name: draft.name,
        confidential,
      })
      .execute();
    await trx
      .insertInto('resource_service_at_locations')
      .values({ id: newResourceId(), service_id: serviceId, location_id: locationId })
      .execute();
  }
  const values = {
    address_1: draft.address.address1,
    city: draft.address.city,
    country: draft.address.country,
    postal_code: draft.address.postalCode,
    state_province: '',
    address_type: 'physical',
    confidential,
  };
  const existing = await trx
    .selectFrom('resource_addresses')
    .select('id')
    .where('location_id', '=', locationId)
    .orderBy('id')
    .executeTakeFirst();
  if (existing) await trx.updateTable('resource_addresses').set(values).where('id', '=', existing.id).execute();
  else
    await trx
      .insertInto('resource_addresses')
      .values({ id: newResourceId(), location_id: locationId, ...values })
      .execute();
}

async function dropUnusedLocations(trx: DbOrTx, locationIds: string[]) {
  for (const id of locationIds) {
    const used = await trx
      .selectFrom('resource_service_at_locations')
      .select('id')
      .where('location_id', '=', id)
      .executeTakeFirst();
    if (!used) await trx.deleteFrom('resource_locations').where('id', '=', id).execute();
  }
}
