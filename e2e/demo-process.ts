/**
 * Starts a demo server process of its own, for scenarios the shared e2e servers must not see
 * (a Collector that is down). Waits until it serves; `stop()` ends it with SIGTERM.
 */
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from './fixtures.ts';

export async function startDemo(port: number, env: Record<string, string>) {
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    env: { ...process.env, PORT: String(port), FLOWTRACE_DATA_DIR: 'memory://', DATABASE_URL: '', FLOWTRACE_MEDIA_DIR: join(tmpdir(), `flowtrace-e2e-media-${port}`), ...env },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  await expect
    .poll(() => fetch(`${url}/healthz`).then((r) => r.status, () => 0), { timeout: 30_000, intervals: [100, 250] })
    .toBe(200);
  return {
    url,
    async stop() {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
