// A worker process whose one job never finishes, for the test that kills a worker mid-run: it
// prints "running" once it holds the job, then waits to be killed.
import { loadConfig } from '../../src/config.js';
import { startRuntime } from '../../src/bootstrap.js';
import { startJobRunner } from '../../src/jobs/runner.js';

const config = loadConfig();
const runtime = await startRuntime(config, {
  migrate: false,
  ...(process.env.SANAD_TEST_PG_SCHEMA ? { pgSchema: process.env.SANAD_TEST_PG_SCHEMA } : {}),
});
startJobRunner(
  runtime.ctx,
  [
    {
      name: 'test.stuck',
      run: async () => {
        process.stdout.write('running\n');
        await new Promise(() => {});
      },
    },
  ],
  { info: () => {}, warn: () => {} },
  { pollMs: 50, leaseMs: 60_000 },
);
