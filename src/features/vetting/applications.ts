import type { ServiceContext } from '../../app-context.js';
import { inTransaction, type DbOrTx } from '../../db/database.js';
import { recordAudit } from '../../db/audit.js';
import { forgetEventsOf } from '../../events/outbox.js';
import { invalid, notFound, type FieldError } from '../../platform/errors.js';
import { recordModeration } from '../../platform/moderation.js';
import { loadModules } from '../../platform/modules.js';
import { applicationQuestionLimits, getApplicationQuestions } from '../../platform/settings.js';
import type { Member, System } from '../../security/actor.js';
import { withoutBidiControls } from '../../security/bidi.js';
import { newId } from '../../security/tokens.js';
import { canDecideApplications } from './policy.js';

// Approval mode (ADR 0051). An applicant registers as anyone would, answers the instance's
// questions, and their account waits: it cannot sign in (sign-in shows "your application is
// waiting" instead, after the passphrase is checked, so only the applicant learns it). A moderator
// admits or declines; the answers, the applicant's own words, are deleted either way. A declined
// applicant's account stays only until they next sign in, where they read the decision, or 30 days.

export const declinedKeptMs = 30 * 86_400_000;
export const decisionMessageMax = 1000;

export interface Answer {
  question: string;
  answer: string;
}

const clean = (text: string) => withoutBidiControls(text).normalize('NFC').replace(/\r\n?/g, '\n').trim();

/**
 * Checks the answers to the instance's questions as they are now: one for each, none empty. Returns
 * the pairs to keep, or field errors (`answer1` …) for the registration form.
 */
export async function checkAnswers(
  ctx: Pick<ServiceContext, 'db'>,
  answers: (string | undefined)[],
): Promise<{ pairs: Answer[]; errors: FieldError[] }> {
  const questions = await getApplicationQuestions(ctx);
  const pairs: Answer[] = [];
  const errors: FieldError[] = [];
  questions.forEach((question, i) => {
    const answer = clean(answers[i] ?? '');
    const field = `answer${i + 1}`;
    if (!answer) errors.push({ field, message: 'vetting.answerRequired' });
    else if (answer.length > applicationQuestionLimits.answerMax)
      errors.push({ field, message: 'vetting.answerTooLong', values: { max: applicationQuestionLimits.answerMax } });
    else pairs.push({ question, answer });
  });
  return { pairs, errors };
}

/** Files the application of an account just made, in the registration's transaction. */
export async function submitApplication(db: DbOrTx, input: { userId: string; answers: Answer[]; now: number }) {
  await db
    .insertInto('applications')
    .values({
      id: newId(),
      user_id: input.userId,
      answers: JSON.stringify(input.answers),
      message: null,
      decided_by: null,
      created_at: input.now,
      decided_at: null,
    })
    .execute();
}

export type ApplicationGate = { status: 'pending' } | { status: 'declined'; message: string | null };

/** Whether an account is still an applicant: asked at sign-in, once the passphrase is right. */
export async function applicationGate(
  ctx: Pick<ServiceContext, 'db'>,
  userId: string,
): Promise<ApplicationGate | null> {
  const row = await ctx.db
    .selectFrom('applications')
    .select(['status', 'message'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return null;
  return row.status === 'pending' ? { status: 'pending' } : { status: 'declined', message: row.message };
}

/**
 * Deletes a declined applicant's account, as account deletion does (every module's eraser, then
 * the row): once they have read the decision, or when it has waited 30 days.
 */
export async function eraseDeclinedApplicant(ctx: ServiceContext, userId: string): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const declined = await trx
      .selectFrom('applications')
      .select('id')
      .where('user_id', '=', userId)
      .where('status', '=', 'declined')
      .executeTakeFirst();
    if (!declined) return;
    for (const module of await loadModules()) await module.eraseAccount?.({ ...ctx, db: trx }, userId);
    await forgetEventsOf(trx, userId);
    await trx.deleteFrom('users').where('id', '=', userId).execute();
    await trx.updateTable('audit_log').set({ subject: null }).where('subject', '=', userId).execute();
    await recordAudit(trx, { actorId: null, action: 'user.delete', subject: null, now: ctx.now });
  });
}

/** The `vetting.expireDeclined` job: declined applicants who never came back. */
export async function expireDeclined(ctx: ServiceContext, _actor: System): Promise<number> {
  const rows = await ctx.db
    .selectFrom('applications')
    .select('user_id')
    .where('status', '=', 'declined')
    .where('decided_at', '<=', ctx.now - declinedKeptMs)
    .limit(200)
    .execute();
  for (const r of rows) await eraseDeclinedApplicant(ctx, r.user_id);
  return rows.length;
}

export interface PendingApplication {
  id: string;
  userId: string;
  username: string;
  createdAt: number;
  answers: Answer[];
}

function parseAnswers(text: string | null): Answer[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed)
      ? parsed.filter(
          (a): a is Answer =>
            typeof a === 'object' && a !== null && typeof a.question === 'string' && typeof a.answer === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

/** The queue, oldest first. */
export async function listApplications(ctx: ServiceContext, actor: Member): Promise<PendingApplication[]> {
  if (!canDecideApplications(actor)) throw notFound();
  const rows = await ctx.db
    .selectFrom('applications')
    .innerJoin('users', 'users.id', 'applications.user_id')
    .select([
      'applications.id',
      'applications.user_id',
      'users.username',
      'applications.created_at',
      'applications.answers',
    ])
    .where('applications.status', '=', 'pending')
    .orderBy('applications.created_at')
    .orderBy('applications.id')
    .limit(200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    username: r.username,
    createdAt: r.created_at,
    answers: parseAnswers(r.answers),
  }));
}

export type Decision = 'approve' | 'decline';

/**
 * Admits or declines a pending applicant, logged in the same transaction. The answers go either
 * way. A decline keeps the moderator's message for the applicant's next sign-in.
 */
export async function decideApplication(
  ctx: ServiceContext,
  actor: Member,
  input: { id: string; decision: Decision; message?: string | undefined },
): Promise<{ userId: string }> {
  if (!canDecideApplications(actor)) throw notFound();
  const message = clean(input.message ?? '');
  if (message.length > decisionMessageMax)
    throw invalid([{ field: 'message', message: 'vetting.messageTooLong', values: { max: decisionMessageMax } }]);
  return inTransaction(ctx.db, async (trx) => {
    const application = await trx
      .selectFrom('applications')
      .select(['id', 'user_id'])
      .where('id', '=', input.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (!application) throw notFound();
    if (input.decision === 'approve') {
      await trx.deleteFrom('applications').where('id', '=', application.id).execute();
    } else {
      await trx
        .updateTable('applications')
        .set({
          status: 'declined',
          answers: null,
          message: message || null,
          decided_by: actor.id,
          decided_at: ctx.now,
        })
        .where('id', '=', application.id)
        .execute();
    }
    // The applicant is not a member to notify: they read the decision at sign-in.
    await recordModeration(trx, {
      actorId: actor.id,
      action: input.decision === 'approve' ? 'application.approve' : 'application.decline',
      targetType: 'user',
      targetId: application.user_id,
      targetUserId: null,
      now: ctx.now,
    });
    return { userId: application.user_id };
  });
}

/** Account deletion: a moderator's decisions no longer name them. */
export async function forgetDecider(ctx: ServiceContext, userId: string): Promise<void> {
  await ctx.db.updateTable('applications').set({ decided_by: null }).where('decided_by', '=', userId).execute();
}
