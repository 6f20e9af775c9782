import { loadConfig } from './config.js';
import { startRuntime, StartupError, type Runtime } from './bootstrap.js';
import { ensureSetupLink } from './features/admin/public.js';
import { serviceContext } from './app-context.js';
import { loadModules } from './platform/modules.js';
import { startProcess, type SanadProcess } from './process.js';

const config = loadConfig();

let runtime: Runtime;
let sanad: SanadProcess;
let address: string | null = null;
try {
  runtime = await startRuntime(config, {
    onDatabaseRetry: (reason) => console.error(`The database does not answer yet (${reason}); trying again.`),
  });
  sanad = await startProcess(runtime, await loadModules());
  if (sanad.app) address = await sanad.app.listen({ host: config.host, port: config.port });
} catch (error) {
  // What the operator can fix is said plainly; anything else still shows where it came from.
  console.error(error instanceof StartupError ? `Sanad cannot start: ${error.message}` : error);
  process.exit(1);
}
const { app, background } = sanad;
if (app && address) {
  app.log.info(
    `Sanad is listening on ${address} (${runtime.ctx.engine}${background ? '' : ', web only: no jobs or event delivery'})`,
  );
  const setupToken = await ensureSetupLink(serviceContext(runtime.ctx));
  if (setupToken) {
    const origin = config.publicUrl ?? address;
    // Printed to the operator's console only; the database keeps a nonce, never the link.
    console.log(`\nNo administrator yet. Open this one-time link to create one:\n\n  ${origin}/setup/${setupToken}\n`);
  }
} else {
  console.log(`Sanad worker is running (${runtime.ctx.engine}): jobs and event delivery, no HTTP`);
}

/**
 * Stops accepting connections and taking new jobs and deliveries, lets requests in flight and the
 * job or delivery under way finish for SANAD_SHUTDOWN_TIMEOUT_SECONDS, then closes whatever is
 * still open (a client that sent half a body and went quiet), and in any case ends the process a
 * few seconds later, so a supervisor's stop never hangs. A job cut off there runs again on the
 * next worker once its lease expires (ADR 0027); an unfinished delivery rolls back and is retried.
 */
let closing = false;
function shutdown() {
  if (closing) return;
  closing = true;
  const grace = config.shutdownTimeoutSeconds * 1000;
  setTimeout(() => app?.server.closeAllConnections(), grace).unref();
  setTimeout(() => {
    console.error('Sanad did not stop in time; exiting anyway.');
    process.exit(1);
  }, grace + 5000).unref();
  void Promise.all([app?.close(), background?.stop()])
    .then(() => runtime.close())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
