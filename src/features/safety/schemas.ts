import { Type } from 'typebox';

/** What the member tools take (ADR 0029: one source for the service, the forms and the OpenAPI document). */
export const toolLimits = {
  phraseMax: 100,
  /** A day: slow mode is for cooling a conversation, not closing it (lock does that). */
  slowModeMaxSeconds: 86_400,
  reasonMax: 500,
  /** Watched words per list (the instance's, or one group's). */
  wordsPerList: 500,
} as const;

export const watchedWordActions = ['block', 'hold', 'flag'] as const;

export const PersonInput = Type.Object(
  {
    username: Type.Optional(Type.String({ maxLength: 100 })),
    userId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false, description: 'Name the member by username or by id' },
);

export const Person = Type.Object({
  userId: Type.String(),
  username: Type.String(),
  createdAt: Type.Integer(),
});

export const WatchedWordInput = Type.Object(
  {
    phrase: Type.String({ minLength: 1, maxLength: toolLimits.phraseMax }),
    action: Type.Union(watchedWordActions.map((a) => Type.Literal(a))),
    groupId: Type.Optional(Type.String({ maxLength: 64, description: "A group's list; the instance's when absent" })),
  },
  { additionalProperties: false },
);

export const WatchedWordSchema = Type.Object({
  id: Type.String(),
  groupId: Type.Union([Type.String(), Type.Null()]),
  phrase: Type.String(),
  action: Type.Union(watchedWordActions.map((a) => Type.Literal(a))),
  createdAt: Type.Integer(),
});

export const SlowModeInput = Type.Object(
  {
    seconds: Type.Integer({ minimum: 0, maximum: toolLimits.slowModeMaxSeconds, description: '0 turns slow mode off' }),
    reason: Type.Optional(Type.String({ maxLength: toolLimits.reasonMax })),
  },
  { additionalProperties: false },
);
