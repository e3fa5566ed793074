/**
 * demo.outage_latency_ratio: how much slower "Create room" gets, click to confirmation, when the
 * browser's ingest and the server's Collector are both down. Median over 30 flows against a demo
 * whose Collector is unreachable and whose ingest requests fail at the network, divided by the
 * median over 30 against a healthy demo, alternating between the two in one run. Goal <= 1.05.
 */
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../testing/chromium.ts';
import { launchDemo } from '../e2e/harness/launch.ts';
import { median } from './stats.ts';
import { createRoom, newBenchAccount } from './bench-account.ts';

const FLOWS = 30;

/** Opens the studio and registers, as creating a room needs an account. */
async function signUp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const form = page.getByRole('form', { name: 'Register' });
  const account = newBenchAccount();
  await form.getByLabel('Display name').fill(account.displayName);
  await form.getByLabel('E-mail').fill(account.email);
  await form.getByLabel('Password').fill(account.password);
  await form.getByRole('button', { name: 'Register' }).click();
  await page.getByLabel('Room name').waitFor();
}

export default async function demoOutage(): Promise<Record<string, number>> {
  const healthy = await launchDemo(4393);
  const down = await launchDemo(4394, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9/v1/traces' });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const up = await browser.newPage();
    await signUp(up, healthy.url);
    const outage = await browser.newPage();
    await outage.route('**/flowtrace/v1/traces', (route) => route.abort('connectionrefused'));
    await signUp(outage, down.url);
    const times = { up: [] as number[], down: [] as number[] };
    for (let i = 0; i < FLOWS; i++) {
      times.up.push(await createRoom(up, `up ${i}`));
      times.down.push(await createRoom(outage, `down ${i}`));
    }
    return {
      'demo.flow_ms_median': Math.round(median(times.up) * 10) / 10,
      'demo.outage_latency_ratio': Math.round((median(times.down) / median(times.up)) * 1000) / 1000,
    };
  } finally {
    await browser.close();
    await Promise.all([healthy.stop(), down.stop()]);
  }
}
