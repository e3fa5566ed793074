import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { expect, test } from '@playwright/test';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { setEndUser } from './end-user.ts';
import { createHonoMiddleware } from './hono.ts';
import { startTestTracing, type TestTracing, until } from './test-support.ts';

let t: TestTracing;
test.beforeEach(() => {
  t = startTestTracing();
});
test.afterEach(async () => {
  await t.stop();
});

async function start(app: Hono): Promise<{ base: string; server: ServerType }> {
  const port = Number(process.env.FLOWTRACE_E2E_PORT ?? 4600) + 48 + (test.info().workerIndex % 2);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve({ base: `http://127.0.0.1:${port}`, server }));
  });
}

function stop(server: ServerType): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

test('Hono: same span shape as node:http, http.route from the router, exceptions recorded', async () => {
  const app = new Hono();
  app.onError((_error, c) => c.text('internal error', 500)); // Hono's default logs the error
  app.use(createHonoMiddleware(t.tracing, { captureHeaders: { request: ['cookie'] } }));
  app.get('/api/rooms/:id', (c) => {
    setEndUser(c, { id: 'u-1', roles: ['host'] });
    return c.json({ id: c.req.param('id') });
  });
  app.get('/api/broken', () => {
    throw new Error('database gone');
  });
  const { base, server } = await start(app);
  try {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${base}/api/rooms/9?code=123`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, cookie: 'session=1', 'x-request-id': 'req-9' },
    });
    expect(response.headers.get('x-request-id')).toBe('req-9');
    expect(response.headers.get('traceresponse')).toMatch(new RegExp(`^00-${traceId}-`));
    expect((await fetch(`${base}/api/broken`)).status).toBe(500);

    let spans = await t.spans();
    await until(async () => (spans = (await t.spans()).filter((span) => span.kind === SpanKind.SERVER)).length === 2, 'two server spans');
    const room = spans.find((span) => span.attributes['url.path'] === '/api/rooms/9')!;
    expect(room.name).toBe('GET /api/rooms/:id');
    expect(room.spanContext().traceId).toBe(traceId);
    expect(room.attributes).toMatchObject({
      'http.route': '/api/rooms/:id',
      'http.response.status_code': 200,
      'url.query': 'code=REDACTED',
      'http.request.header.cookie': ['REDACTED'],
      'client.address': '127.0.0.1',
      'enduser.id': 'u-1',
      'user.roles': ['host'],
      'flowtrace.request_id': 'req-9',
    });
    const broken = spans.find((span) => span.attributes['url.path'] === '/api/broken')!;
    expect(broken.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'database gone' });
    expect(broken.attributes['http.response.status_code']).toBe(500);
    expect(broken.events.map((event) => event.name)).toContain('exception');
  } finally {
    await stop(server);
  }
});
