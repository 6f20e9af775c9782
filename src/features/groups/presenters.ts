import { Type, type Static } from 'typebox';
import type { Viewer } from './policy.js';
import { activityDayOf, type Group } from './queries.js';

/** Exactly what leaves the server about a group: nothing about who belongs to it or how many do. */
export const GroupSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  languages: Type.Array(Type.String()),
  country: Type.Union([Type.String(), Type.Null()]),
  city: Type.Union([Type.String(), Type.Null()]),
  visibility: Type.Union([Type.Literal('public'), Type.Literal('private'), Type.Literal('hidden')]),
  tags: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('interest'), Type.Literal('issue'), Type.Literal('identity')]),
      label: Type.String(),
    }),
  ),
  questions: Type.Array(Type.String()),
  membersListOpen: Type.Boolean(),
  anonymousPosting: Type.Boolean(),
  lastActivityAt: Type.Integer({
    description: 'Epoch milliseconds for members; for everyone else only the day (UTC midnight)',
  }),
  /** The caller's own relation to the group. */
  membership: Type.Union([Type.Literal('owner'), Type.Literal('moderator'), Type.Literal('member'), Type.Null()]),
  pendingRequest: Type.Boolean(),
});

export function presentGroup(
  group: Group,
  viewer?: Pick<Viewer, 'membership' | 'pendingRequest'>,
): Static<typeof GroupSchema> {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    languages: group.languages,
    country: group.country,
    city: group.city,
    visibility: group.visibility,
    tags: group.tags,
    questions: group.questions,
    membersListOpen: group.membersListOpen,
    anonymousPosting: group.anonymousPosting,
    lastActivityAt: viewer?.membership ? group.lastActivityAt : activityDayOf(group.lastActivityAt),
    membership: viewer?.membership ?? null,
    pendingRequest: viewer?.pendingRequest ?? false,
  };
}

export const GroupInputSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 500 })),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    languages: Type.Optional(Type.Array(Type.String({ maxLength: 10 }), { maxItems: 20 })),
    country: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Null()])),
    city: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private'), Type.Literal('hidden')])),
    interests: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 })),
    issues: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 })),
    identities: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 })),
    questions: Type.Optional(Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 10 })),
    membersListOpen: Type.Optional(Type.Boolean()),
    anonymousPosting: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
