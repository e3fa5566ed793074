/**
 * The Playwright fixture: every test gets a unique test id, carried in W3C baggage by the pages
 * it opens (through the SDK) and stored with every span, so tests never see each other's spans.
 */
import { randomUUID } from 'node:crypto';
import { test as base, type BrowserContext } from '@playwright/test';
import type { FlowtraceTestHandle } from '../shared/test-handle.ts';
import { TraceCollector } from './trace-collector.ts';

export interface FlowtraceFixtures {
  /** The test's traces. */
  traces: TraceCollector;
  /**
   * Opens another browser context tagged with the same test id (a second participant).
   * Closed after the test.
   */
  newTracedContext: () => Promise<BrowserContext>;
}

async function tag(context: BrowserContext, testId: string): Promise<void> {
  await context.addInitScript((id: string) => {
    const handle: FlowtraceTestHandle = { testId: id };
    globalThis.__FLOWTRACE_TEST__ = handle;
  }, testId);
}

export const test = base.extend<FlowtraceFixtures & { _flowtraceContexts: BrowserContext[] }>({
  _flowtraceContexts: async ({}, use) => {
    await use([]);
  },
  traces: [
    async ({ context, request, _flowtraceContexts }, use, testInfo) => {
      const testId = `${testInfo.testId}-r${testInfo.retry}-${randomUUID().slice(0, 8)}`;
      await tag(context, testId);
      _flowtraceContexts.push(context);
      const traces = new TraceCollector({ testId, request, contexts: _flowtraceContexts });
      await use(traces);
      if (testInfo.status !== testInfo.expectedStatus) {
        const text = await traces.text().catch((error: unknown) => `(traces unavailable: ${String(error)})`);
        await testInfo.attach('flowtrace-traces.txt', { body: text, contentType: 'text/plain' });
      }
    },
    { auto: true },
  ],
  newTracedContext: async ({ browser, traces, _flowtraceContexts }, use) => {
    const opened: BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext();
      await tag(context, traces.testId);
      opened.push(context);
      _flowtraceContexts.push(context);
      return context;
    });
    await Promise.all(opened.map((context) => context.close()));
  },
});
