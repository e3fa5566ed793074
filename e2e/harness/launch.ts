/**
 * Starts the bundled e2e server (`dist/server/e2e-server.js`: the demo with the test harness,
 * built by `npm run build`) or the demo alone (`dist/server/main.js`, as `npm start` runs it) as
 * a child process and resolves once it answers HTTP: for benchmarks and for e2e scenarios that
 * need a server of their own. Defaults: PGlite in memory, media in a fresh temporary folder.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
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

export interface LaunchOptions {
  /** `e2e`: the demo's test build with the harness; `demo`: the demo alone, as `npm start` runs it. @default 'e2e' */
  server?: 'e2e' | 'demo';
}

export async function launchDemo(port: number, env: Record<string, string> = {}, { server = 'e2e' }: LaunchOptions = {}): Promise<LaunchedDemo> {
  const started = performance.now();
  const child = spawn(process.execPath, [server === 'e2e' ? 'dist/server/e2e-server.js' : 'dist/server/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      FLOWTRACE_DATA_DIR: 'memory://',
      FLOWTRACE_MEDIA_DIR: mkdtempSync(join(tmpdir(), 'flowtrace-demo-media-')),
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // A test that times out may never reach stop(): the child must not outlive this process.
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  child.once('exit', () => process.off('exit', killChild));
  const url = `http://127.0.0.1:${port}`;
  // Wait for the demo's "listening" line rather than polling: a polling loop would compete with
  // the starting server for the CPU and inflate the very time it measures.
  let output = '';
  const listening = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => {
      output += data.toString();
      if (output.includes(`http://localhost:${port}`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the demo on port ${port} exited with ${code} before serving`)));
  });
  await listening;
  child.stdout!.resume();
  const health = await fetch(`${url}/healthz`);
  if (!health.ok) throw new Error(`the demo on port ${port} answered /healthz with ${health.status}`);
  return {
    url,
    pid: child.pid!,
    startMs: performance.now() - started,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
