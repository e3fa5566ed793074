/**
 * The e2e-jaeger specs' fixture: flowtrace's (reading from Jaeger, as the project's `traceSource`
 * says) plus the stack: skipped, with the reason, when the stack is not up; the stack's controls;
 * and a check that the instances' ingest forwards browser spans with the store off.
 */
import type { APIRequestContext } from '@playwright/test';
import { test as flowtraceTest } from 'flowtrace/testing';
import { STACK_PORTS, url } from './ports.ts';

export { expect } from 'flowtrace/testing';

/** Export counts from an instance's /healthz (`tracing.exportStats()`). */
export interface ExportCounts {
  exported: number;
  failed: number;
  dropped: number;
  queued: number;
}

export interface Stack {
  /** Base URLs of the instances behind the balancer. */
  instances: string[];
  /** Jaeger's query service. */
  jaeger: string;
  stopJaeger(): Promise<void>;
  startJaeger(): Promise<void>;
  /** Which instance each WebSocket upgrade went to, in order. */
  upgrades(): Promise<Array<{ path: string; instance: number }>>;
  exportCounts(): Promise<ExportCounts[]>;
  /** Resident memory of each instance, in KiB. */
  memoryKb(): Promise<number[]>;
  /**
   * Skips the test unless the instances' ingest answers 200 with the store off (it forwards browser
   * spans to the exporter, issue 12's ingest pipeline); an ingest without it answers 503.
   */
  requireBrowserForwarding(): Promise<void>;
}

async function json<T>(request: APIRequestContext, method: 'get' | 'post', path: string): Promise<T> {
  const response = await request[method](`${url(STACK_PORTS.control)}${path}`, { timeout: 60_000 });
  if (!response.ok()) throw new Error(`stack ${method.toUpperCase()} ${path} answered ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
}

export const test = flowtraceTest.extend<{ stack: Stack }>({
  stack: [
    async ({ request }, use, testInfo) => {
      const state = await json<{ up: boolean; reason?: string }>(request, 'get', '/status');
      if (!state.up && process.env.CI) throw new Error(`the e2e-jaeger stack is not up: ${state.reason}`);
      testInfo.skip(!state.up, `e2e-jaeger skipped: ${state.reason}`);
      const instances = STACK_PORTS.instances.map(url);
      await use({
        instances,
        jaeger: url(STACK_PORTS.queryHttp),
        stopJaeger: () => json(request, 'post', '/jaeger/stop'),
        startJaeger: () => json(request, 'post', '/jaeger/start'),
        upgrades: async () => (await json<{ upgrades: Array<{ path: string; instance: number }> }>(request, 'get', '/upgrades')).upgrades,
        exportCounts: () =>
          Promise.all(instances.map(async (base) => ((await (await request.get(`${base}/healthz`)).json()) as { export: ExportCounts }).export)),
        memoryKb: async () => (await json<{ rssKb: number[] }>(request, 'get', '/memory')).rssKb,
        async requireBrowserForwarding() {
          const answers = await Promise.all(
            instances.map((base) => request.post(`${base}/flowtrace/v1/traces`, { data: { resourceSpans: [] } }).then((r) => r.status())),
          );
          testInfo.skip(
            answers.some((status) => status !== 200),
            `needs browser spans forwarded with the store off (issue 12's ingest pipeline); the ingest answered ${answers.join(', ')}`,
          );
        },
      });
    },
    { auto: true },
  ],
});
