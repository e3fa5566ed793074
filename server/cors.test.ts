import { createServer } from 'node:http';
import { expect, test } from '@playwright/test';
import { createTraceCors, withTraceHeaders } from './cors.ts';
import { close, listen } from './test-support.ts';

test('the trace headers are added to allowed headers without duplicates', () => {
  expect(withTraceHeaders(['Content-Type', 'traceparent'])).toEqual(['Content-Type', 'traceparent', 'tracestate', 'baggage', 'x-request-id']);
});

test('a preflight from an allowed origin may send traceparent, tracestate and baggage; others get nothing', async () => {
  const cors = createTraceCors({ origins: ['https://app.example.com'] });
  const server = createServer((req, res) => cors(req, res, () => res.end('ok')));
  const base = await listen(server);
  try {
    const preflight = await fetch(base, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'traceparent' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, traceparent, tracestate, baggage, x-request-id');
    const actual = await fetch(base, { headers: { origin: 'https://app.example.com' } });
    expect(actual.headers.get('access-control-expose-headers')).toBe('traceresponse, server-timing, x-request-id');
    const stranger = await fetch(base, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  } finally {
    await close(server);
  }
});
