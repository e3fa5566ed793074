/**
 * Outside development the viewer and the trace API sit behind the access check, while the
 * ingest stays open to browsers. Runs its own server configured as in production, on loopback
 * ports FLOWTRACE_E2E_PORT+20..+39, so checkouts running side by side never share one.
 */
import { createServer } from 'node:http';
import { createFlowtraceEndpoints, createServerTracing } from 'flowtrace/server';
import { expect, test } from './fixtures.ts';

const TOKEN = 'viewer-token-0123456789';

test('the viewer and trace API need the token or the role; the ingest does not', async ({ browser }, testInfo) => {
  const tracing = createServerTracing({ serviceName: 'access', register: false });
  const endpoints = createFlowtraceEndpoints(tracing, {
    access: { token: TOKEN, allow: (req) => req.headers['x-role'] === 'admin' },
  });
  const server = createServer((req, res) => endpoints(req, res, () => res.writeHead(404).end()));
  const port = Number(process.env.FLOWTRACE_E2E_PORT ?? 4310) + 20 + (testInfo.project.name === 'e2e-postgres' ? 10 : 0) + (testInfo.parallelIndex % 10);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${port}/flowtrace`;
  try {
    const ingest = await fetch(`${base}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[]}' });
    expect(ingest.status).toBe(200);

    const denied = await fetch(`${base}/viewer`);
    expect(denied.status).toBe(403);
    expect((await denied.json()).error).toMatch(/^reading traces needs access/);
    expect((await fetch(`${base}/api/summaries`)).status).toBe(403);
    // The parts a trace page loads on demand are read access too.
    const part = `${base}/viewer/trace/${'a'.repeat(32)}`;
    for (const path of ['/assertion', `/place/${'1'.repeat(16)}`, `/span/${'1'.repeat(16)}`, '/rows/100']) expect((await fetch(part + path)).status).toBe(403);
    expect((await fetch(`${part}/assertion`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    expect((await fetch(`${base}/api/summaries`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${base}/api/summaries`, { headers: { 'x-role': 'admin' } })).status).toBe(200);

    // In a browser: the token once in the URL, then the HttpOnly cookie carries it.
    const context = await browser.newContext();
    const page = await context.newPage();
    expect((await page.goto(`${base}/viewer?token=${TOKEN}`))!.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 }).or(page.getByText('Recent traces'))).toBeVisible();
    expect((await page.goto(`${base}/viewer`))!.status()).toBe(200);
    await context.close();
  } finally {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
    await tracing.shutdown();
  }
});
