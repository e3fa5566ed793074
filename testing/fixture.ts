/**
 * The Playwright fixture: every test gets a unique test id, carried in W3C baggage by the pages
 * it opens (through the SDK) and stored with every span, so tests never see each other's spans.
 */
import { randomUUID } from 'node:crypto';
import type { BrowserContext } from '@playwright/test';
import { baseTest as base } from './playwright.ts';
import type { FlowtraceTestHandle } from '../shared/test-handle.ts';
import { TraceCollector, type TraceApiOptions } from './trace-collector.ts';
import type { JaegerTraceSource } from './trace-source.ts';

/** The fixtures every flowtrace test gets. */
export interface FlowtraceFixtures {
  /** The test's traces. */
  traces: TraceCollector;
  /**
   * Opens another browser context tagged with the same test id (a second participant).
   * Closed after the test.
   */
  newTracedContext: () => Promise<BrowserContext>;
}

/** Options of the fixture, set in the Playwright config's `use`. */
export interface FlowtraceOptions {
  /**
   * How the `traces` fixture reaches the app's trace API, on the `request` fixture's baseURL:
   * `use: { flowtrace: { basePath: '/flowtrace', token: process.env.FLOWTRACE_TOKEN } }`.
   * @default { basePath: '/flowtrace' } without a token
   */
  flowtrace: TraceApiOptions;
  /**
   * Where `traces` reads a test's traces: the app's own trace API on `baseURL` (the in-process
   * store), or Jaeger, for an app running as several instances that export to it.
   * @default undefined (the app's trace API)
   */
  traceSource: JaegerTraceSource | undefined;
}

/**
 * Tags a browser context with a test id: its pages carry the id in W3C baggage (through the
 * flowtrace/client SDK) and every span they cause is stored under it. The `traces` fixture does
 * this for `context`; call it yourself only to run several tagged "tests" inside one.
 */
export async function tagContext(context: BrowserContext, testId: string): Promise<void> {
  await context.addInitScript((id: string) => {
    const handle: FlowtraceTestHandle = { testId: id };
    globalThis.__FLOWTRACE_TEST__ = handle;
  }, testId);
}

export const test = base.extend<FlowtraceFixtures & FlowtraceOptions & { _flowtraceContexts: BrowserContext[] }>({
  flowtrace: [{}, { option: true }],
  traceSource: [undefined, { option: true }],
  _flowtraceContexts: async ({}, use) => {
    await use([]);
  },
  traces: [
    async ({ context, request, _flowtraceContexts, flowtrace, traceSource }, use, testInfo) => {
      const testId = `${testInfo.testId}-r${testInfo.retry}-${randomUUID().slice(0, 8)}`;
      await tagContext(context, testId);
      _flowtraceContexts.push(context);
      const traces = new TraceCollector({ ...flowtrace, testId, request, contexts: _flowtraceContexts, testInfo, ...(traceSource ? { source: traceSource } : {}) });
      await use(traces);
      if (testInfo.status !== testInfo.expectedStatus) {
        // The report then holds the trace as text and as an HTML waterfall.
        await traces.attach().catch((error: unknown) =>
          testInfo.attach('flowtrace-traces.txt', { body: `(traces unavailable: ${String(error)})`, contentType: 'text/plain' }),
        );
      }
    },
    { auto: true },
  ],
  newTracedContext: async ({ browser, traces, _flowtraceContexts }, use) => {
    const opened: BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext();
      await tagContext(context, traces.testId);
      opened.push(context);
      _flowtraceContexts.push(context);
      return context;
    });
    await Promise.all(opened.map((context) => context.close()));
  },
});
