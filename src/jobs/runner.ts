import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import { serviceContext, type AppContext } from '../app-context.js';
import { afterCommit, type DbOrTx } from '../db/database.js';
import { backoff, failureCode, type BackgroundLog } from '../platform/failure-code.js';
import type { FeatureModule } from '../platform/module.js';
import { newId } from '../security/tokens.js';
import type { JobDefinition } from './types.js';

/** Wakes this process's job runner when a job was enqueued and committed. */
export const jobSignal = new EventEmitter();
jobSignal.setMaxListeners(0);

export function jobsOf(modules: readonly FeatureModule[]): JobDefinition[] {
  const jobs = modules.flatMap((m) => m.jobs ?? []);
  const seen = new Set<string>();
  for (const job of jobs) {
    if (seen.has(job.name)) throw new Error(`Two jobs are named ${job.name}`);
    seen.add(job.name);
  }
  return jobs;
}

const scheduleKey = (name: string) => `schedule:${name}`;

/**
 * Enqueues a deferred job in the caller's transaction: it runs if and only if the transaction
 * commits. With `uniqueKey`, a job already waiting under that key is left as it is.
 */
export async function enqueueJob(
  db: DbOrTx,
  name: string,
  payload: Record<string, unknown>,
  at: { runAt: number; uniqueKey?: string },
): Promise<void> {
  await db
    .insertInto('jobs')
    .values({
      id: newId(),
      name,
      payload: JSON.stringify(payload),
      run_at: at.runAt,
      attempts: 0,
      lease_id: null,
      locked_until: null,
      last_error: null,
      unique_key: at.uniqueKey ?? null,
    })
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .execute();
  afterCommit(db, () => jobSignal.emit('enqueued'));
}

export interface JobRunnerOptions {
  /** How often to look for due jobs. */
  pollMs: number;
  /** How long a claim lasts without being renewed; renewed every third of it while the job runs. */
  leaseMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export const jobRunnerDefaults: JobRunnerOptions = {
  pollMs: 5_000,
  leaseMs: 5 * 60_000,
  retryBaseMs: 30_000,
  retryMaxMs: 6 * 60 * 60_000,
};

/** Makes sure each scheduled job has its one row; a row that exists already keeps its time. */
export async function ensureSchedules(ctx: AppContext, jobs: readonly JobDefinition[]): Promise<void> {
  const scheduled = jobs.filter((job) => job.everyMs !== undefined);
  if (scheduled.length === 0) return;
  const now = ctx.now();
  await ctx.db
    .insertInto('jobs')
    .values(
      scheduled.map((job) => ({
        id: newId(),
        name: job.name,
        payload: '{}',
        run_at: now,
        attempts: 0,
        lease_id: null,
        locked_until: null,
        last_error: null,
        unique_key: scheduleKey(job.name),
      })),
    )
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .execute();
}

interface Claimed {
  id: string;
  name: string;
  payload: string;
  attempts: number;
  lease_id: string;
}

/**
 * Takes one due job that nobody holds (or whose holder's lease ran out) with a single statement:
 * on PostgreSQL other workers skip the row it locks; on SQLite the update holds the write lock.
 */
async function claim(ctx: AppContext, jobs: readonly JobDefinition[], leaseMs: number): Promise<Claimed | undefined> {
  const now = ctx.now();
  const lease = newId();
  const lock = ctx.engine === 'postgres' ? sql`for update skip locked` : sql``;
  const free = sql`run_at <= ${now} and (locked_until is null or locked_until <= ${now})`;
  const { rows } = await sql<Claimed>`
    update jobs set lease_id = ${lease}, locked_until = ${now + leaseMs}, attempts = attempts + 1
    where ${free} and id in (
      select id from jobs where ${free} and name in (${sql.join(jobs.map((j) => j.name))})
      order by run_at, id limit 1 ${lock})
    returning id, name, payload, attempts, lease_id`.execute(ctx.db);
  return rows[0];
}

export type JobOutcome = 'none' | 'done' | 'failed';

/** Runs one due job, if there is one, holding its lease while it runs. */
export async function runOneJob(
  ctx: AppContext,
  jobs: readonly JobDefinition[],
  log: BackgroundLog,
  options: JobRunnerOptions = jobRunnerDefaults,
): Promise<JobOutcome> {
  if (jobs.length === 0) return 'none';
  const job = await claim(ctx, jobs, options.leaseMs);
  if (!job) return 'none';
  const definition = jobs.find((j) => j.name === job.name)!;
  const held = (db: AppContext['db']) =>
    db.updateTable('jobs').where('id', '=', job.id).where('lease_id', '=', job.lease_id);
  const heartbeat = setInterval(
    () =>
      void held(ctx.db)
        .set({ locked_until: ctx.now() + options.leaseMs })
        .execute()
        .catch(() => {}),
    Math.max(10, Math.floor(options.leaseMs / 3)),
  );
  heartbeat.unref();
  try {
    await definition.run(serviceContext(ctx), JSON.parse(job.payload) as Record<string, unknown>);
  } catch (error) {
    clearInterval(heartbeat);
    const code = failureCode(error);
    let wait = backoff(job.attempts, options.retryBaseMs, options.retryMaxMs);
    if (definition.everyMs !== undefined) wait = Math.min(wait, definition.everyMs);
    await held(ctx.db)
      .set({ run_at: ctx.now() + wait, lease_id: null, locked_until: null, last_error: code })
      .execute();
    log.warn({ job: job.name, attempts: job.attempts, error: code }, 'a job failed; it will be retried');
    return 'failed';
  }
  clearInterval(heartbeat);
  if (definition.everyMs !== undefined) {
    await held(ctx.db)
      .set({
        run_at: ctx.now() + definition.everyMs,
        attempts: 0,
        lease_id: null,
        locked_until: null,
        last_error: null,
      })
      .execute();
  } else {
    await ctx.db.deleteFrom('jobs').where('id', '=', job.id).where('lease_id', '=', job.lease_id).execute();
  }
  return 'done';
}

export interface JobRunner {
  wake(): void;
  /** Runs every job that is due now, then resolves: for tests and the command line. */
  drain(): Promise<void>;
  /** Takes no new job, and waits for the one under way to finish. */
  stop(): Promise<void>;
}

/** One job at a time per process, polled every `pollMs` and woken when a job is enqueued here. */
export function startJobRunner(
  ctx: AppContext,
  jobs: readonly JobDefinition[],
  log: BackgroundLog,
  overrides: Partial<JobRunnerOptions> = {},
): JobRunner {
  const options = { ...jobRunnerDefaults, ...overrides };
  let stopped = false;
  let again = false;
  let running: Promise<void> | undefined;
  const ready = ensureSchedules(ctx, jobs).catch((error: unknown) =>
    log.warn({ error: failureCode(error) }, 'scheduling jobs failed; trying again at the next poll'),
  );
  let scheduled = false;

  const pass = async () => {
    if (!scheduled) {
      await ensureSchedules(ctx, jobs);
      scheduled = true;
    }
    while (!stopped && (await runOneJob(ctx, jobs, log, options)) !== 'none');
  };
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    again = false;
    running = ready
      .then(pass)
      .catch((error: unknown) => log.warn({ error: failureCode(error) }, 'the job runner failed; it will try again'))
      .finally(() => {
        running = undefined;
        if (again) run();
      });
  };
  const onEnqueued = () => run();
  jobSignal.on('enqueued', onEnqueued);
  const timer = setInterval(run, options.pollMs);
  timer.unref();
  run();

  return {
    wake: run,
    async drain() {
      await running;
      await ready;
      running = pass();
      try {
        await running;
      } finally {
        running = undefined;
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      jobSignal.off('enqueued', onEnqueued);
      await running;
    },
  };
}
