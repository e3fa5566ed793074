/**
 * demo.cold_start_ms: a new server process (the bundled demo, `node dist/server/main.js` as
 * `npm start` runs it, on PGlite with its data directory already created, as every start after
 * the first) from spawn until it answers HTTP.
 * demo.rss_mb: that process's resident memory after its first API requests (sign up, create a room).
 * Median of five starts. demo.first_start_ms is the very first start, which also runs initdb.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchDemo } from '../e2e/harness/launch.ts';
import { registerForCookie } from './bench-account.ts';
import { median } from './stats.ts';

const PORT = 4390;

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return Math.round(kb / 1024);
}

async function startOnce(dataDir: string): Promise<{ startMs: number; rssMb: number }> {
  const demo = await launchDemo(PORT, { FLOWTRACE_DATA_DIR: dataDir }, { server: 'demo' });
  try {
    const cookie = await registerForCookie(demo.url);
    const created = await fetch(`${demo.url}/api/rooms`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench' }),
    });
    if (created.status !== 201) throw new Error(`POST /api/rooms answered ${created.status}`);
    return { startMs: demo.startMs, rssMb: rssMb(demo.pid) };
  } finally {
    await demo.stop();
  }
}
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
