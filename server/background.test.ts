import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { propagation, ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import { expect, test } from '@playwright/test';
import { backgroundInFlight, drainBackground, runInBackground } from './background.ts';
import { CorrelationRegistry } from './correlation-registry.ts';
import { startTestTracing, type TestTracing } from './test-support.ts';

let t: TestTracing;
test.beforeEach(() => {
  t = startTestTracing();
});
test.afterEach(async () => {
  await t.stop();
});

test('background work runs after the request as a child, or as a new trace linked to it', async () => {
  const baggage = propagation.createBaggage({ 'flowtrace.test_id': { value: 't-bg' } });
  let requestSpanId = '';
  let requestTraceId = '';
  await context.with(propagation.setBaggage(ROOT_CONTEXT, baggage), () =>
    trace.getTracer('test').startActiveSpan('POST /api/recordings', (request) => {
      ({ spanId: requestSpanId, traceId: requestTraceId } = request.spanContext());
      void runInBackground(t.tracing, 'recording.thumbnail', () => {}, { mode: 'child' });
      void runInBackground(t.tracing, 'recording.transcode', () => {
        throw new Error('codec missing');
      });
      request.end();
    }),
  );
  expect(await drainBackground()).toBe(true);
  const spans = await t.spans();
  const child = spans.find((span) => span.name === 'recording.thumbnail')!;
  const linked = spans.find((span) => span.name === 'recording.transcode')!;
  expect(child.parentSpanContext?.spanId).toBe(requestSpanId);
  expect(linked.spanContext().traceId).not.toBe(requestTraceId);
  expect(linked.parentSpanContext).toBeUndefined();
  expect(linked.links.map((link) => link.context.spanId)).toEqual([requestSpanId]);
  expect(linked.attributes['flowtrace.test_id']).toBe('t-bg');
  expect(linked.status.message).toBe('codec missing');
});

test('no growth after 100,000 operations: the registry stays capped and in-flight work is released', async () => {
  const registry = new CorrelationRegistry({ maxEntries: 1000 });
  const tracer = trace.getTracer('test');
  const span = tracer.startSpan('upload');
  const uploadContext = trace.setSpan(ROOT_CONTEXT, span);
  // A collected heap to compare: exposes gc() to this test only.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let heapAfterWarmUp = 0;
  for (let batch = 0; batch < 100; batch++) {
    if (batch === 10) {
      gc();
      heapAfterWarmUp = process.memoryUsage().heapUsed;
    }
    const work: Promise<void>[] = [];
    for (let i = 0; i < 1000; i++) {
      const key = `upload-${batch}-${i}`;
      registry.remember(key, uploadContext);
      // Half are picked up; the other half are abandoned and must be evicted by the cap.
      if (i % 2 === 0) work.push(runInBackground(t.tracing, 'recording.process', () => {}, { from: registry.take(key) }));
    }
    await Promise.all(work);
    expect(registry.size).toBeLessThanOrEqual(1000);
    await t.tracing.forceFlush();
    t.exporter.reset(); // the test's exporter keeps what it gets; the code under test must not
  }
  span.end();
  expect(backgroundInFlight()).toBe(0);
  expect(registry.size).toBe(1000);
  gc();
  // 90,000 more operations after warm-up; retaining even 100 bytes each would be 9 MB.
  expect(process.memoryUsage().heapUsed - heapAfterWarmUp).toBeLessThan(4 * 1024 * 1024);
});

test('registry entries expire and take() removes them', () => {
  let now = 0;
  const registry = new CorrelationRegistry({ ttlMs: 100, now: () => now });
  registry.remember('a', ROOT_CONTEXT);
  expect(registry.peek('a')).toBe(ROOT_CONTEXT);
  now = 101;
  expect(registry.take('a')).toBeUndefined();
  expect(registry.size).toBe(0);
  registry.remember('b', ROOT_CONTEXT);
  expect(registry.take('b')).toBe(ROOT_CONTEXT);
  expect(registry.take('b')).toBeUndefined();
});
