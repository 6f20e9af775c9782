import { Type, type Static } from 'typebox';
import { Id } from '../../platform/schemas.js';

/**
 * The one source of what chat takes and gives (ADR 0029): limits the services check, the forms'
 * `maxLength`, the API's schemas and the real-time protocol's message shape (docs/REALTIME.md).
 */
export const chatLimits = {
  bodyMax: 4_000,
  roomNameMin: 2,
  roomNameMax: 60,
  warningTextMax: 100,
  /** People in one private conversation, its starter included. */
  conversationMax: 20,
  historyPage: 50,
} as const;

/** The disappearing-message timers members choose from, in seconds; null is off. */
export const timerChoices = [3_600, 28_800, 86_400, 604_800, 2_419_200] as const;
export type TimerSeconds = (typeof timerChoices)[number];
/** Private conversations start with one week. */
export const conversationDefaultTimer: TimerSeconds = 604_800;

export const chatReactionKinds = ['support', 'hug', 'strength', 'thanks'] as const;
export type ChatReactionKind = (typeof chatReactionKinds)[number];

export const Timer = Type.Union([Type.Enum(timerChoices), Type.Null()], {
  description: 'Seconds after which new messages disappear: 3600, 28800, 86400, 604800 or 2419200; null is off',
});

export const MessageInputSchema = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: chatLimits.bodyMax, description: 'Markdown' }),
    warning: Type.Optional(
      Type.Union([Type.String({ maxLength: 40 }), Type.Null()], {
        description: 'A content warning kind, as for posts; free text alone makes it `other`',
      }),
    ),
    warningText: Type.Optional(Type.Union([Type.String({ maxLength: chatLimits.warningTextMax }), Type.Null()])),
    anonymous: Type.Optional(Type.Boolean({ description: 'Only in rooms of groups that allow anonymous posts' })),
    replyToId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);
export type MessageInput = Partial<Static<typeof MessageInputSchema>>;

export const MessageEditSchema = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: chatLimits.bodyMax, description: 'Markdown' }),
    warning: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
    warningText: Type.Optional(Type.Union([Type.String({ maxLength: chatLimits.warningTextMax }), Type.Null()])),
  },
  { additionalProperties: false },
);

/**
 * A message as one reader receives it, from the API and over the real-time connection alike.
 * Per reader: `mine`, `reacted`, and `withheld` (written by someone in a block with the reader:
 * no author, no words). An anonymous message names no account, only its pseudonym.
 */
export const MessageSchema = Type.Object({
  id: Id,
  chatId: Id,
  kind: Type.Union([Type.Literal('message'), Type.Literal('timer'), Type.Literal('unsent')]),
  /** The chat's change number of this message's last change: what a client resumes from. */
  seq: Type.Integer(),
  /** The chat's change number it was posted with: history's order, and `before` of the next page. */
  position: Type.Integer(),
  createdAt: Type.Integer({ description: 'Epoch milliseconds' }),
  editedAt: Type.Union([Type.Integer(), Type.Null()]),
  /** When it disappears; null: it stays until unsent. */
  expiresAt: Type.Union([Type.Integer(), Type.Null()]),
  author: Type.Union([Type.Object({ id: Id, username: Type.String() }), Type.Null()]),
  anonymous: Type.Boolean(),
  /** An anonymous author's name in this chat ("Anonymous Olive 2"), in the reader's language. */
  pseudonym: Type.Union([Type.String(), Type.Null()]),
  mine: Type.Boolean(),
  withheld: Type.Boolean(),
  /** Markdown as written; null for events, tombstones and withheld messages. */
  body: Type.Union([Type.String(), Type.Null()]),
  /** The body through the one sanitiser (ADR 0013). */
  html: Type.Union([Type.String(), Type.Null()]),
  warning: Type.Union([
    Type.Object({ kind: Type.String(), text: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  replyTo: Type.Union([
    Type.Object({
      id: Id,
      /** Up to 200 characters of the answered message as plain text; null once it is gone or withheld. */
      excerpt: Type.Union([Type.String(), Type.Null()]),
      authorName: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  reactions: Type.Array(Type.Object({ kind: Type.Enum(chatReactionKinds), count: Type.Integer() })),
  reacted: Type.Array(Type.Enum(chatReactionKinds)),
  /** Timer events: the new timer in seconds, null for off. */
  timer: Type.Union([Type.Integer(), Type.Null()]),
});
export type MessageJson = Static<typeof MessageSchema>;
