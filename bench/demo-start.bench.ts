/**
 * demo.cold_start_ms: a new server process (the bundled demo, `node dist/server/main.js` as
 * `npm start` runs it, on PGlite with its data directory already created, as every start after
 * the first) from spawn until it answers HTTP.
 * demo.rss_mb: that process's resident memory after its first API request.
 * Median of five starts. demo.first_start_ms is the very first start, which also runs initdb.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PORT = 4390;

async function untilServing(url: string, child: ReturnType<typeof spawn>): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`demo exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return Math.round(kb / 1024);
}

async function startOnce(dataDir: string): Promise<{ startMs: number; rssMb: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    env: { ...process.env, PORT: String(PORT), FLOWTRACE_DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: 'ignore',
  });
  try {
    await untilServing(`http://127.0.0.1:${PORT}/healthz`, child);
    const startMs = performance.now() - started;
    const created = await fetch(`http://127.0.0.1:${PORT}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench' }),
    });
    if (created.status !== 201) throw new Error(`POST /api/rooms answered ${created.status}`);
    return { startMs, rssMb: rssMb(child.pid!) };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)]!;

export default async function demoStart(): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flowtrace-bench-'));
  try {
    const first = await startOnce(dataDir);
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await startOnce(dataDir));
    return {
      'demo.first_start_ms': Math.round(first.startMs),
      'demo.cold_start_ms': Math.round(median(runs.map((run) => run.startMs))),
      'demo.rss_mb': median(runs.map((run) => run.rssMb)),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
