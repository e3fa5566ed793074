/**
 * viewer.render_ms_2000_spans: how long a person waits for a 2 000-span trace page in Chromium,
 * from the start of navigation to the first frame after the document is parsed (style, layout and
 * paint done): the server reading and rendering the trace, the transfer, and the browser's work.
 * Goal: at most 300 ms. viewer.server_render_ms_2000_spans is the server's share alone, and
 * viewer.render_cpu_ms_2000_spans the CPU time of the page's main thread (Chromium's ThreadTime)
 * over the same navigation: on a loaded machine wall time counts waiting for a core, CPU does not.
 *
 * The trace is shaped like a busy session: 250 different requests, each browser fetch > server
 * span > two queries, and 333 chunk uploads (fetch > server > query) that fold into one row, every
 * span with a realistic set of attributes. Served by flowtrace's own endpoints on an ephemeral
 * loopback port; one warm-up, then the median of nine runs.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from '@playwright/test';
import { createFlowtraceEndpoints, createServerTracing } from '../server/index.ts';
import type { SpanRecord } from '../shared/span-record.ts';
import { EAGER_ROWS } from '../shared/waterfall-rows.ts';
import { chromiumLaunchOptions } from '../testing/index.ts';
import { median } from './stats.ts';

const RUNS = 9;
const TRACE_ID = 'b'.repeat(32);

function buildTrace(): SpanRecord[] {
  let next = 1;
  const spans: SpanRecord[] = [];
  const add = (parent: SpanRecord | undefined, fields: Partial<SpanRecord> & Pick<SpanRecord, 'name' | 'startTime' | 'endTime'>): SpanRecord => {
    const span: SpanRecord = {
      traceId: TRACE_ID, spanId: (next++).toString(16).padStart(16, '0'), ...(parent ? { parentSpanId: parent.spanId } : {}),
      kind: 'internal', service: 'simplycaster-web', side: 'browser', attributes: {}, status: { code: 'unset' }, events: [], links: [], ...fields,
    };
    spans.push(span);
    return span;
  };
  const t0 = 1_700_000_000_000;
  const root = add(undefined, { name: 'session.replay', startTime: t0, endTime: t0 + 60_000, attributes: { 'flowtrace.flow.name': 'session.replay', 'session.id': 's-1' } });
  const request = (at: number, method: string, path: string, route: string, queries: string[]) => {
    const client = add(root, {
      name: method, kind: 'client', startTime: at, endTime: at + 40,
      attributes: { 'http.request.method': method, 'url.full': `http://127.0.0.1:3000${path}`, 'server.address': '127.0.0.1', 'server.port': 3000, 'http.response.status_code': 200, 'flowtrace.test_id': 'bench', 'session.id': 's-1' },
    });
    const server = add(client, {
      name: `${method} ${route}`, kind: 'server', side: 'server', service: 'simplycaster-api', startTime: at + 5, endTime: at + 35,
      attributes: { 'http.request.method': method, 'http.route': route, 'url.path': path, 'http.response.status_code': 200, 'network.peer.address': '127.0.0.1', 'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0', 'flowtrace.request_id': `r-${next}` },
      events: [{ name: 'auth.checked', time: at + 6, attributes: { 'enduser.id': 'u-1' } }],
    });
    for (const [i, query] of queries.entries()) {
      add(server, {
        name: query, kind: 'client', side: 'server', service: 'simplycaster-api', startTime: at + 10 + i * 10, endTime: at + 18 + i * 10,
        attributes: { 'db.system.name': 'postgresql', 'db.operation.name': query.split(' ')[0]!, 'db.collection.name': query.split(' ')[1]!, 'db.query.text': `${query.split(' ')[0]} … FROM ${query.split(' ')[1]} WHERE id = $1` },
      });
    }
  };
  for (let i = 0; i < 250; i++) request(t0 + 100 + i * 100, 'GET', `/api/things${i}/7`, `/api/things${i}/:id`, ['SELECT sessions', `SELECT things${i}`]);
  for (let i = 0; i < 333; i++) request(t0 + 30_000 + i * 80, 'PUT', `/api/recordings/5/tracks/9/chunks/${i}`, '/api/recordings/:id/tracks/:trackId/chunks/:seq', ['INSERT recording_chunks']);
  return spans;
}

export default async function viewerRender(): Promise<Record<string, number>> {
  const spans = buildTrace();
  if (spans.length !== 2000) throw new Error(`the bench trace has ${spans.length} spans, not 2000`);
  const tracing = createServerTracing({ serviceName: 'viewer-bench', register: false });
  tracing.store!.add(spans);
  const endpoints = createFlowtraceEndpoints(tracing);
  const serverTimes: number[] = [];
  const server = createServer((req, res) => {
    const started = performance.now();
    res.on('finish', () => req.url?.includes('/viewer/trace/') && serverTimes.push(performance.now() - started));
    endpoints(req, res, () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/flowtrace/viewer/trace/${TRACE_ID}`;
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const samples: number[] = [];
    const cpu: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      // Injected before the page's own code; CSP does not apply to it. The frame after the one
      // that follows DOMContentLoaded has been through style, layout and paint.
      await page.addInitScript(() => {
        addEventListener('DOMContentLoaded', () =>
          requestAnimationFrame(() => setTimeout(() => ((globalThis as { renderedAt?: number }).renderedAt = performance.now()))),
        );
      });
      // A small page of the same origin first, so the trace page reuses its renderer process
      // and the CPU counted is the trace page's, not a process start's.
      await page.goto(new URL('/flowtrace/viewer?name=no-such-trace', url).href);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const threadTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'ThreadTime')!.value * 1000;
      const cpuBefore = await threadTime();
      await page.goto(url);
      await page.waitForFunction(() => (globalThis as { renderedAt?: number }).renderedAt !== undefined);
      const renderedAt = await page.evaluate(() => (globalThis as { renderedAt?: number }).renderedAt!);
      const cpuUsed = (await threadTime()) - cpuBefore;
      // The page is the whole trace: its first rows drawn, the rest folded or loading on scroll.
      const head = await page.locator('.ft-head').textContent();
      if (!head?.includes('2000 spans') || (await page.locator('.ft-row').count()) < EAGER_ROWS) throw new Error(`the page does not show the 2000-span trace: ${head}`);
      if (run > 0) {
        // run 0 warms up the server, the browser and the JIT
        samples.push(renderedAt);
        cpu.push(cpuUsed);
      }
      await page.close();
    }
    return {
      'viewer.render_ms_2000_spans': Math.round(median(samples)),
      'viewer.render_cpu_ms_2000_spans': Math.round(median(cpu)),
      'viewer.server_render_ms_2000_spans': Math.round(median(serverTimes.slice(1))),
    };
  } finally {
    await browser.close();
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
    await tracing.shutdown();
  }
}
