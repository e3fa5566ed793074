/** Starts the bundled demo (`dist/server/main.js`) on PGlite in memory for a benchmark. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningDemo {
  url: string;
  stop(): Promise<void>;
}

export async function startDemo(port: number, env: Record<string, string> = {}): Promise<RunningDemo> {
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      FLOWTRACE_DATA_DIR: 'memory://',
      FLOWTRACE_MEDIA_DIR: mkdtempSync(join(tmpdir(), 'flowtrace-bench-media-')),
      DATABASE_URL: '',
      ...env,
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`demo exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
