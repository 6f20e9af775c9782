import type { DbOrTx } from '../../../../db/database.js';
import type { FieldError } from '../../../../platform/errors.js';
import { withoutBidiControls } from '../../../../security/bidi.js';
import { canPostAnonymously, type Viewer } from '../../../groups/public.js';
import { linkRefusal } from '../../../trust/public.js';
import type { Actor } from '../../../../security/actor.js';
import type { Group } from '../../../groups/public.js';
import { type WarningKind, postLimits, isWarningKind, type PostInput } from '../model.js';

export const clean = (text: string | null | undefined) => (text ?? '').normalize('NFC').replace(/\r\n?/g, '\n').trim();

export interface CleanPost {
  body: string;
  warning: WarningKind | null;
  warningText: string | null;
}

export function validatePost(input: PostInput, errors: FieldError[]): CleanPost {
  const body = clean(input.body);
  if (!body) errors.push({ field: 'body', message: 'discussions.form.bodyRequired' });
  else if (body.length > postLimits.bodyMax)
    errors.push({ field: 'body', message: 'discussions.form.bodyLength', values: { max: postLimits.bodyMax } });
  const { warning, warningText } = checkWarning(input, errors);
  // Free text alone is a warning of kind "other".
  return { body, warning: warning === null && warningText ? 'other' : warning, warningText };
}

/** A content warning as sent (a known kind, free text within its limit), without defaults. */
export function checkWarning(
  input: { warning?: string | null | undefined; warningText?: string | null | undefined },
  errors: FieldError[],
): { warning: WarningKind | null; warningText: string | null } {
  const warning = input.warning ? input.warning : null;
  if (warning !== null && !isWarningKind(warning))
    errors.push({ field: 'warning', message: 'discussions.form.warningUnknown' });
  const warningText = clean(input.warningText) || null;
  if (warningText && warningText.length > postLimits.warningTextMax) {
    errors.push({
      field: 'warningText',
      message: 'discussions.form.warningTextLength',
      values: { max: postLimits.warningTextMax },
    });
  }
  return { warning: warning as WarningKind | null, warningText };
}

/** Text that must stay on one line (titles, moderators' reasons): no direction controls, spaces folded, trimmed. */
export const cleanLine = (text: string | undefined) =>
  withoutBidiControls(text ?? '')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();

export function validateTitle(title: string | undefined, errors: FieldError[]): string {
  const clean = cleanLine(title);
  if (clean.length < postLimits.titleMin || clean.length > postLimits.titleMax) {
    errors.push({
      field: 'title',
      message: 'discussions.form.titleLength',
      values: { min: postLimits.titleMin, max: postLimits.titleMax },
    });
  }
  return clean;
}

export async function checkQuote(
  db: DbOrTx,
  threadId: string,
  quotePostId: string | null | undefined,
  errors: FieldError[],
): Promise<string | null> {
  if (!quotePostId) return null;
  const quoted = await db
    .selectFrom('posts')
    .select(['id'])
    .where('id', '=', quotePostId)
    .where('thread_id', '=', threadId)
    .where('hidden', '=', 0)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (!quoted) errors.push({ field: 'quotePostId', message: 'discussions.form.quoteUnavailable' });
  return quoted?.id ?? null;
}

export function checkAnonymous(input: PostInput, viewer: Viewer, group: Group, errors: FieldError[]): void {
  if (!input.anonymous || canPostAnonymously(viewer, group)) return;
  errors.push({
    field: 'anonymous',
    message: group.anonymousPosting ? 'discussions.form.anonymousBanned' : 'discussions.form.anonymousOff',
  });
}

/** New accounts post no links (ADR 0050): refused beside the body, the words kept. */
export function refuseLinks(actor: Actor, body: string, errors: FieldError[]): void {
  const refusal = linkRefusal(actor, body);
  if (refusal) errors.push(refusal);
}
