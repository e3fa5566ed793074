/**
 * Personal data a page puts into a span attribute is scrubbed on the instance, before the span is
 * forwarded: Jaeger never sees it.
 */
import { randomUUID } from 'node:crypto';
import { browserExport, hex, jaegerTrace } from './otlp.ts';
import { expect, test } from './fixtures.ts';

test('an e-mail address and a bearer token planted in a browser span never reach Jaeger', async ({ request, stack, traces }) => {
  await stack.requireBrowserForwarding();
  const email = `planted-${randomUUID()}@example.com`;
  const token = `Bearer planted${randomUUID().replaceAll('-', '')}`;
  const traceId = hex(16);
  const now = BigInt(Date.now()) * 1_000_000n;
  const body = browserExport({
    traceId,
    name: 'profile.save',
    startTimeUnixNano: `${now}`,
    endTimeUnixNano: `${now + 2_000_000n}`,
    attributes: {
      'flowtrace.test_id': { stringValue: traces.testId },
      'simplycaster.note': { stringValue: `call me at ${email}` },
      'http.request.header.authorization': { stringValue: token },
    },
  });
  expect((await request.post('/flowtrace/v1/traces', { data: body })).status()).toBe(200);
  const settled = await traces.settle();
  expect(settled.flatMap((trace) => trace.spans).some((span) => span.name === 'profile.save')).toBe(true);

  const raw = JSON.stringify(await jaegerTrace(request, stack.jaeger, traceId));
  expect(raw).toContain('profile.save');
  expect(raw).not.toContain(email);
  expect(raw).not.toContain(token.slice('Bearer '.length));
});
