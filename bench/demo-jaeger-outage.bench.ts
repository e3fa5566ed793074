/**
 * demo.jaeger_outage_latency_ratio: how much slower "Create room" gets, click to confirmation, on
 * two demo instances behind a balancer when the Jaeger they export to is down. Median of 40 flows
 * with Jaeger stopped over the median of 40 with it running, in alternating blocks of 10 (so drift
 * on a shared machine falls on both sides). Goal <= 1.05.
 */
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../testing/chromium.ts';
import { createRoom, newBenchAccount } from './bench-account.ts';
import { startBenchStack } from './jaeger-stack.ts';
import { median } from './stats.ts';

const BLOCKS = 4;
const PER_BLOCK = 10;

export default async function demoJaegerOutage(): Promise<Record<string, number>> {
  const stack = await startBenchStack();
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const context = await browser.newContext({ baseURL: stack.balancer });
    if ((await context.request.post('/api/auth/register', { data: newBenchAccount() })).status() !== 201) throw new Error('register failed');
    const page = await context.newPage();
    await page.goto('/');
    for (let i = 0; i < 5; i++) await createRoom(page, `warm ${i}`);
    const times = { up: [] as number[], down: [] as number[] };
    for (let block = 0; block < BLOCKS * 2; block++) {
      const down = block % 2 === 1;
      if (down) await stack.stopJaeger();
      for (let i = 0; i < PER_BLOCK; i++) (down ? times.down : times.up).push(await createRoom(page, `${down ? 'down' : 'up'} ${block}.${i}`));
      if (down) await stack.startJaeger();
    }
    return { 'demo.jaeger_outage_latency_ratio': Math.round((median(times.down) / median(times.up)) * 1000) / 1000 };
  } finally {
    await browser.close();
    await stack.stop();
  }
}
