/**
 * client.fetch_overhead.ms_median: time a traced fetch adds over an untraced one, in Chromium,
 * in the same run. On one page, the page's `fetch` is kept before createClientTracing wraps it; then
 * traced and untraced fetches of the demo server's /healthz (which the server does not trace)
 * alternate one by one, 1000 of each, so load from other processes hits both alike. Every traced
 * fetch is sampled and exported. Metric: median(traced) - median(untraced).
 *
 * client.fetch_overhead.headers_ms_median is the part any propagation pays: an untraced fetch
 * that sends the same traceparent + baggage headers, against one without (measured here:
 * Chromium's fetch() costs ~0.3 ms more synchronously with an explicit headers init).
 *
 * By default the SDK loads no zone.js (the await transform replaces it). What the SDK costs when
 * merely loaded is client.fetch_overhead.zone_ms_median (the name is from when that meant zone.js):
 * a page without the SDK against the harness page (SDK loaded, not initialised), in alternating
 * rounds of 50 (two pages cannot alternate per fetch), which is noisier.
 */
import { spawn } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import { findChromium } from '../testing/chromium.ts';
import { median } from './stats.ts';

// FLOWTRACE_BENCH_FETCH_PORT moves the bench's demo server, so checkouts can bench side by side.
const PORT = Number(process.env.FLOWTRACE_BENCH_FETCH_PORT ?? 4420);
const PAIRS = 1000;

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

function timeFetches(page: Page, count: number): Promise<number[]> {
  return page.evaluate(async (n) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      await (await fetch('/healthz')).arrayBuffer();
      times.push(performance.now() - started);
    }
    return times;
  }, count);
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
async function pairedOverhead(page: Page): Promise<{ traced: number[]; untraced: number[]; headersOnly: number[] }> {
  return page.evaluate(async (pairs) => {
    const untracedFetch = globalThis.fetch;
    globalThis.flowtraceSdk.createClientTracing({ sampleRatio: 1 });
    const traced: number[] = [];
    const untraced: number[] = [];
    const headersOnly: number[] = [];
    const sameHeaders = {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      baggage: 'session.id=4bf92f3577b34da6a3ce929d0e0e4736',
    };
    // Alternate which goes first, so neither always follows the other; the first 50 warm up.
    // (No helper function here: tsx would name it with a `__name` call the page does not have.)
    for (let i = -25; i < pairs; i++) {
      for (const arm of i % 2 ? [0, 1, 2] : [2, 1, 0]) {
        const started = performance.now();
        const response = await (arm === 0 ? fetch('/healthz') : untracedFetch('/healthz', arm === 1 ? undefined : { headers: sameHeaders }));
        await response.arrayBuffer();
        if (i >= 0) [traced, untraced, headersOnly][arm]!.push(performance.now() - started);
      }
    }
    return { traced, untraced, headersOnly };
  }, PAIRS);
}

export default async function clientFetchOverhead(): Promise<Record<string, number>> {
  const server = spawn(process.execPath, ['dist/server/e2e-server.js'], {
    env: { ...process.env, PORT: String(PORT), FLOWTRACE_DATA_DIR: 'memory://', DATABASE_URL: '' },
    stdio: 'ignore',
  });
  const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--disable-gpu'] });
  try {
    await untilServing(`http://127.0.0.1:${PORT}/healthz`, server);
    const base = `http://127.0.0.1:${PORT}`;
    const page = await browser.newPage();
    await page.goto(`${base}/sdk-harness.html`);
    await page.locator('#ready').getByText('ready').waitFor();
    const { traced, untraced, headersOnly } = await pairedOverhead(page);

    const blank = await browser.newPage();
    await blank.goto(`${base}/bench-blank.html`);
    const zoneOnly = await browser.newPage();
    await zoneOnly.goto(`${base}/sdk-harness.html`);
    await zoneOnly.locator('#ready').getByText('ready').waitFor();
    const plain: number[] = [];
    const zoned: number[] = [];
    for (let round = 0; round < 12; round++) {
      plain.push(...(await timeFetches(blank, 50)));
      zoned.push(...(await timeFetches(zoneOnly, 50)));
    }
    return {
      'client.fetch_overhead.ms_median': round3(median(traced) - median(untraced)),
      'client.fetch.untraced_ms_median': round3(median(untraced)),
      'client.fetch_overhead.headers_ms_median': round3(median(headersOnly) - median(untraced)),
      'client.fetch_overhead.zone_ms_median': round3(median(zoned) - median(plain)),
    };
  } finally {
    await browser.close();
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
}
