import { SpanKind } from '@opentelemetry/api';
import { expect, test } from '@playwright/test';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { DEFAULT_SENSITIVE_QUERY_PARAMS, redactFields, redactQuery, redactQueryInText, scrubPersonalData } from './redact.ts';
import { mayHoldPersonalData, RedactingSpanProcessor } from './redaction-processor.ts';

test('scrubs e-mail addresses, bearer tokens and Luhn-valid card numbers, and nothing else', () => {
  expect(scrubPersonalData('mail ada@example.co.uk now')).toBe('mail REDACTED now');
  expect(scrubPersonalData('Authorization: Bearer eyJhbGciOi.J9.x-y_z=')).toBe('Authorization: REDACTED');
  expect(scrubPersonalData('card 4111 1111 1111 1111 ok')).toBe('card REDACTED ok');
  expect(scrubPersonalData('card 4111-1111-1111-1111')).toBe('card REDACTED');
  expect(scrubPersonalData('card 4-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1')).toBe('card REDACTED');
  // Not Luhn-valid: an order number, a timestamp in ms.
  expect(scrubPersonalData('order 1234567890123')).toBe('order 1234567890123');
  expect(scrubPersonalData('GET /api/rooms/42')).toBe('GET /api/rooms/42');
});

test('redacts sensitive query parameters and JSON fields at any depth', () => {
  expect(redactQuery('a=1&Password=x&signature=y&code=z')).toBe('a=1&Password=REDACTED&signature=REDACTED&code=REDACTED');
  expect(redactFields({ user: { name: 'a', token: 't' }, list: [{ secret: 's' }] })).toEqual({
    user: { name: 'a', token: 'REDACTED' },
    list: [{ secret: 'REDACTED' }],
  });
});

test('the processor scrubs span attributes, event attributes and the status before any exporter sees them', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new RedactingSpanProcessor({ keep: ['safe.id'] }), new SimpleSpanProcessor(exporter)],
  });
  const span = provider.getTracer('t').startSpan('checkout', {
    attributes: { 'user.email': 'ada@example.com', tags: ['ok', 'bob@example.org'], count: 3, 'safe.id': 'x@y.z' },
  });
  span.addEvent('payment', { card: '4111111111111111' });
  span.setStatus({ code: 2, message: 'failed for ada@example.com' });
  span.end();
  const [exported] = exporter.getFinishedSpans();
  expect(exported!.attributes).toEqual({ 'user.email': 'REDACTED', tags: ['ok', 'REDACTED'], count: 3, 'safe.id': 'x@y.z' });
  expect(exported!.events[0]!.attributes).toEqual({ card: 'REDACTED' });
  expect(exported!.status.message).toBe('failed for REDACTED');
});

function recordWith(processor: RedactingSpanProcessor) {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor(exporter)] }).getTracer('t');
  tracer
    .startSpan('GET https://x.test/a?token=t0p&room=1', {
      kind: SpanKind.CLIENT,
      attributes: { 'url.full': 'https://x.test/a?token=t0p&room=1', 'app.contact': 'jane@example.com', 'app.count': 3 },
    })
    .end();
  tracer.startSpan('room.create', { attributes: { 'app.note': 'nothing to hide' } }).end();
  return exporter.getFinishedSpans();
}

test('as the browser runs it: query secrets and personal data leave neither names nor attributes', () => {
  const [fetchSpan, flow] = recordWith(
    new RedactingSpanProcessor({
      names: true,
      scrub: (value) => scrubPersonalData(redactQueryInText(value, DEFAULT_SENSITIVE_QUERY_PARAMS)),
    }),
  );
  expect(fetchSpan!.name).toBe('GET https://x.test/a?token=REDACTED&room=1');
  expect(fetchSpan!.attributes['url.full']).toBe('https://x.test/a?token=REDACTED&room=1');
  expect(fetchSpan!.attributes['app.contact']).not.toContain('jane@example.com');
  expect(fetchSpan!.attributes['app.count']).toBe(3);
  expect(flow!.name).toBe('room.create');
  expect(flow!.attributes['app.note']).toBe('nothing to hide');
});

test('as the server runs it: span names are left alone', () => {
  const [fetchSpan] = recordWith(new RedactingSpanProcessor());
  expect(fetchSpan!.name).toBe('GET https://x.test/a?token=t0p&room=1');
  expect(fetchSpan!.attributes['app.contact']).not.toContain('jane@example.com');
});

test('the cheap check passes everything the scrubbing expression would change, and spares ids and paths', () => {
  // Values a server span carries on every request: none of them reaches the expression.
  // A request id named after its span is hex: a long digit run inside it starts within a word.
  const requestId = '4bf92f3577b34da6a3ce9290123456789012345-00f067aa0ba902b7';
  for (const value of ['0b7e2a51-44c4-4f1a-9d6a-2f8a1c3e5b7d', requestId, '/api/rooms/1234567', '127.0.0.1', 'autocannon', 'Mozilla/5.0 (X11; Linux x86_64)', 'HTTP/1.1', '2026-12-04T16:00:00Z']) {
    expect(mayHoldPersonalData(value), value).toBe(false);
  }
  for (const value of ['ada@example.com', 'x BEARER abc', 'Bearer t', '4111 1111 1111 1111', '4-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1', '1234567890123', 'a12-4111111111111111']) {
    expect(mayHoldPersonalData(value), value).toBe(true);
  }
  // Whatever the expression changes, the check must have let through (a generated corpus).
  const alphabet = ['1', '4', '9', '0', ' ', '-', '@', 'a', '.', 'b', 'e', 'r', 'B', 'E', 'R', '/', 'f', '_', '7', '3'];
  let state = 42;
  const next = () => (state = (state * 1103515245 + 12345) >>> 0) % alphabet.length;
  for (let n = 0; n < 20000; n++) {
    const value = Array.from({ length: 8 + (n % 40) }, () => alphabet[next()]).join('');
    if (scrubPersonalData(value) !== value) expect(mayHoldPersonalData(value), value).toBe(true);
  }
});
