import type { ServiceContext } from '../../../app-context.js';
import { forbidden, type FieldError } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { canPost } from '../../groups/public.js';
import type { DraftPlace } from './drafts.js';
import { isWarningKind, type PostInput, type WarningKind } from './model.js';
import { loadReadableGroup, loadThread } from './internal/load.js';
import { checkAnonymous, checkQuote, validatePost, validateTitle } from './internal/validate.js';

export interface PostPreview {
  /** New threads only. */
  title: string | null;
  body: string;
  warning: WarningKind | null;
  warningText: string | null;
  /** What posting it now would be refused for; the preview shows them without refusing anything. */
  errors: FieldError[];
}

/**
 * A post as it would be published, and what posting it would be refused for, without storing
 * anything: no post, no draft, no event, no search document (ADR 0040). Only where the member may
 * post, as posting itself.
 */
export async function previewPost(
  ctx: ServiceContext,
  actor: Member,
  place: DraftPlace,
  input: PostInput & { title?: string | undefined },
): Promise<PostPreview> {
  const { group, viewer } =
    place.kind === 'reply'
      ? await loadThread(ctx, actor, place.threadId)
      : await loadReadableGroup(ctx, actor, place.groupId);
  if (!canPost(viewer)) throw forbidden();
  const errors: FieldError[] = [];
  const title = place.kind === 'thread' ? validateTitle(input.title, errors) : null;
  const post = validatePost(input, errors);
  checkAnonymous(input, viewer, group, errors);
  if (place.kind === 'reply') await checkQuote(ctx.db, place.threadId, input.quotePostId, errors);
  // An unknown kind is among the errors; the preview shows no warning for it rather than a name it has not got.
  return { title, ...post, warning: isWarningKind(post.warning) ? post.warning : null, errors };
}
