import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { expect, test } from '@playwright/test';
import { ExportQueue } from './export-queue.ts';

/** An exporter that answers only when the test says so. */
class HeldExporter implements SpanExporter {
  readonly calls: Array<{ spans: ReadableSpan[]; answer: (result: ExportResult) => void }> = [];
  export(spans: ReadableSpan[], answer: (result: ExportResult) => void): void {
    this.calls.push({ spans, answer });
  }
  async shutdown(): Promise<void> {}
}

function endSpans(queue: ExportQueue, count: number): void {
  const tracer = new BasicTracerProvider({ spanProcessors: [queue] }).getTracer('test');
  for (let i = 0; i < count; i++) tracer.startSpan(`span ${i}`).end();
}

const ok = { code: ExportResultCode.SUCCESS };

test('keeps two exports in flight, and starts the next batch when one of them answers', async () => {
  const exporter = new HeldExporter();
  const queue = new ExportQueue(exporter, { maxQueueSize: 100, maxExportBatchSize: 10, scheduledDelayMillis: 60_000 });
  endSpans(queue, 10);
  await expect.poll(() => exporter.calls.length).toBe(1);
  endSpans(queue, 10);
  await expect.poll(() => exporter.calls.length).toBe(2);
  endSpans(queue, 10);
  // Two unanswered exports: the third batch waits in the queue, still counted against its cap.
  await new Promise((resolve) => setImmediate(resolve));
  expect(exporter.calls).toHaveLength(2);
  expect(queue.stats).toMatchObject({ queued: 10, exported: 0 });
  // Either one answering frees a slot; the later one answering first is enough.
  exporter.calls[1]!.answer(ok);
  await expect.poll(() => exporter.calls.length).toBe(3);
  expect(queue.stats).toMatchObject({ queued: 0, exported: 10 });
  exporter.calls[0]!.answer({ code: ExportResultCode.FAILED });
  exporter.calls[2]!.answer(ok);
  await queue.forceFlush();
  expect(queue.stats).toEqual({ exported: 20, failed: 10, dropped: 0, queued: 0 });
});

test('a flush waits for every batch, sending no more than two at a time', async () => {
  const exporter = new HeldExporter();
  const queue = new ExportQueue(exporter, { maxQueueSize: 100, maxExportBatchSize: 10, scheduledDelayMillis: 60_000 });
  endSpans(queue, 20);
  await expect.poll(() => exporter.calls.length).toBe(2);
  endSpans(queue, 35); // behind two unanswered exports: the flush hands these over as four batches at once
  const state = { flushed: false };
  const flush = queue.forceFlush().then(() => (state.flushed = true));
  let answered = 0;
  while (!state.flushed) {
    expect(exporter.calls.length - answered).toBeLessThanOrEqual(2);
    if (exporter.calls.length > answered) exporter.calls[answered++]!.answer(ok);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await flush;
  expect(exporter.calls).toHaveLength(6);
  expect(queue.stats).toEqual({ exported: 55, failed: 0, dropped: 0, queued: 0 });
});
