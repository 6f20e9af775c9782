import { loadConfig } from './config.js';
import { startRuntime } from './bootstrap.js';
import { buildApp } from './http/app.js';
import { ensureSetupLink } from './features/admin/setup-service.js';
import { serviceContext } from './app-context.js';

const config = loadConfig();
const runtime = await startRuntime(config);
const app = await buildApp(runtime.ctx);
const address = await app.listen({ host: config.host, port: config.port });
app.log.info(`Sanad is listening on ${address} (${runtime.ctx.engine})`);

const setupToken = await ensureSetupLink(serviceContext(runtime.ctx));
if (setupToken) {
  const origin = config.publicUrl ?? address;
  // Printed once to the operator's console; only a hash is stored.
  console.log(`\nNo administrator yet. Open this one-time link to create one:\n\n  ${origin}/setup/${setupToken}\n`);
}

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    void app
      .close()
      .then(() => runtime.close())
      .finally(() => process.exit(0));
  });
}
