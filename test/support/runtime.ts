import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { startRuntime, type Runtime } from '../../src/bootstrap.js';
import { buildApp, type App } from '../../src/http/app.js';
import { newId } from '../../src/security/tokens.js';
import { startDispatcher, subscribersOf } from '../../src/events/dispatcher.js';
import { loadModules } from '../../src/platform/modules.js';

export type TestEngine = 'sqlite' | 'postgres';

/** Which database this run's HTTP tests use; `npm test` runs them once per engine. */
export function testEngine(): TestEngine {
  return process.env.SANAD_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
}

export const testPgUrl = () => process.env.SANAD_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestRuntime extends Runtime {
  config: Config;
  app: App;
  /** Moves the clock the services see, for timeouts and expiries. */
  advance(ms: number): void;
  /**
   * A second instance on the same database (the same SQLite file, or the same PostgreSQL schema) and
   * the same clock, as another server process would be; closed with this runtime.
   */
  peer(): Promise<Runtime>;
  /**
   * Delivers every event recorded so far to the modules' subscribers. Every HTTP request already
   * waits for this before it is handled and before its response is sent, so a test sees
   * notifications as soon as a request returns; a test that reads the database directly after
   * calling services directly calls it itself.
   */
  settle(): Promise<void>;
}

export interface TestRuntimeOptions {
  /**
   * Deliver events to the modules' subscribers (default). The outbox's own tests turn it off: they
   * run dispatchers of their own, with subscribers of their own.
   */
  deliverEvents?: boolean;
}

/**
 * A real database for one test file: a fresh SQLite file in a temporary folder, or a fresh
 * schema in the test PostgreSQL database, dropped again on close.
 */
export async function createTestRuntime(
  overrides: Partial<Config> = {},
  env: NodeJS.ProcessEnv = {},
  options: TestRuntimeOptions = {},
): Promise<TestRuntime> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-test-'));
  const engine = testEngine();
  let schema: string | undefined;
  if (engine === 'postgres') {
    schema = `t_${newId()
      .replace(/[^a-zA-Z0-9]/g, '')
      .toLowerCase()
      .slice(0, 16)}`;
    const client = new pg.Client({ connectionString: testPgUrl() });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
  }
  const config: Config = {
    ...loadConfig({ SANAD_DATA: dataDir, LOG_LEVEL: 'silent', SANAD_REGISTRATION: 'open', ...env }),
    databaseUrl: engine === 'postgres' ? testPgUrl() : undefined,
    // Each file's instances meet on their own real-time channel, apart from other files running at once.
    realtimeChannel: (schema ?? `t_${path.basename(dataDir)}`)
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')
      .slice(0, 40),
    ...overrides,
  };
  let offset = 0;
  const runtime = await startRuntime(config, {
    ...(schema ? { pgSchema: schema } : {}),
    now: () => Date.now() + offset,
  });
  const app = await buildApp(runtime.ctx);
  // Only the dispatcher: scheduled jobs would run against a clock the tests move by hand.
  const quiet = { info() {}, warn() {} };
  const dispatcher =
    options.deliverEvents === false ? null : startDispatcher(runtime.ctx, subscribersOf(await loadModules()), quiet);
  let settling: Promise<void> = Promise.resolve();
  const settle = () => {
    if (!dispatcher) return Promise.resolve();
    settling = settling.catch(() => {}).then(() => dispatcher.drain());
    return settling;
  };
  // Before a request is handled (what services did directly is delivered before a page reads it)
  // and before its response is sent (what the request itself did is delivered when it returns).
  app.addHook('onRequest', async () => {
    await settle().catch(() => {});
  });
  app.addHook('onSend', async (_request, _reply, payload) => {
    // A database made to fail on purpose (the fault tests) fails delivery too; the response stands.
    await settle().catch(() => {});
    return payload;
  });
  await app.ready();
  const peers: Runtime[] = [];
  return {
    ...runtime,
    config,
    app,
    advance(ms: number) {
      offset += ms;
    },
    async peer() {
      const peer = await startRuntime(config, {
        ...(schema ? { pgSchema: schema } : {}),
        migrate: false,
        now: () => Date.now() + offset,
      });
      peers.push(peer);
      return peer;
    },
    settle,
    async close() {
      await app.close();
      await dispatcher?.stop();
      for (const peer of peers) await peer.close();
      await runtime.close();
      if (schema) {
        const client = new pg.Client({ connectionString: testPgUrl() });
        await client.connect();
        await client.query(`drop schema ${schema} cascade`);
        await client.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
