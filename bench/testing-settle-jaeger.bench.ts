/**
 * testing.settle_ms.jaeger_median: from the end of the last span of a test's trace to `settle()`
 * resolving when the fixture reads from Jaeger (two demo instances behind a balancer, store off,
 * exporting to a real Jaeger v2): the instances flush and report, then Jaeger is read until it holds
 * every span. Median of nine runs after one warm-up. Goal <= 1000.
 *
 * The trace is "Create room" clicked in Chromium when the instances forward browser spans (issue
 * 12's ingest pipeline); until then it is the same request sent by the API client, a trace of
 * server and database spans only, and the bench says so on stderr.
 */
import { randomUUID } from 'node:crypto';
import { chromium, request as playwrightRequest } from '@playwright/test';
import { chromiumLaunchOptions, tagContext, TraceCollector } from '../testing/index.ts';
import { newBenchAccount } from './bench-account.ts';
import { startBenchStack } from './jaeger-stack.ts';
import { median } from './stats.ts';

const RUNS = 9;

export default async function testingSettleJaeger(): Promise<Record<string, number>> {
  const stack = await startBenchStack();
  const browser = await chromium.launch(chromiumLaunchOptions());
  const request = await playwrightRequest.newContext({ baseURL: stack.balancer });
  const source = { jaeger: stack.jaeger, instances: stack.instances };
  try {
    const forwarding = (await request.post('/flowtrace/v1/traces', { data: { resourceSpans: [] } })).status() === 200;
    if (!forwarding) console.error('testing-settle-jaeger: the ingest does not forward browser spans yet; measuring API-only traces');
    const samples: number[] = [];
    for (let run = 0; run < RUNS + 1; run++) {
      const testId = `bench-${randomUUID()}`;
      const context = await browser.newContext({ baseURL: stack.balancer });
      await tagContext(context, testId);
      if ((await context.request.post('/api/auth/register', { data: newBenchAccount() })).status() !== 201) throw new Error('register failed');
      const traces = new TraceCollector({ testId, request, contexts: [context], source });
      let rootName: string;
      if (forwarding) {
        const page = await context.newPage();
        await page.goto('/');
        await page.getByLabel('Room name').fill(`bench ${run}`);
        await page.getByRole('button', { name: 'Create room' }).click();
        rootName = 'room.create';
      } else {
        const created = await context.request.post('/api/rooms', { data: { name: `bench ${run}` }, headers: { baggage: `flowtrace.test_id=${testId}` } });
        if (created.status() !== 201) throw new Error(`create room answered ${created.status()}`);
        rootName = 'POST /api/rooms';
      }
      const spans = await traces.rootedAt(rootName);
      const resolvedAt = Date.now();
      if (run > 0) samples.push(resolvedAt - Math.max(...spans.map((span) => span.endTime)));
      await context.close();
    }
    return { 'testing.settle_ms.jaeger_median': Math.round(median(samples)) };
  } finally {
    await request.dispose();
    await browser.close();
    await stack.stop();
  }
}
