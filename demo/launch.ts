/**
 * Starts the bundled demo (`dist/server/main.js`, built by `npm run build`) as a child process
 * and resolves once it answers HTTP: for benchmarks and for e2e scenarios that need a server of
 * their own. Defaults: PGlite in memory, media in a fresh temporary folder.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LaunchedDemo {
  url: string;
  pid: number;
  /** Milliseconds from spawn until the demo answered `/healthz`. */
  startMs: number;
  stop(): Promise<void>;
}

export async function launchDemo(port: number, env: Record<string, string> = {}): Promise<LaunchedDemo> {
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      FLOWTRACE_DATA_DIR: 'memory://',
      FLOWTRACE_MEDIA_DIR: mkdtempSync(join(tmpdir(), 'flowtrace-demo-media-')),
      DATABASE_URL: '',
      ...env,
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the demo on port ${port} exited with ${child.exitCode} before serving`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    url,
    pid: child.pid!,
    startMs: performance.now() - started,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
