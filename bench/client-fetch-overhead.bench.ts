/**
 * client.fetch_overhead.ms_median: time a traced fetch adds over an untraced one, in Chromium,
 * in the same run. The untraced page has no SDK at all (bench-blank.html); the traced page runs
 * initFlowtrace (every span sampled and exported). Both fetch the demo server's /healthz (which
 * the server does not trace), in alternating rounds of 50, 600 fetches each; the metric is the
 * difference of the medians. client.fetch.untraced_ms_median is the baseline itself, and
 * client.fetch_overhead.zone_only_ms_median the part zone.js alone adds (SDK loaded, not initialised).
 */
import { spawn } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import { findChromium } from '../testing/chromium.ts';

const PORT = 4420;
const ROUNDS = 12;
const PER_ROUND = 50;

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
      const response = await fetch('/healthz');
      await response.arrayBuffer();
      times.push(performance.now() - started);
    }
    return times;
  }, count);
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)]!;

export default async function clientFetchOverhead(): Promise<Record<string, number>> {
  const server = spawn(process.execPath, ['dist/server/main.js'], {
    env: { ...process.env, PORT: String(PORT), FLOWTRACE_DATA_DIR: 'memory://', DATABASE_URL: '' },
    stdio: 'ignore',
  });
  const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--disable-gpu'] });
  try {
    await untilServing(`http://127.0.0.1:${PORT}/healthz`, server);
    const base = `http://127.0.0.1:${PORT}`;
    const untraced = await browser.newPage();
    await untraced.goto(`${base}/bench-blank.html`);
    const zoneOnly = await browser.newPage();
    await zoneOnly.goto(`${base}/sdk-harness.html`);
    await zoneOnly.locator('#ready').getByText('ready').waitFor();
    const traced = await browser.newPage();
    await traced.goto(`${base}/sdk-harness.html`);
    await traced.locator('#ready').getByText('ready').waitFor();
    await traced.evaluate(() => void globalThis.flowtraceSdk.initFlowtrace({ sampleRatio: 1 }));
    // Warm-up: connections, JIT.
    await timeFetches(untraced, 20);
    await timeFetches(traced, 20);
    const plain: number[] = [];
    const instrumented: number[] = [];
    const zoned: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      plain.push(...(await timeFetches(untraced, PER_ROUND)));
      zoned.push(...(await timeFetches(zoneOnly, PER_ROUND)));
      instrumented.push(...(await timeFetches(traced, PER_ROUND)));
    }
    return {
      'client.fetch_overhead.ms_median': round3(median(instrumented) - median(plain)),
      'client.fetch.untraced_ms_median': round3(median(plain)),
      'client.fetch_overhead.zone_only_ms_median': round3(median(zoned) - median(plain)),
    };
  } finally {
    await browser.close();
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
}
