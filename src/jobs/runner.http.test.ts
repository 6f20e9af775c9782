import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { inTransaction } from '../db/database.js';
import { recordEvent } from '../events/outbox.js';
import { startBackground } from '../platform/background.js';
import type { FeatureModule } from '../platform/module.js';
import { startProcess } from '../process.js';
import { newId } from '../security/tokens.js';
import { enqueueJob, startJobRunner } from './runner.js';
import type { JobDefinition } from './types.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime({}, {}, { deliverEvents: false });
});
after(async () => rt.close());

const quiet = { info: () => {}, warn: () => {} };
const root = path.resolve(import.meta.dirname, '../..');
const hour = 60 * 60_000;

async function until(condition: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const jobRow = (name: string) => rt.ctx.db.selectFrom('jobs').selectAll().where('name', '=', name).execute();

describe('a job whose worker dies mid-run', () => {
  test('runs again once its lease has expired, and only once', async () => {
    await enqueueJob(rt.ctx.db, 'test.stuck', { n: 1 }, { runAt: rt.ctx.now() });
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/stuck-worker.ts'], {
      cwd: root,
      env: {
        ...process.env,
        SANAD_DATA: rt.config.dataDir,
        DATABASE_URL: rt.config.databaseUrl ?? '',
        SANAD_TEST_PG_SCHEMA: rt.database.pgSchema ?? '',
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('running') && resolve());
        child.once('exit', () => reject(new Error('the worker exited before running the job')));
      });
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((resolve) => child.once('exit', resolve));
    const [held] = await jobRow('test.stuck');
    assert.ok(held?.lease_id && held.attempts === 1, 'the killed worker held the job');

    let runs = 0;
    const jobs: JobDefinition[] = [{ name: 'test.stuck', run: async () => void runs++ }];
    const runner = startJobRunner(rt.ctx, jobs, quiet, { pollMs: hour, leaseMs: 60_000 });
    try {
      await runner.drain();
      assert.equal(runs, 0, 'not while the lease holds');
      rt.advance(60_001);
      await runner.drain();
      assert.equal(runs, 1, 'once the lease expired');
      rt.advance(hour);
      await runner.drain();
      assert.equal(runs, 1, 'and never again');
      assert.deepEqual(await jobRow('test.stuck'), [], 'a deferred job that ran is deleted');
    } finally {
      await runner.stop();
    }
  });
});

describe('scheduled jobs', () => {
  test('two workers run a scheduled job once per period between them', async () => {
    const peer = await rt.peer();
    let runs = 0;
    let overlapping = 0;
    let active = 0;
    const tick: JobDefinition = {
      name: 'test.tick',
      everyMs: hour,
      run: async () => {
        active++;
        overlapping = Math.max(overlapping, active);
        runs++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        active--;
      },
    };
    const options = { pollMs: 5 };
    const workers = [startJobRunner(rt.ctx, [tick], quiet, options), startJobRunner(peer.ctx, [tick], quiet, options)];
    try {
      await until(() => runs >= 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await Promise.all(workers.map((w) => w.drain()));
      assert.equal(runs, 1, 'one run at the start, not one per worker');
      assert.equal((await jobRow('test.tick')).length, 1, 'one row for the schedule');
      rt.advance(hour);
      await until(() => runs >= 2);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(runs, 2, 'one run an hour later');
      assert.equal(overlapping, 1);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  });

  test('expired sessions, invites, group invites and reset codes are deleted; live ones stay', async () => {
    const { loadModules } = await import('../platform/modules.js');
    const { createUser } = await import('../../test/support/seed.js');
    const user = await createUser(rt, {
      username: `expiry_${newId()
        .slice(0, 6)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, 'x')}`,
    });
    const now = rt.ctx.now();
    const session = (id: string, expires: number, seen = now) => ({
      id,
      token_hash: newId(),
      user_id: user.id,
      device: 'Test',
      created_at: now - 1000,
      last_seen_at: seen,
      expires_at: expires,
    });
    const idle = rt.config.sessionIdleMinutes * 60_000;
    await rt.ctx.db
      .insertInto('sessions')
      .values([
        session('s_live', now + hour),
        session('s_old', now - 1),
        session('s_idle', now + hour, now - idle - hour),
      ])
      .execute();
    const invite = (id: string, uses: number, expires: number) => ({
      id,
      code_hash: newId(),
      created_by: null,
      uses_left: uses,
      expires_at: expires,
      created_at: now,
    });
    await rt.ctx.db
      .insertInto('invites')
      .values([invite('i_live', 1, now + hour), invite('i_old', 1, now - 1), invite('i_used', 0, now + hour)])
      .execute();
    await rt.ctx.db
      .insertInto('reset_codes')
      .values({ user_id: user.id, code_hash: newId(), expires_at: now - 1 })
      .execute();
    const { createGroupAs, member } = await import('../../test/support/community.js');
    const group = await createGroupAs((await member(rt)).api);
    const groupInvite = (id: string, uses: number, expires: number) => ({
      id,
      group_id: group.id,
      code_hash: newId(),
      uses_left: uses,
      expires_at: expires,
      created_at: now,
    });
    await rt.ctx.db
      .insertInto('group_invites')
      .values([
        groupInvite('gi_live', 1, now + hour),
        groupInvite('gi_old', 1, now - 1),
        groupInvite('gi_used', 0, now + hour),
      ])
      .execute();
    const background = startBackground(rt.ctx, await loadModules(), quiet);
    try {
      await background.drain();
    } finally {
      await background.stop();
    }
    const ids = async (table: 'sessions' | 'invites', of: string[]) =>
      (await rt.ctx.db.selectFrom(table).select('id').where('id', 'in', of).execute()).map((r) => r.id).sort();
    assert.deepEqual(await ids('sessions', ['s_live', 's_old', 's_idle']), ['s_live']);
    assert.deepEqual(await ids('invites', ['i_live', 'i_old', 'i_used']), ['i_live']);
    const groupInvites = await rt.ctx.db
      .selectFrom('group_invites')
      .select('id')
      .where('group_id', '=', group.id)
      .execute();
    assert.deepEqual(
      groupInvites.map((r) => r.id),
      ['gi_live'],
    );
    assert.deepEqual(
      await rt.ctx.db.selectFrom('reset_codes').selectAll().where('user_id', '=', user.id).execute(),
      [],
    );
  });
});

describe('processes', () => {
  const counting = () => {
    const state = { runs: 0 };
    const modules: FeatureModule[] = [
      { name: 'test', jobs: [{ name: `test.process_${newId()}`, everyMs: hour, run: async () => void state.runs++ }] },
    ];
    return { state, modules };
  };

  test('SANAD_PROCESS=web serves HTTP and starts no worker; worker the reverse', async () => {
    const web = counting();
    const webProcess = await startProcess(
      { ...rt, ctx: { ...rt.ctx, config: { ...rt.config, processMode: 'web' } } },
      web.modules,
    );
    try {
      assert.ok(webProcess.app);
      assert.equal(webProcess.background, null);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(web.state.runs, 0);
      assert.deepEqual(await jobRow(web.modules[0]!.jobs![0]!.name), [], 'nothing scheduled either');
    } finally {
      await webProcess.app?.close();
    }
    const worker = counting();
    const workerProcess = await startProcess(
      { ...rt, ctx: { ...rt.ctx, config: { ...rt.config, processMode: 'worker' } } },
      worker.modules,
    );
    try {
      assert.equal(workerProcess.app, null);
      await until(() => worker.state.runs === 1);
    } finally {
      await workerProcess.background?.stop();
    }
  });

  test('stopping waits for the job and the delivery under way', async () => {
    const finished: string[] = [];
    let started = 0;
    const slow = () => new Promise((resolve) => setTimeout(resolve, 300));
    const name = `test.slow_${newId()}`;
    const groupId = `g_${newId()}`;
    const modules: FeatureModule[] = [
      {
        name: 'test',
        jobs: [
          {
            name,
            run: async () => {
              started++;
              await slow();
              finished.push('job');
            },
          },
        ],
        subscribers: [
          {
            name: 'slow',
            events: ['group.created'],
            async handle(_ctx, event) {
              if (event.type !== 'group.created' || event.payload.groupId !== groupId) return;
              started++;
              await slow();
              finished.push('delivery');
            },
          },
        ],
      },
    ];
    const background = startBackground(rt.ctx, modules, quiet);
    await inTransaction(rt.ctx.db, async (trx) => {
      await enqueueJob(trx, name, {}, { runAt: rt.ctx.now() });
      await recordEvent(trx, 'group.created', { groupId, ownerId: 'x' }, rt.ctx.now());
    });
    await until(() => started === 2);
    await background.stop();
    assert.deepEqual(finished.sort(), ['delivery', 'job']);
    assert.deepEqual(await jobRow(name), [], 'the job finished and was recorded as done');
    assert.deepEqual(await rt.ctx.db.selectFrom('outbox_deliveries').selectAll().execute(), []);
  });
});
