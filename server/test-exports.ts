/**
 * What this process has exported upstream for each test id, so a test reading its traces from a
 * backend (Jaeger) knows when the backend has them all: every instance reports how many spans of
 * the test it exported and in which traces, and the reader waits until the backend holds that many.
 *
 * Only spans carrying `flowtrace.test_id` are counted (in production none do, and the cost is one
 * attribute read per exported span). Memory is bounded: the oldest test ids are forgotten first.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ForwardedSpan } from '../otlp/forwarded-span.ts';
import { ATTR_TEST_ID } from '../shared/attributes.ts';

/** The spans of one test that one process has exported upstream. */
export interface TestExports {
  /** Spans the upstream exporter acknowledged. */
  spans: number;
  /** The traces they belong to. */
  traceIds: string[];
}

const MAX_TESTS = 1000;
const MAX_TRACES_PER_TEST = 1000;

/** Counts acknowledged exports per test id. */
export class TestExportLedger {
  readonly #tests = new Map<string, { spans: number; traceIds: Set<string> }>();

  /** Records spans the exporter acknowledged. */
  record(spans: readonly ReadableSpan[]): void {
    for (const span of spans) {
      // A forwarded span's `attributes` converts every value; it reads just this one from its wire form.
      const testId = span instanceof ForwardedSpan ? span.stringAttribute(ATTR_TEST_ID) : span.attributes[ATTR_TEST_ID];
      if (typeof testId !== 'string') continue;
      let entry = this.#tests.get(testId);
      if (!entry) {
        if (this.#tests.size >= MAX_TESTS) this.#tests.delete(this.#tests.keys().next().value!);
        this.#tests.set(testId, (entry = { spans: 0, traceIds: new Set() }));
      }
      entry.spans++;
      if (entry.traceIds.size < MAX_TRACES_PER_TEST) entry.traceIds.add(span.spanContext().traceId);
    }
  }

  /** What was exported for `testId` (nothing, for a test id this process never saw). */
  forTest(testId: string): TestExports {
    const entry = this.#tests.get(testId);
    return { spans: entry?.spans ?? 0, traceIds: entry ? [...entry.traceIds] : [] };
  }
}
