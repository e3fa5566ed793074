import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { expect, test } from '@playwright/test';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { PooledRandomIdGenerator } from './id-generator.ts';
import { createSampler, RandomnessRatioSampler } from './sampling.ts';
import { createServerTracing, type ServerTracing } from './tracing.ts';
import { createUnsampledRoots, unsampledRootsFor } from './unsampled-roots.ts';

const remote = (traceFlags: TraceFlags) =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags, isRemote: true });

const tracings: ServerTracing[] = [];
function tracing(options: Parameters<typeof createServerTracing>[0]): ServerTracing {
  const created = createServerTracing({ store: false, register: false, ...options });
  tracings.push(created);
  return created;
}
test.afterEach(async () => {
  for (const t of tracings.splice(0)) await t.shutdown();
});

test('a dropped new root is a non-recording span on the trace id that was peeked', () => {
  const ids = new PooledRandomIdGenerator();
  const start = createUnsampledRoots(new RandomnessRatioSampler(0), ids);
  const peeked = ids.peekTraceId();
  const span = start(ROOT_CONTEXT)!;
  expect(span.isRecording()).toBe(false);
  expect(span.spanContext()).toMatchObject({ traceId: peeked, traceFlags: TraceFlags.NONE });
  expect(span.spanContext().spanId).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
  // Used up: the next root gets another id.
  expect(ids.peekTraceId()).not.toBe(peeked);
});

test('a sampled new root is left to the SDK, which starts it on the peeked trace id', async () => {
  const ids = new PooledRandomIdGenerator();
  const sampler = createSampler({ ratio: 1 });
  const provider = new BasicTracerProvider({ sampler, idGenerator: ids });
  const tracer = provider.getTracer('test');
  const start = createUnsampledRoots(sampler.rootRatio!, ids);
  const peeked = ids.peekTraceId();
  expect(start(ROOT_CONTEXT)).toBeUndefined();
  const span = tracer.startSpan('GET', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
  expect(span.isRecording()).toBe(true);
  expect(span.spanContext().traceId).toBe(peeked);
  span.end();
  await provider.shutdown();
});

test('decisions match the root ratio on each trace id: dropped roots here, sampled ones by the SDK on the same id', () => {
  const ratio = new RandomnessRatioSampler(0.5);
  const ids = new PooledRandomIdGenerator();
  const start = createUnsampledRoots(ratio, ids);
  const wrong: string[] = [];
  let dropped = 0;
  for (let i = 0; i < 2000; i++) {
    const peeked = ids.peekTraceId();
    const span = start(ROOT_CONTEXT);
    if (span) {
      dropped++;
      const { traceId } = span.spanContext();
      if (traceId !== peeked || ratio.samples(traceId)) wrong.push(`dropped ${traceId}, peeked ${peeked}`);
    } else {
      // What the SDK does next: a span id, then the trace id.
      ids.generateSpanId();
      const traceId = ids.generateTraceId();
      if (traceId !== peeked || !ratio.samples(traceId)) wrong.push(`sampled ${traceId}, peeked ${peeked}`);
    }
  }
  expect(wrong).toEqual([]);
  expect(dropped).toBeGreaterThan(900);
  expect(dropped).toBeLessThan(1100);
});

test('a parent is followed by the SDK: sampled or not, an incoming traceparent is never re-decided here', () => {
  const start = createUnsampledRoots(new RandomnessRatioSampler(0), new PooledRandomIdGenerator());
  expect(start(remote(TraceFlags.SAMPLED))).toBeUndefined();
  expect(start(remote(TraceFlags.NONE))).toBeUndefined();
  // The SDK continues the sampled parent at ratio 0, on its trace id.
  const t = tracing({ sampleRatio: 0 });
  const span = t.tracer.startSpan('GET', { kind: SpanKind.SERVER }, remote(TraceFlags.SAMPLED));
  expect(span.isRecording()).toBe(true);
  expect(span.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  span.end();
});

test('suppressed tracing goes to the SDK', () => {
  const start = createUnsampledRoots(new RandomnessRatioSampler(0), new PooledRandomIdGenerator());
  expect(start(suppressTracing(ROOT_CONTEXT))).toBeUndefined();
});

test('only a plain root ratio gets the fast path: a role with its own ratio goes through the SDK', () => {
  expect(unsampledRootsFor(tracing({ sampleRatio: 0.1 }).tracer)).toBeDefined();
  expect(unsampledRootsFor(tracing({ sampleRatio: 0.1, sampleRatioByRole: { support: 1 } }).tracer)).toBeUndefined();
  expect(unsampledRootsFor(trace.getTracer('someone-else'))).toBeUndefined();
});
