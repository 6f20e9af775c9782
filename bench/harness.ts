// What the benchmarks share: starting a server in a child process (it prints one JSON line when
// ready) and loading a URL with autocannon, failing on any failed or non-2xx response.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import autocannon from 'autocannon';

// autocannon appends every response body to a string, decoding it as UTF-8; for Arabic pages that
// decoding, not the server, capped the measurement (about 6,400 req/s for a bare server sending the
// 44 KB thread page). Nothing here reads bodies, so count bytes only.
const PipelinedRequestsQueue = createRequire(import.meta.url)('autocannon/lib/pipelinedRequestsQueue.js');
PipelinedRequestsQueue.prototype.addBody = () => {};

export const seconds = Number(process.env.BENCH_SECONDS ?? 10);
export const connections = 10;
const here = path.dirname(new URL(import.meta.url).pathname);
export const children: ChildProcess[] = [];

/**
 * Starts `script` (in bench/) and waits for its JSON line; `limitMs` is how long it may take,
 * `nodeArgs` are Node's own options for it (`--expose-gc`).
 */
export function start(
  script: string,
  env: NodeJS.ProcessEnv,
  limitMs = 60_000,
  nodeArgs: string[] = [],
): Promise<Record<string, string>> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(here, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in ${limitMs / 1000} s`)), limitMs);
    readline.createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

export async function measure(
  url: string,
  headers: Record<string, string> = {},
  duration = seconds,
  clients = connections,
) {
  const result = await autocannon({ url, connections: clients, duration, headers });
  const failures = result.non2xx + result.errors + result.timeouts;
  if (failures > 0) throw new Error(`${url}: ${failures} failed responses`);
  // Completed requests over the run: a per-second average rounds slow targets (under one a second) to zero.
  return { rps: result.requests.total / duration, p50: result.latency.p50, p99: result.latency.p99 };
}
