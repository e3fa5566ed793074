/**
 * The `await` scenarios shared by the build, dev-server and no-plugin specs: the page's harness
 * (compiled by that build) runs flows whose fetches follow native `await`s.
 */
import type { Page } from '@playwright/test';
import type { SpanRecord, TraceCollector } from 'flowtrace/testing';
import { expect } from './fixtures.ts';

export async function openHarness(page: Page, options: Record<string, unknown> = {}): Promise<void> {
  await page.goto('/sdk-harness.html');
  // The dev server transforms modules on first request, which can take a while on a busy machine.
  await expect(page.locator('#ready')).toHaveText('ready', { timeout: 30_000 });
  await page.evaluate((opts) => void globalThis.flowtraceInitForTest(opts), options);
}

const step = (span: SpanRecord) => /[?&]step=([^&]+)/.exec(String(span.attributes['url.full'] ?? ''))?.[1];

/** Every fetch of the three-await flow is a direct child of the flow and reaches the server. */
export async function expectThreeFetchesUnderFlow(page: Page, traces: TraceCollector, name: string): Promise<void> {
  const statuses = await page.evaluate((flow) => globalThis.flowtraceScenarios.awaitThreeFetches(flow), name);
  expect(statuses).toEqual([200, 200, 200]);
  const trace = await traces.rootedAt(name);
  const fetchUnder = { role: 'browser' as const, kind: 'client' as const, children: [{ role: 'server' as const, name: 'GET /api/rooms' }] };
  expect(trace).toHaveSpanTree({ role: 'browser', name, children: [fetchUnder, fetchUnder, fetchUnder] });
  const flow = trace.find((span) => span.name === name)!;
  const steps = trace.filter((span) => span.kind === 'client' && span.parentSpanId === flow.spanId).map(step);
  expect(steps.toSorted()).toEqual(['a', 'b', 'c']);
}

/** Runs two flows at once and returns, per flow, the steps of the fetches parented under it. */
export async function concurrentFlowChildren(page: Page, traces: TraceCollector): Promise<Record<string, string[]>> {
  await page.evaluate(() => globalThis.flowtraceScenarios.concurrentFlows());
  const settled = await traces.settle({ minTraces: 2 });
  const spans = settled.flatMap((trace) => trace.spans);
  const children: Record<string, string[]> = {};
  for (const name of ['flow.one', 'flow.two']) {
    const flow = spans.find((span) => span.name === name);
    expect(flow, `flow ${name} was exported`).toBeDefined();
    children[name] = spans
      .filter((span) => span.kind === 'client' && span.parentSpanId === flow!.spanId)
      .map((span) => step(span) ?? '?')
      .toSorted();
  }
  return children;
}
