import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-shutdown-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );
}

test('SIGTERM ends the server within the shutdown bound even while a client stalls half-way through a body', async () => {
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      SANAD_DATA: work,
      DATABASE_URL: '',
      PORT: '0',
      LOG_LEVEL: 'info',
      SANAD_SHUTDOWN_TIMEOUT_SECONDS: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const found = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (found) resolve(Number(found[1]));
      });
      server.once('exit', () => reject(new Error(`the server exited before listening: ${out}`)));
    });
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.on('error', () => {});
    socket.write(
      'POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=someone&pass',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    const signalled = Date.now();
    server.kill('SIGTERM');
    const code = await Promise.race([
      exited(server),
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 8000)),
    ]);
    assert.notEqual(code, 'hung', 'the server was still running 8 s after SIGTERM');
    assert.equal(code, 0);
    assert.ok(Date.now() - signalled < 4000, `stopped after ${Date.now() - signalled} ms`);
    socket.destroy();
  } finally {
    if (server.exitCode === null) server.kill('SIGKILL');
  }
});

test('`npm start` passes SIGTERM on to the server it starts', async () => {
  // The project's own start script, run by npm against a stand-in for the built server that records the signal.
  const { scripts } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const app = path.join(work, 'npm-start');
  fs.mkdirSync(path.join(app, 'dist'), { recursive: true });
  fs.writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'start-check', private: true, scripts: { start: scripts.start } }),
  );
  const marker = path.join(app, 'got-sigterm');
  fs.writeFileSync(
    path.join(app, 'dist/main.js'),
    `process.on('SIGTERM', () => { require('fs').writeFileSync(${JSON.stringify(marker)}, 'yes'); process.exit(0); });
     setTimeout(() => process.exit(1), 10_000); console.log('started');`,
  );
  const npm = spawn('npm', ['start', '--silent'], { cwd: app, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise((resolve) => npm.stdout!.once('data', resolve));
    npm.kill('SIGTERM');
    await exited(npm);
    for (let waited = 0; waited < 3000 && !fs.existsSync(marker); waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(fs.existsSync(marker), 'the server received SIGTERM when npm did');
  } finally {
    if (npm.exitCode === null) npm.kill('SIGKILL');
  }
});
