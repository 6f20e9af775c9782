import type { ServiceContext } from '../../app-context.js';
import type { RegistrationMode } from '../../config.js';
import type { Member } from '../../security/actor.js';
import { forbidden, invalid, type FieldError } from '../../platform/errors.js';
import { applicationQuestionLimits } from '../../platform/settings.js';
import { withoutBidiControls } from '../../security/bidi.js';
import { recordAudit } from '../../db/audit.js';
import { canChangeSettings } from './policy.js';

export async function setRegistrationMode(ctx: ServiceContext, actor: Member, mode: RegistrationMode): Promise<void> {
  if (!canChangeSettings(actor)) throw forbidden();
  await ctx.db
    .insertInto('settings')
    .values({ key: 'registration_mode', value: mode })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: mode }))
    .execute();
  await recordAudit(ctx.db, { actorId: actor.id, action: 'settings.registration', subject: mode, now: ctx.now });
}

/** The questions applicants answer in approval mode (ADR 0051): up to three, empty ones dropped. */
export async function setApplicationQuestions(
  ctx: ServiceContext,
  actor: Member,
  input: (string | undefined)[],
): Promise<string[]> {
  if (!canChangeSettings(actor)) throw forbidden();
  const errors: FieldError[] = [];
  const questions: string[] = [];
  input.slice(0, applicationQuestionLimits.count).forEach((raw, i) => {
    const question = withoutBidiControls(raw ?? '')
      .normalize('NFC')
      .replace(/\s+/g, ' ')
      .trim();
    if (question.length > applicationQuestionLimits.questionMax)
      errors.push({
        field: `question${i + 1}`,
        message: 'admin.questions.tooLong',
        values: { max: applicationQuestionLimits.questionMax },
      });
    else if (question) questions.push(question);
  });
  if (errors.length) throw invalid(errors);
  const value = JSON.stringify(questions);
  await ctx.db
    .insertInto('settings')
    .values({ key: 'application_questions', value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
  await recordAudit(ctx.db, { actorId: actor.id, action: 'settings.questions', subject: null, now: ctx.now });
  return questions;
}
