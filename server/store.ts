/**
 * In-process trace store for development and tests: browser and server spans side by side,
 * indexed by trace id and by test id, capped in spans and in (estimated) bytes, oldest traces
 * evicted first.
 */
import { ATTR_FLOW_NAME, ATTR_TEST_ID } from '../shared/attributes.ts';
import { traceTitle } from '../shared/span-label.ts';
import type { SpanRecord } from '../shared/span-record.ts';
import { estimateSpanBytes } from './span-size.ts';

export interface TraceStoreOptions {
  /**
   * Most spans kept; past it whole traces are evicted, oldest first.
   * @default 100000
   */
  maxSpans?: number;
  /**
   * Most memory the stored spans may take, estimated from their contents; past it whole traces
   * are evicted, oldest first.
   * @default 67108864 (64 MiB)
   */
  maxBytes?: number;
}

/** A summary of one stored trace. */
export interface TraceSummary {
  traceId: string;
  testId?: string;
  rootName?: string;
  /** What a person reads for the root: `rootName`, or `{method} {route}` for a request named by its method alone. */
  rootLabel?: string;
  /** Flow names (`flowtrace.flow.name`) of the trace's spans. */
  flows: string[];
  spanCount: number;
  startTime: number;
  /** Milliseconds from the first start to the last end. */
  duration: number;
  services: string[];
  hasError: boolean;
}

/** Filters for {@link TraceStore.search}; all given ones must hold. */
export interface TraceQuery {
  testId?: string;
  /** Matches a flow name, the root span's name or its label, as a substring. */
  name?: string;
  service?: string;
  error?: boolean;
  /** @default 50 */
  limit?: number;
}

interface StoredTrace {
  spans: Map<string, SpanRecord>;
  bytes: number;
  testId?: string;
}

export class TraceStore {
  readonly #maxSpans: number;
  readonly #maxBytes: number;
  // Map iteration order is insertion order: the first entry is the oldest trace.
  readonly #traces = new Map<string, StoredTrace>();
  readonly #byTestId = new Map<string, Set<string>>();
  #spanCount = 0;
  #bytes = 0;

  constructor({ maxSpans = 100_000, maxBytes = 64 * 1024 * 1024 }: TraceStoreOptions = {}) {
    if (!Number.isInteger(maxSpans) || maxSpans < 1) {
      throw new RangeError(`TraceStore maxSpans must be a positive integer, got ${maxSpans}`);
    }
    if (!(maxBytes >= 1024)) throw new RangeError(`TraceStore maxBytes must be at least 1024, got ${maxBytes}`);
    this.#maxSpans = maxSpans;
    this.#maxBytes = maxBytes;
  }

  /** Adds spans; a span already stored (same trace and span id) is replaced. */
  add(spans: Iterable<SpanRecord>): void {
    for (const span of spans) {
      let trace = this.#traces.get(span.traceId);
      if (!trace) {
        trace = { spans: new Map(), bytes: 0 };
        this.#traces.set(span.traceId, trace);
      }
      const previous = trace.spans.get(span.spanId);
      const size = estimateSpanBytes(span);
      const delta = size - (previous ? estimateSpanBytes(previous) : 0);
      if (!previous) this.#spanCount++;
      trace.bytes += delta;
      this.#bytes += delta;
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
    return this.search({ limit });
  }

  /** Summaries of the most recent traces that pass every filter given, newest first. */
  search({ testId, name, service, error, limit = 50 }: TraceQuery = {}): TraceSummary[] {
    const ids = testId ? this.traceIdsForTest(testId) : [...this.#traces.keys()];
    const found: TraceSummary[] = [];
    for (let i = ids.length - 1; i >= 0 && found.length < limit; i--) {
      const summary = this.summary(ids[i]!);
      if (!summary) continue;
      if (name && !summary.flows.some((flow) => flow.includes(name)) && !summary.rootName?.includes(name) && !summary.rootLabel?.includes(name)) continue;
      if (service && !summary.services.includes(service)) continue;
      if (error !== undefined && summary.hasError !== error) continue;
      found.push(summary);
    }
    return found;
  }

  summary(traceId: string): TraceSummary | undefined {
    const trace = this.#traces.get(traceId);
    if (!trace) return undefined;
    const spans = [...trace.spans.values()];
    const ids = new Set(spans.map((span) => span.spanId));
    const roots = spans.filter((span) => !span.parentSpanId || !ids.has(span.parentSpanId));
    const root = roots.find((span) => !span.parentSpanId) ?? roots[0];
    const startTime = Math.min(...spans.map((span) => span.startTime));
    const label = traceTitle(spans);
    const flows = new Set<string>();
    for (const span of spans) {
      const flow = span.attributes[ATTR_FLOW_NAME];
      if (typeof flow === 'string') flows.add(flow);
    }
    return {
      traceId,
      ...(trace.testId ? { testId: trace.testId } : {}),
      ...(root ? { rootName: root.name } : {}),
      ...(label ? { rootLabel: label } : {}),
      flows: [...flows],
      spanCount: spans.length,
      startTime,
      duration: Math.max(...spans.map((span) => span.endTime)) - startTime,
      services: [...new Set(spans.map((span) => span.service))],
      hasError: spans.some((span) => span.status.code === 'error'),
    };
  }

  get spanCount(): number {
    return this.#spanCount;
  }

  /** Estimated bytes held by the stored spans. */
  get bytes(): number {
    return this.#bytes;
  }

  get traceCount(): number {
    return this.#traces.size;
  }

  /** Empties the store (tests, or a "clear" button in the viewer). */
  clear(): void {
    this.#traces.clear();
    this.#byTestId.clear();
    this.#spanCount = 0;
    this.#bytes = 0;
  }

  #evict(): void {
    for (const [traceId, trace] of this.#traces) {
      if (this.#spanCount <= this.#maxSpans && this.#bytes <= this.#maxBytes) return;
      this.#traces.delete(traceId);
      this.#spanCount -= trace.spans.size;
      this.#bytes -= trace.bytes;
      if (trace.testId) {
        const ids = this.#byTestId.get(trace.testId);
        ids?.delete(traceId);
        if (ids?.size === 0) this.#byTestId.delete(trace.testId);
      }
    }
  }
}
