import type { Runtime } from './bootstrap.js';
import { buildApp, type App } from './http/app.js';
import { startBackground, type Background } from './platform/background.js';
import type { BackgroundLog } from './platform/failure-code.js';
import type { FeatureModule } from './platform/module.js';
import { startRelay } from './realtime/relay.js';

export interface SanadProcess {
  /** The HTTP app, unless this is a worker-only process (`SANAD_PROCESS=worker`). */
  app: App | null;
  /** Event delivery and jobs, unless this is a web-only process (`SANAD_PROCESS=web`). */
  background: Background | null;
}

/** One JSON line per message, as the web process's logger writes them; for a worker-only process. */
export function lineLog(level: string): BackgroundLog {
  const quiet = level === 'silent' || level === 'fatal' || level === 'error';
  const write = (lvl: number, obj: object, msg: string) =>
    quiet || (lvl < 40 && level === 'warn')
      ? undefined
      : process.stdout.write(`${JSON.stringify({ level: lvl, time: Date.now(), ...obj, msg })}\n`);
  return { info: (obj, msg) => write(30, obj, msg), warn: (obj, msg) => write(40, obj, msg) };
}

/**
 * Starts what `SANAD_PROCESS` asks of this process: the HTTP app (`web`), event delivery and jobs
 * for the given modules (`worker`), or both (`all`, the default). The caller listens and shuts down.
 */
export async function startProcess(runtime: Runtime, modules: readonly FeatureModule[]): Promise<SanadProcess> {
  const mode = runtime.ctx.config.processMode;
  const app = mode === 'worker' ? null : await buildApp(runtime.ctx);
  const log = app?.log ?? lineLog(runtime.ctx.config.logLevel);
  const background = mode === 'web' ? null : startBackground(runtime.ctx, modules, log);
  // The web app's real-time hub publishes this process's changes; a worker alone still must (ADR 0061).
  if (!app && background) {
    const relay = await startRelay(runtime.ctx, { warn: (m) => log.warn({}, m), info: (m) => log.info({}, m) });
    const stop = background.stop.bind(background);
    background.stop = async () => {
      await stop();
      await relay.stop();
    };
  }
  return { app, background };
}
