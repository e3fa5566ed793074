/**
 * Ingest limits on a server started by the test (loopback, ports 4720-4739), so tight limits and
 * floods never touch the demo that other tests share.
 */
import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { createFlowtraceEndpoints, createServerTracing, type EndpointsOptions } from 'flowtrace/server';
import { TraceStore } from 'flowtrace/server/advanced';
import { expect, test } from './fixtures.ts';

interface LimitsServer {
  url: string;
  store: TraceStore;
}

async function listen(server: Server, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

const test2 = test.extend<{ startServer: (options: EndpointsOptions, store?: TraceStore) => Promise<LimitsServer> }>({
  startServer: async ({}, use, testInfo) => {
    const servers: Server[] = [];
    const base = 4720 + (testInfo.project.name === 'e2e-postgres' ? 10 : 0);
    await use(async (options, store = new TraceStore()) => {
      const tracing = createServerTracing({ serviceName: 'limits', register: false, store });
      const endpoints = createFlowtraceEndpoints(tracing, options);
      const server = createServer((req, res) =>
        endpoints(req, res, () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"app":"ok"}');
        }),
      );
      const port = base + (testInfo.parallelIndex % 10);
      await listen(server, port);
      servers.push(server);
      return { url: `http://127.0.0.1:${port}`, store };
    });
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
    }
  },
});

let spanNo = 1;
/** An OTLP/JSON body with `count` root spans of one trace. */
function otlpJson(count: number): string {
  const spans = Array.from({ length: count }, () => ({
    traceId: 'ab'.repeat(16),
    spanId: (spanNo++).toString(16).padStart(16, '0'),
    name: 'flood',
    kind: 1,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000001000000',
  }));
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans }] }] });
}

const post = (url: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${url}/flowtrace/v1/traces`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });

test2('a client over its rate gets 429 with Retry-After, and reading traces is not limited', async ({ startServer }) => {
  const { url } = await startServer({ rateLimit: { perSecond: 0.001, burst: 3 } });
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await post(url, otlpJson(1))).status);
  expect(statuses).toEqual([200, 200, 200, 429]);
  const refused = await post(url, otlpJson(1));
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect((await refused.json()).error).toMatch(/^too many export requests; retry after \d+ s$/);
  // Reading traces is not rate-limited.
  expect((await fetch(`${url}/flowtrace/api/summaries`)).status).toBe(200);
});

test2('spans over the per-request cap are rejected as an OTLP partial success', async ({ startServer }) => {
  const { url, store } = await startServer({ maxSpansPerRequest: 2 });
  const response = await post(url, otlpJson(3));
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({
    partialSuccess: { rejectedSpans: 1, errorMessage: '3 spans exceed the 2-span limit per request; send smaller batches' },
  });
  expect(store.spanCount).toBe(2);
});

test2('compressed bodies are capped after decompression; bad gzip is 400 and unknown encodings 415', async ({ startServer }) => {
  const { url } = await startServer({ maxBodyBytes: 10_000 });
  const bomb = gzipSync(Buffer.alloc(1_000_000, 0x20));
  expect(bomb.length).toBeLessThan(10_000);
  const big = await post(url, bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  expect(big.status).toBe(413);
  expect((await big.json()).error).toBe('body exceeds the 10000-byte limit once decompressed');
  const corrupt = await post(url, Buffer.from('not gzip'), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  expect(corrupt.status).toBe(400);
  expect((await corrupt.json()).error).toMatch(/^invalid OTLP json: body is not valid gzip/);
  const brotli = await post(url, otlpJson(1), { 'content-type': 'application/json', 'content-encoding': 'br' });
  expect(brotli.status).toBe(415);
  const tooBig = await post(url, otlpJson(100));
  expect(tooBig.status).toBe(413);
});

test2('the app keeps serving while one client floods the ingest', async ({ startServer }) => {
  const store = new TraceStore({ maxSpans: 500 });
  const { url } = await startServer({ rateLimit: { perSecond: 0.001, burst: 10 } }, store);
  const body = otlpJson(50);
  const statuses: number[] = [];
  const retryAfter = new Set<string | null>();
  // 300 exports, 30 in flight at a time: bounded, and all on loopback.
  const flood = Promise.all(
    Array.from({ length: 30 }, async () => {
      for (let i = 0; i < 10; i++) {
        const response = await post(url, body);
        statuses.push(response.status);
        if (response.status === 429) retryAfter.add(response.headers.get('retry-after'));
        await response.arrayBuffer();
      }
    }),
  );
  const app: number[] = [];
  for (let i = 0; i < 20; i++) app.push((await fetch(`${url}/app`)).status);
  await flood;
  expect(app).toEqual(Array.from({ length: 20 }, () => 200));
  expect(statuses).toHaveLength(300);
  // A burst of 10, refilled at one request per 1000 s: every export past the tenth is refused.
  expect(statuses.filter((s) => s === 200)).toHaveLength(10);
  expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
  expect([...retryAfter].every((value) => Number(value) >= 1)).toBe(true);
  expect(store.spanCount).toBeLessThanOrEqual(500);
});
