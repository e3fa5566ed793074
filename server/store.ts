/**
 * In-process trace store for development and tests: browser and server spans side by side,
 * indexed by trace id and by test id, capped in size (oldest traces evicted first).
 */
import { ATTR_TEST_ID } from '../shared/attributes.ts';
import type { SpanRecord } from '../shared/span-record.ts';

export interface TraceStoreOptions {
  /**
   * Most spans kept; past it whole traces are evicted, oldest first.
   * @default 100000
   */
  maxSpans?: number;
}

/** A summary of one stored trace. */
export interface TraceSummary {
  traceId: string;
  testId?: string;
  rootName?: string;
  spanCount: number;
  startTime: number;
  services: string[];
  hasError: boolean;
}

interface StoredTrace {
  spans: Map<string, SpanRecord>;
  testId?: string;
}

export class TraceStore {
  readonly #maxSpans: number;
  // Map iteration order is insertion order: the first entry is the oldest trace.
  readonly #traces = new Map<string, StoredTrace>();
  readonly #byTestId = new Map<string, Set<string>>();
  #spanCount = 0;

  constructor({ maxSpans = 100_000 }: TraceStoreOptions = {}) {
    if (!Number.isInteger(maxSpans) || maxSpans < 1) {
      throw new RangeError(`TraceStore maxSpans must be a positive integer, got ${maxSpans}`);
    }
    this.#maxSpans = maxSpans;
  }

  /** Adds spans; a span already stored (same trace and span id) is replaced. */
  add(spans: Iterable<SpanRecord>): void {
    for (const span of spans) {
      let trace = this.#traces.get(span.traceId);
      if (!trace) {
        trace = { spans: new Map() };
        this.#traces.set(span.traceId, trace);
      }
      if (!trace.spans.has(span.spanId)) this.#spanCount++;
      trace.spans.set(span.spanId, span);
      const testId = span.attributes[ATTR_TEST_ID];
      if (typeof testId === 'string' && !trace.testId) {
        trace.testId = testId;
        let ids = this.#byTestId.get(testId);
        if (!ids) this.#byTestId.set(testId, (ids = new Set()));
        ids.add(span.traceId);
      }
    }
    this.#evict();
  }

  /** All spans of one trace, or an empty list. */
  trace(traceId: string): SpanRecord[] {
    return [...(this.#traces.get(traceId)?.spans.values() ?? [])];
  }

  /** Ids of the traces that carry a test id, oldest first. */
  traceIdsForTest(testId: string): string[] {
    return [...(this.#byTestId.get(testId) ?? [])];
  }

  /** Summaries of the most recent traces, newest first. */
  recent(limit = 50): TraceSummary[] {
    const ids = [...this.#traces.keys()].slice(-limit).toReversed();
    return ids.map((traceId) => this.summary(traceId)).filter((s): s is TraceSummary => s !== undefined);
  }

  summary(traceId: string): TraceSummary | undefined {
    const trace = this.#traces.get(traceId);
    if (!trace) return undefined;
    const spans = [...trace.spans.values()];
    const ids = new Set(spans.map((span) => span.spanId));
    const root = spans.find((span) => !span.parentSpanId || !ids.has(span.parentSpanId));
    return {
      traceId,
      ...(trace.testId ? { testId: trace.testId } : {}),
      ...(root ? { rootName: root.name } : {}),
      spanCount: spans.length,
      startTime: Math.min(...spans.map((span) => span.startTime)),
      services: [...new Set(spans.map((span) => span.service))],
      hasError: spans.some((span) => span.status.code === 'error'),
    };
  }

  get spanCount(): number {
    return this.#spanCount;
  }

  /** Empties the store (tests, or a "clear" button in the viewer). */
  clear(): void {
    this.#traces.clear();
    this.#byTestId.clear();
    this.#spanCount = 0;
  }

  #evict(): void {
    for (const [traceId, trace] of this.#traces) {
      if (this.#spanCount <= this.#maxSpans) return;
      this.#traces.delete(traceId);
      this.#spanCount -= trace.spans.size;
      if (trace.testId) this.#byTestId.get(trace.testId)?.delete(traceId);
    }
  }
}
