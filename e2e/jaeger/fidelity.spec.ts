/**
 * A browser span forwarded through an instance reaches Jaeger as the browser sent it: nanosecond
 * times, every resource attribute, the scope, a link's tracestate and an int64 exactly.
 */
import { browserExport, hex, jaegerTrace } from './otlp.ts';
import { expect, test } from './fixtures.ts';

test('a browser span read back from Jaeger keeps its nanosecond times, resource, scope, link tracestate and int64', async ({ request, stack, traces }) => {
  await stack.requireBrowserForwarding();
  const traceId = hex(16);
  // Now, to the nanosecond: 19 digits, past what a double holds exactly.
  const start = `${BigInt(Date.now()) * 1_000_000n + 123_457n}`;
  const end = `${BigInt(start) + 1_500_001n}`;
  const link = { traceId: hex(16), spanId: hex(8), traceState: 'vendor=opaque,other=1' };
  const body = browserExport({
    traceId,
    name: 'fidelity.check',
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes: { 'flowtrace.test_id': { stringValue: traces.testId }, 'big.count': { intValue: '9007199254740993' } },
    resource: {
      'service.version': { stringValue: '7.3.1' },
      'deployment.environment.name': { stringValue: 'e2e' },
      'browser.language': { stringValue: 'en-GB' },
    },
    scope: { name: 'simplycaster-web/flows', version: '2.4.0' },
    links: [link],
  });
  expect((await request.post('/flowtrace/v1/traces', { data: body })).status()).toBe(200);
  await traces.settle();

  const [resourceSpans] = (await jaegerTrace(request, stack.jaeger, traceId)).filter((rs) =>
    rs.scopeSpans.some((ss) => ss.spans.some((span) => span.name === 'fidelity.check')),
  );
  expect(resourceSpans).toBeDefined();
  const resource = Object.fromEntries(resourceSpans!.resource.attributes.map((a) => [a.key, a.value]));
  expect(resource).toMatchObject({
    'service.name': { stringValue: 'simplycaster-web' },
    'service.version': { stringValue: '7.3.1' },
    'deployment.environment.name': { stringValue: 'e2e' },
    'browser.language': { stringValue: 'en-GB' },
  });
  const scopeSpans = resourceSpans!.scopeSpans.find((ss) => ss.spans.some((span) => span.name === 'fidelity.check'))!;
  expect(scopeSpans.scope).toMatchObject({ name: 'simplycaster-web/flows', version: '2.4.0' });
  const span = scopeSpans.spans.find((s) => s.name === 'fidelity.check')!;
  expect(span.startTimeUnixNano).toBe(start);
  expect(span.endTimeUnixNano).toBe(end);
  expect(span.attributes?.find((a) => a.key === 'big.count')?.value).toEqual({ intValue: '9007199254740993' });
  expect(span.links).toEqual([expect.objectContaining(link)]);
});
