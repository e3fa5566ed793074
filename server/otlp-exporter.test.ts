import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { expect, test } from '@playwright/test';
import { recordCorpus } from '../otlp/test-spans.ts';
import { OtlpHttpExporter, parseRetryAfter, type OtlpExportOptions } from './otlp-exporter.ts';
import { startReceiver, type Answer } from './otlp-receiver.test-support.ts';
import { createServerTracing } from './tracing.ts';

async function exportOnce(answer: (n: number) => Answer, options: OtlpExportOptions = {}) {
  const receiver = await startReceiver(answer);
  const exporter = new OtlpHttpExporter({ url: receiver.url, initialBackoffMillis: 20, ...options });
  const spans = await recordCorpus();
  const started = Date.now();
  const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
  const took = Date.now() - started;
  await exporter.shutdown();
  await receiver.close();
  return { result, took, received: receiver.received, spans };
}

test('sends gzip-compressed OTLP protobuf that decodes to the exported spans', async () => {
  const { result, received, spans } = await exportOnce(() => ({ status: 200 }), { headers: { 'x-api-key': 'k' } });
  expect(result.code).toBe(ExportResultCode.SUCCESS);
  expect(received).toHaveLength(1);
  expect(received[0]!.headers).toMatchObject({ 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip', 'x-api-key': 'k' });
  const names = received[0]!.body.resourceSpans.flatMap((rs) => (rs.scopeSpans as Array<{ spans: Array<{ name: string }> }>).flatMap((ss) => ss.spans.map((s) => s.name)));
  expect(names.toSorted()).toEqual(spans.map((span) => span.name).toSorted());
});

test('retries 503 and 429, honouring Retry-After, and succeeds when the collector recovers', async () => {
  const answers: Answer[] = [{ status: 503 }, { status: 429, headers: { 'retry-after': '1' } }, { status: 200 }];
  const { result, received } = await exportOnce((n) => answers[n]!);
  expect(result.code).toBe(ExportResultCode.SUCCESS);
  expect(received).toHaveLength(3);
  expect(received[2]!.at - received[1]!.at).toBeGreaterThanOrEqual(950);
});

for (const status of [400, 413]) {
  test(`does not retry a ${status}: the batch fails at once`, async () => {
    const { result, received } = await exportOnce(() => ({ status }));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(received).toHaveLength(1);
  });
}

test('a collector that resets every connection gets a bounded number of attempts', async () => {
  const { result, received } = await exportOnce(() => 'reset', { maxAttempts: 3 });
  expect(result.code).toBe(ExportResultCode.FAILED);
  expect(received).toHaveLength(3);
});

test('a collector that hangs fails the batch within the export timeout', async () => {
  const { result, took, received } = await exportOnce(() => 'hang', { timeoutMillis: 600 });
  expect(result.code).toBe(ExportResultCode.FAILED);
  expect(took).toBeLessThan(3000);
  expect(received.length).toBeGreaterThanOrEqual(1);
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  expect(parseRetryAfter('2')).toBe(2000);
  expect(parseRetryAfter(new Date(10_000).toUTCString(), 7_000)).toBe(3000);
  expect(parseRetryAfter('soon')).toBeUndefined();
});

test('with a dead collector, traced work goes on and the queue counts its drops and failures', async () => {
  const receiver = await startReceiver(() => 'reset');
  const tracing = createServerTracing({
    register: false,
    store: false,
    export: { url: receiver.url, maxAttempts: 2, initialBackoffMillis: 10, timeoutMillis: 2000 },
    exportQueue: { maxQueueSize: 20, maxExportBatchSize: 20, scheduledDelayMillis: 10 },
  });
  const started = performance.now();
  for (let i = 0; i < 100; i++) tracing.tracer.startSpan(`work ${i}`).end();
  // Ending 100 spans never waits for the collector.
  expect(performance.now() - started).toBeLessThan(500);
  await tracing.forceFlush();
  // Batches in flight and a full queue behind them: the rest is dropped, and every span is counted
  // (a batch's failure is counted when its export calls back, which may follow the flush).
  await expect.poll(() => {
    const { dropped, failed, queued } = tracing.exportStats();
    return dropped + failed + queued;
  }).toBe(100);
  const stats = tracing.exportStats();
  expect(stats.dropped).toBeGreaterThanOrEqual(50);
  expect(stats.failed).toBeGreaterThan(0);
  expect(stats.exported).toBe(0);
  await tracing.shutdown();
  await receiver.close();
});

test('takes either export options or an exporter, not both', () => {
  expect(() => createServerTracing({ register: false, export: {}, exporter: new OtlpHttpExporter() })).toThrow(/either `export`/);
});
