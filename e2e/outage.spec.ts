import { launchDemo } from './harness/launch.ts';
import { newAccount, register } from './accounts.ts';
import { expect, test } from './fixtures.ts';

// A demo whose Collector is down: nothing listens on port 9 (discard), so every export fails.
let demo: Awaited<ReturnType<typeof launchDemo>>;
test.beforeAll(async ({}, testInfo) => {
  const onPostgres = testInfo.project.name === 'e2e-postgres';
  testInfo.skip(onPostgres && !process.env.DATABASE_URL, 'PostgreSQL run skipped: set DATABASE_URL to run it');
  demo = await launchDemo(Number(process.env.FLOWTRACE_E2E_PORT ?? 4310) + (onPostgres ? 6 : 5), {
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9/v1/traces',
    ...(onPostgres ? { DATABASE_URL: process.env.DATABASE_URL! } : {}),
  });
});
test.afterAll(async () => {
  await demo?.stop();
});

test('with the ingest and the Collector down, creating a room still works, again and again', async ({ page }) => {
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  let ingestAttempts = 0;
  // The browser's exports fail at the network, as when the ingest is unreachable.
  await page.route('**/flowtrace/v1/traces', (route) => {
    ingestAttempts++;
    return route.abort('connectionrefused');
  });
  await page.goto(`${demo.url}/`);
  await register(page, newAccount('Outage'));
  const run = Math.random().toString(36).slice(2, 8);
  for (const name of [`Outage one ${run}`, `Outage two ${run}`, `Outage three ${run}`]) {
    await page.getByLabel('Room name').fill(name);
    await page.getByRole('button', { name: 'Create room' }).click();
    await expect(page.locator('#create-status')).toHaveText(`Room “${name}” created.`);
  }
  await expect(page.locator('#rooms li', { hasText: run })).toHaveCount(3);
  // The SDK did try to export (and failed) without the page noticing.
  await page.evaluate(() => globalThis.__FLOWTRACE_TEST__?.settle?.());
  expect(ingestAttempts).toBeGreaterThan(0);
  expect(pageErrors).toEqual([]);
  // Export the server's spans now, to the Collector that is down: the server must survive it.
  const flushed = await page.request.post(`${demo.url}/flowtrace/api/flush`);
  expect(flushed.status()).toBeLessThan(500);
  const health = await page.request.get(`${demo.url}/healthz`);
  expect(health.ok()).toBe(true);
  await page.getByLabel('Room name').fill(`After the flush ${run}`);
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#create-status')).toHaveText(`Room “After the flush ${run}” created.`);
});
