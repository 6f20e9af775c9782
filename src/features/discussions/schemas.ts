import { Type, type Static } from 'typebox';
import { Id } from '../../platform/schemas.js';
import { mentionsPerPost } from '../../security/mentions.js';

/**
 * The one source of what a thread or a post may hold (ADR 0029): the API's schemas below, the
 * service's checks and the forms' `maxLength` all read these numbers.
 */
export const warningKinds = [
  'violence',
  'self_harm',
  'family_rejection',
  'sexual_content',
  'dysphoria',
  'religion',
  'other',
] as const;
export type WarningKind = (typeof warningKinds)[number];
export const reactionKinds = ['support', 'hug', 'strength', 'thanks'] as const;
export type ReactionKind = (typeof reactionKinds)[number];

export const postLimits = {
  titleMin: 3,
  titleMax: 150,
  bodyMax: 20_000,
  warningTextMax: 100,
  mentions: mentionsPerPost,
} as const;

const Title = Type.String({ minLength: postLimits.titleMin, maxLength: postLimits.titleMax });
const Body = Type.String({ minLength: 1, maxLength: postLimits.bodyMax, description: 'Markdown' });
const Warning = Type.Union([Type.Enum(warningKinds), Type.Null()], {
  description: 'A content warning; free text alone makes it `other`',
});
const WarningText = Type.Union([Type.String({ maxLength: postLimits.warningTextMax }), Type.Null()]);

/** A reply. */
export const PostInputSchema = Type.Object(
  {
    body: Body,
    warning: Type.Optional(Warning),
    warningText: Type.Optional(WarningText),
    anonymous: Type.Optional(Type.Boolean({ description: 'Only where the group allows anonymous posts' })),
    notifyReplies: Type.Optional(
      Type.Boolean({
        description:
          'With `anonymous`: hear of later replies in this thread. Stores the thread and the keyed hash the anonymous post already has, no account id; new replies are counted when you read them (`GET /api/v1/me/anonymous-replies`). Ignored without `anonymous`.',
      }),
    ),
    quotePostId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);

/**
 * What the service takes for a post, from the API or from a form: the same fields, each optional,
 * the warning still unchecked (a form sends any text; the service says which field is wrong).
 */
export type PostInput = Partial<Omit<Static<typeof PostInputSchema>, 'warning'>> & {
  warning?: string | null | undefined;
};

/** A new thread: its title and its opening post. */
export const ThreadInputSchema = Type.Object(
  {
    title: Title,
    body: Body,
    warning: Type.Optional(Warning),
    warningText: Type.Optional(WarningText),
    anonymous: Type.Optional(Type.Boolean({ description: 'Only where the group allows anonymous posts' })),
    notifyReplies: Type.Optional(
      Type.Boolean({
        description:
          'With `anonymous`: hear of later replies in this thread. Stores the thread and the keyed hash the anonymous post already has, no account id; new replies are counted when you read them (`GET /api/v1/me/anonymous-replies`). Ignored without `anonymous`.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** An edit: only what changes (the title only on a thread's opening post). */
export const PostEditSchema = Type.Object(
  {
    title: Type.Optional(Title),
    body: Type.Optional(Body),
    warning: Type.Optional(Warning),
    warningText: Type.Optional(WarningText),
  },
  { additionalProperties: false },
);

/** How long a draft is kept after its last change (ADR 0040). */
export const draftLimits = { keepDays: 30 } as const;

const DraftWarning = Type.Union([Type.Enum(warningKinds), Type.Null()]);

/**
 * A reply's draft: what the composer holds, unfinished (an empty body is allowed), within a post's
 * limits. There is no anonymous choice: no draft is kept for an anonymous post (ADR 0040).
 */
export const ReplyDraftInputSchema = Type.Object(
  {
    body: Type.String({ maxLength: postLimits.bodyMax, description: 'Markdown, possibly unfinished or empty' }),
    warning: Type.Optional(DraftWarning),
    warningText: Type.Optional(WarningText),
    quotePostId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);

/** A new thread's draft: its title and opening post, either possibly empty. */
export const ThreadDraftInputSchema = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: postLimits.titleMax })),
    body: Type.String({ maxLength: postLimits.bodyMax, description: 'Markdown, possibly unfinished or empty' }),
    warning: Type.Optional(DraftWarning),
    warningText: Type.Optional(WarningText),
  },
  { additionalProperties: false },
);

/** What the service takes for a draft, from the API or a form (the warning still unchecked). */
export interface DraftInput {
  title?: string | undefined;
  body?: string | undefined;
  warning?: string | null | undefined;
  warningText?: string | null | undefined;
  quotePostId?: string | null | undefined;
}
