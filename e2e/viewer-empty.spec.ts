/**
 * A fresh server's viewer, outside any test: it says how traces get there rather than that none
 * match, and it shows no test-id column when no trace has a test id. Runs its own server with an
 * empty store, on loopback ports FLOWTRACE_E2E_PORT+60..+79 (one per project and worker).
 */
import { createServer } from 'node:http';
import { createFlowtraceEndpoints, createServerTracing } from 'flowtrace/server';
import { expect, test } from './fixtures.ts';
import { newTraceId, spanId } from './otlp-body.ts';

test('an empty viewer says how traces get there, then lists them without a test-id column', async ({ page }, testInfo) => {
  const tracing = createServerTracing({ serviceName: 'empty', register: false });
  const endpoints = createFlowtraceEndpoints(tracing);
  const server = createServer((req, res) => endpoints(req, res, () => res.writeHead(404).end()));
  const port = Number(process.env.FLOWTRACE_E2E_PORT ?? 4310) + 60 + (testInfo.project.name === 'e2e-postgres' ? 10 : 0) + (testInfo.parallelIndex % 10);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${port}/flowtrace`;
  try {
    await page.goto(`${base}/viewer`);
    await expect(page.getByText('No traces yet: use the app and they appear here.')).toBeVisible();
    await page.goto(`${base}/viewer?service=nothing-here`);
    await expect(page.getByText('No traces match these filters.')).toBeVisible();

    await page.goto(`${base}/viewer`);
    // A span exported by a browser outside any test: no test id.
    const body = {
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'simplycaster-web' } }] },
        scopeSpans: [{ spans: [{ traceId: newTraceId(), spanId: spanId(1), name: 'room.create', kind: 1, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000004000000' }] }],
      }],
    };
    expect((await fetch(`${base}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status).toBe(200);
    await expect(page.getByRole('link', { name: 'room.create' })).toBeVisible();
    await expect(page.locator('table.ft-list th')).toHaveText(['root', 'start (UTC)', 'duration', 'spans', 'services', 'status']);
  } finally {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
    await tracing.shutdown();
  }
});
