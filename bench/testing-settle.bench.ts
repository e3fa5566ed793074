/**
 * testing.settle_ms.median: from the end of the last span of a test's traces to `settle()`
 * resolving, with real Chromium clicking "Create room" in the bundled demo (PGlite in memory).
 * `settle()` is called right after the click, as a test would, so it has to wait for the flow to
 * finish, the browser and server to flush, and the store to hold every parent. Nine runs.
 *
 * That includes @opentelemetry/instrumentation-fetch ending each fetch span 300 ms after the
 * time it records as the span's end (its fixed OBSERVER_WAIT_TIME_MS, waiting for resource
 * timings). testing.settle_ms.after_spans_ended isolates flowtrace's own part: from the moment the
 * page reports no open span (its spans exported by that last check) to `settle()` resolving.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chromium, request as playwrightRequest, type BrowserContext } from '@playwright/test';
import { chromiumLaunchOptions, tagContext, TraceCollector } from '../testing/index.ts';
import { median } from './stats.ts';
import { newBenchAccount } from './bench-account.ts';

const PORT = 4741;
const BASE = `http://127.0.0.1:${PORT}`;
const RUNS = 9;

async function untilServing(child: ReturnType<typeof spawn>): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`demo exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Registers in `context` (untagged, so not part of the measured traces): creating a room needs an account. */
async function signUp(context: BrowserContext): Promise<void> {
  const response = await context.request.post('/api/auth/register', { data: newBenchAccount() });
  if (response.status() !== 201) throw new Error(`register answered ${response.status()}`);
}

export default async function testingSettle(): Promise<Record<string, number>> {
  const child = spawn(process.execPath, ['dist/server/e2e-server.js'], {
    env: { ...process.env, PORT: String(PORT), FLOWTRACE_DATA_DIR: 'memory://', DATABASE_URL: '' },
    stdio: 'ignore',
  });
  const browser = await chromium.launch(chromiumLaunchOptions());
  const request = await playwrightRequest.newContext({ baseURL: BASE });
  try {
    await untilServing(child);
    const samples: number[] = [];
    for (let run = 0; run < RUNS + 1; run++) {
      const context = await browser.newContext({ baseURL: BASE });
      const testId = `bench-${randomUUID()}`;
      await tagContext(context, testId);
      await signUp(context);
      const page = await context.newPage();
      await page.goto('/');
      await page.getByLabel('Room name').fill(`bench ${run}`);
      const traces = new TraceCollector({ testId, request, contexts: [context] });
      await page.getByRole('button', { name: 'Create room' }).click();
      const settled = await traces.settle({ minTraces: 2 });
      const resolvedAt = Date.now();
      const lastEnd = Math.max(...settled.flatMap((trace) => trace.spans.map((span) => span.endTime)));
      if (run > 0) samples.push(resolvedAt - lastEnd); // run 0 warms up the page, server and JIT
      await context.close();
    }
    const own: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ baseURL: BASE });
      const testId = `bench-${randomUUID()}`;
      await tagContext(context, testId);
      await signUp(context);
      const page = await context.newPage();
      await page.goto('/');
      await page.getByLabel('Room name').fill(`bench quiet ${run}`);
      await page.getByRole('button', { name: 'Create room' }).click();
      await page.getByRole('status').filter({ hasText: 'created' }).waitFor();
      // Wait in the page until every span has ended, without exporting.
      const quietAt = await page.evaluate(async () => {
        const handle = globalThis.__FLOWTRACE_TEST__!;
        while ((await handle.settle!()).openSpans > 0) await new Promise((resolve) => setTimeout(resolve, 2));
        return Date.now();
      });
      await new TraceCollector({ testId, request, contexts: [context] }).settle({ minTraces: 2 });
      own.push(Date.now() - quietAt);
      await context.close();
    }
    return {
      'testing.settle_ms.median': Math.round(median(samples)),
      'testing.settle_ms.max': Math.round(Math.max(...samples)),
      'testing.settle_ms.after_spans_ended': Math.round(median(own)),
    };
  } finally {
    await request.dispose();
    await browser.close();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
