import { Type } from 'typebox';
import { Id } from '../../platform/schemas.js';

/** The limits of appeals, decisions and reveal requests: the one source for services, forms and the API (ADR 0029). */
export const appealLimits = { bodyMax: 2000, reasonMax: 500 } as const;

export const NewAppealSchema = Type.Object(
  {
    logId: Id,
    body: Type.String({
      minLength: 1,
      maxLength: appealLimits.bodyMax,
      description: 'Why the action should be reconsidered',
    }),
  },
  { additionalProperties: false },
);

export const AppealDecisionSchema = Type.Object(
  {
    decision: Type.Union([Type.Literal('upheld'), Type.Literal('overturned')]),
    reason: Type.String({ minLength: 1, maxLength: appealLimits.reasonMax }),
  },
  { additionalProperties: false },
);

export const NewRevealSchema = Type.Object(
  {
    postId: Id,
    reason: Type.String({ minLength: 1, maxLength: appealLimits.reasonMax }),
  },
  { additionalProperties: false },
);

export const RevealDecisionSchema = Type.Object({ approve: Type.Boolean() }, { additionalProperties: false });
