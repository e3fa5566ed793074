import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { expect, test } from '@playwright/test';
import { OpenSpanTracker } from './open-spans.ts';

function setup() {
  const tracker = new OpenSpanTracker();
  const tracer = new BasicTracerProvider({ spanProcessors: [tracker] }).getTracer('test');
  return { tracker, tracer };
}

test('counts open spans per trace and in total', () => {
  const { tracker, tracer } = setup();
  const a = tracer.startSpan('a');
  const b = tracer.startSpan('b');
  expect(tracker.total).toBe(2);
  expect(tracker.openIn(a.spanContext().traceId)).toBe(1);
  a.end();
  a.end(); // ending twice is ignored by the SDK and counted once
  expect(tracker.total).toBe(1);
  b.end();
  expect(tracker.total).toBe(0);
});

test('whenIdle resolves when the last open span ends, woken by the end itself', async () => {
  const { tracker, tracer } = setup();
  const span = tracer.startSpan('slow');
  let idle = false;
  const waiting = tracker.whenIdle(60_000).then(() => (idle = true));
  await Promise.resolve();
  expect(idle).toBe(false);
  span.end();
  await waiting;
  expect(tracker.total).toBe(0);
});

test('whenIdle gives up after its bound with spans still open', async () => {
  const { tracker, tracer } = setup();
  tracer.startSpan('never ends');
  await tracker.whenIdle(20);
  expect(tracker.total).toBe(1);
});
