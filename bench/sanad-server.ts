// Sanad as deployed by default (SQLite in a fresh data folder), with one member and a session to measure a signed-in page.
import { loadConfig } from '../src/config.js';
import { startRuntime } from '../src/bootstrap.js';
import { buildApp } from '../src/http/app.js';
import { serviceContext } from '../src/app-context.js';
import { createAccount } from '../src/features/auth/service.js';
import { createSession } from '../src/features/sessions/service.js';

const runtime = await startRuntime(loadConfig());
const account = await createAccount(serviceContext(runtime.ctx), { username: 'bench_member', passphrase: 'a quiet river under old olive trees', role: 'member' });
const session = await createSession(serviceContext(runtime.ctx), account.user.id, 'Benchmark');
const app = await buildApp(runtime.ctx);
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ url: address, cookie: `sanad_session=${session.token}`, engine: runtime.ctx.engine }));
