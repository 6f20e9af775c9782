import type { ServiceContext } from '../../../../app-context.js';
import type { DbOrTx } from '../../../../db/database.js';
import { invalid, type FieldError } from '../../../../platform/errors.js';
import { isCountryCode, isGroupLanguage } from '../../../../i18n/regions.js';
import { withoutBidiControls } from '../../../../security/bidi.js';
import { indexDocument, removeDocument } from '../../../../search/service.js';
import { tagKinds, type Group, type TagKind } from '../../queries.js';
import type { Tag, Visibility } from '../../schemas.js';
import { groupLimits, visibilities, type GroupInput, tagKey } from '../model.js';

/** A group's owner-controlled fields once checked: the group's own shape, its tags with their match keys. */
type CleanGroup = Omit<Group, 'id' | 'createdAt' | 'lastActivityAt' | 'tags'> & { tags: (Tag & { key: string })[] };

const tagInputOf: Record<TagKind, 'interests' | 'issues' | 'identities'> = {
  interest: 'interests',
  issue: 'issues',
  identity: 'identities',
};

export const clean = (text: string | null | undefined) => (text ?? '').normalize('NFC').trim();

/** Names, places, tags and questions: shown inline among other text, so no direction controls (see bidi.ts). */
const cleanLabel = (text: string | null | undefined) => clean(withoutBidiControls(text ?? ''));

export function validateGroup(input: GroupInput, base?: Group): CleanGroup {
  const errors: FieldError[] = [];
  const name = cleanLabel(input.name ?? base?.name);
  if (name.length < groupLimits.nameMin || name.length > groupLimits.nameMax) {
    errors.push({
      field: 'name',
      message: 'groups.form.nameLength',
      values: { min: groupLimits.nameMin, max: groupLimits.nameMax },
    });
  }
  const description = clean(input.description ?? base?.description);
  if (!description) errors.push({ field: 'description', message: 'groups.form.descriptionRequired' });
  else if (description.length > groupLimits.descriptionMax) {
    errors.push({
      field: 'description',
      message: 'groups.form.descriptionLength',
      values: { max: groupLimits.descriptionMax },
    });
  }
  const languages = [...new Set(input.languages ?? base?.languages ?? [])];
  if (languages.length === 0 || !languages.every(isGroupLanguage))
    errors.push({ field: 'languages', message: 'groups.form.languagesRequired' });
  const countryInput = input.country === undefined ? (base?.country ?? null) : input.country;
  const country = countryInput ? countryInput.toUpperCase() : null;
  if (country && !isCountryCode(country)) errors.push({ field: 'country', message: 'groups.form.countryUnknown' });
  const city = cleanLabel(input.city === undefined ? base?.city : input.city) || null;
  if (city && city.length > groupLimits.cityMax)
    errors.push({ field: 'city', message: 'groups.form.cityLength', values: { max: groupLimits.cityMax } });
  const visibility = (input.visibility ?? base?.visibility) as Visibility;
  if (!visibilities.includes(visibility))
    errors.push({ field: 'visibility', message: 'groups.form.visibilityRequired' });

  const tags: CleanGroup['tags'] = [];
  for (const kind of tagKinds) {
    const field = tagInputOf[kind];
    const given = input[field] ?? base?.tags.filter((t) => t.kind === kind).map((t) => t.label) ?? [];
    const labels = given.map(cleanLabel).filter(Boolean);
    const seen = new Set<string>();
    if (labels.length > groupLimits.tagsPerKind) {
      errors.push({ field, message: 'groups.form.tooManyTags', values: { max: groupLimits.tagsPerKind } });
      continue;
    }
    for (const label of labels) {
      if (label.length > groupLimits.tagMax) {
        errors.push({ field, message: 'groups.form.tagLength', values: { max: groupLimits.tagMax } });
        break;
      }
      const key = tagKey(label);
      if (key && !seen.has(key)) {
        seen.add(key);
        tags.push({ kind, label, key });
      }
    }
  }

  const questions = (input.questions ?? base?.questions ?? []).map(cleanLabel).filter(Boolean);
  if (questions.length > groupLimits.questions)
    errors.push({
      field: 'questions',
      message: 'groups.form.tooManyQuestions',
      values: { max: groupLimits.questions },
    });
  else if (questions.some((q) => q.length > groupLimits.questionMax)) {
    errors.push({
      field: 'questions',
      message: 'groups.form.questionLength',
      values: { max: groupLimits.questionMax },
    });
  }
  if (errors.length) throw invalid(errors);
  return {
    name,
    description,
    languages,
    country,
    city,
    visibility,
    tags,
    questions,
    membersListOpen: input.membersListOpen ?? base?.membersListOpen ?? false,
    anonymousPosting: input.anonymousPosting ?? base?.anonymousPosting ?? false,
  };
}

/** Listed groups (public and private) can be found by name, description and tags; hidden ones cannot. */
export async function indexGroup(ctx: ServiceContext, id: string, group: CleanGroup): Promise<void> {
  if (group.visibility === 'hidden') {
    await removeDocument(ctx, 'group', id);
    return;
  }
  await indexDocument(ctx, {
    kind: 'group',
    refId: id,
    scope: 'directory',
    title: group.name,
    body: [group.description, group.city ?? '', ...group.tags.map((t) => t.label)].join('\n'),
    createdAt: ctx.now,
  });
}

export async function writeTags(db: DbOrTx, groupId: string, tags: CleanGroup['tags']): Promise<void> {
  await db.deleteFrom('group_tags').where('group_id', '=', groupId).execute();
  if (tags.length)
    await db
      .insertInto('group_tags')
      .values(tags.map((t) => ({ group_id: groupId, ...t })))
      .execute();
}
