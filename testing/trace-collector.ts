/**
 * A test's view of its own traces: everything tagged with its test id, read from the server's
 * trace API or from a trace backend (see {@link JaegerTraceSource}), and `settle()` that waits by
 * condition, never by a fixed sleep, until they are whole.
 */
import type { APIRequestContext, BrowserContext, TestInfo } from '@playwright/test';
import { ATTR_TEST_ID } from '../shared/attributes.ts';
import type { SpanRecord } from '../shared/span-record.ts';
import { buildSpanTrees, formatSpanTrees } from '../shared/span-tree.ts';
import { waterfallDocument } from '../shared/waterfall-html.ts';
import { jaegerTraceReader } from './jaeger-source.ts';
import { settleProblems } from './settle-problems.ts';
import { appTraceReader, type CollectedTrace, type FlushReport, type JaegerTraceSource, type TraceReader } from './trace-source.ts';

/** Why the backend is not complete yet: it holds fewer of the test's spans than the servers exported. */
function backendProblems(traces: readonly CollectedTrace[], report: FlushReport, testId: string, source: string): string[] {
  if (report.exportedSpans === undefined) return [];
  let held = 0;
  for (const trace of traces) for (const span of trace.spans) if (span.attributes[ATTR_TEST_ID] === testId) held++;
  if (held >= report.exportedSpans) return [];
  const missing = (report.traceIds ?? []).filter((id) => !traces.some((trace) => trace.traceId === id));
  return [
    `${source} holds ${held} of the ${report.exportedSpans} span(s) of test ${testId} the instances exported` +
      (missing.length ? `; traces not found there yet: ${missing.join(', ')}` : ''),
  ];
}

/** Options of {@link TraceCollector.settle} (and of `one()` and `rootedAt()`, which settle first). */
export interface SettleOptions {
  /** Longest to wait, in milliseconds, before failing with what is still missing. @default 10000 */
  timeout?: number;
  /**
   * Traces the test expects at least: settling waits for that many, so a trace whose first span
   * has not reached the server yet is not missed. @default 1
   */
  minTraces?: number;
}

/** How the fixture reaches the app's trace API (the `flowtrace` option): see docs/testing.md. */
export interface TraceApiOptions {
  /** The path `createFlowtraceEndpoints` serves under, on the `request` fixture's baseURL. @default '/flowtrace' */
  basePath?: string;
  /** The endpoints' access token (`access: { token }`), sent as `Authorization: Bearer`. @default none (open access) */
  token?: string;
}

interface PageSettleResult {
  openSpans: number;
}

// Polling backoff while waiting for a condition: fast first, so a trace that is already whole
// settles in one round trip.
const INTERVALS = [10, 25, 50, 100, 200];
// How long one round waits inside a page for its open spans to end (checked every 5 ms there).
const PAGE_WAIT_MS = 1000;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class TraceCollector {
  readonly testId: string;
  readonly #contexts: BrowserContext[];
  readonly #reader: TraceReader;
  readonly #testInfo: TestInfo | undefined;

  /**
   * @param options.source - read from Jaeger instead of the app's trace API (`basePath` on `request`'s
   *   base URL); the fixture passes its `traceSource` option.
   */
  constructor(options: {
    testId: string;
    request: APIRequestContext;
    contexts: BrowserContext[];
    testInfo?: TestInfo;
    source?: JaegerTraceSource;
  } & TraceApiOptions) {
    this.testId = options.testId;
    this.#contexts = options.contexts;
    this.#reader = options.source ? jaegerTraceReader(options.request, options.source) : appTraceReader(options.request, options);
    this.#testInfo = options.testInfo;
  }

  /** The test's traces as stored right now, without waiting (no flush, possibly incomplete). */
  async current(): Promise<CollectedTrace[]> {
    return this.#reader.read(this.testId);
  }

  /**
   * Asks every open page to export its ended spans; the page's SDK first waits (up to `waitMs`)
   * for its open spans to end, so a span ending shortly is picked up without a round trip per check.
   * Returns open span counts by page URL.
   */
  async #flushPages(waitMs: number): Promise<Array<{ url: string; openSpans: number }>> {
    const pages = this.#contexts.flatMap((context) => context.pages()).filter((page) => !page.isClosed());
    return Promise.all(
      pages.map(async (page) => {
        const result = await page
          .evaluate(
            (wait: number): Promise<PageSettleResult | null> =>
              globalThis.__FLOWTRACE_TEST__?.settle?.(wait) ?? Promise.resolve(null),
            waitMs,
          )
          .catch(() => null);
        return { url: page.url(), openSpans: result?.openSpans ?? 0 };
      }),
    );
  }

  /**
   * Flushes every page and the server(s), then waits until the test has at least `minTraces` traces,
   * none with open spans and none missing a parent (and, reading from a backend, until it holds
   * every span of the test the instances exported). On timeout the error says what is missing:
   * which parent span ids, referred to by which spans of which services, and where spans are open.
   * @returns every trace of the test, each `{ traceId, spans, openSpans, missingParents }`; pass
   *   the list to `toBeFreeOfSecrets` or `toHaveSpanTree` as it is, or read `trace.spans`.
   */
  async settle({ timeout = 10_000, minTraces = 1 }: SettleOptions = {}): Promise<CollectedTrace[]> {
    const deadline = Date.now() + timeout;
    for (let attempt = 0; ; attempt++) {
      const pages = await this.#flushPages(Math.max(0, Math.min(PAGE_WAIT_MS, deadline - Date.now())));
      const report = await this.#reader.flush(this.testId);
      const traces = await this.#reader.read(this.testId);
      const problems = [
        ...settleProblems(traces, pages, { minTraces, testId: this.testId }),
        ...backendProblems(traces, report, this.testId, this.#reader.name),
      ];
      if (problems.length === 0) return traces;
      if (Date.now() >= deadline) {
        throw new Error(
          `flowtrace: the traces of test ${this.testId} did not settle within ${timeout} ms:\n- ${problems.join('\n- ')}\n\n${this.#describe(traces)}`,
        );
      }
      await pause(Math.min(INTERVALS[Math.min(attempt, INTERVALS.length - 1)]!, Math.max(0, deadline - Date.now())));
    }
  }

  /**
   * Settles, expects the test to have caused exactly one trace, and returns its spans: for tests
   * that drive the server without a page (the `request` fixture), or a page whose load is not
   * traced. A page that loads through the traced server makes traces of its own (the page's
   * requests): there, pick the trace with {@link rootedAt}.
   * @throws when the test has no trace or several, listing each trace's tree.
   */
  async one(options: Omit<SettleOptions, 'minTraces'> = {}): Promise<SpanRecord[]> {
    const traces = await this.settle(options);
    if (traces.length !== 1) {
      const roots = traces.flatMap((trace) => buildSpanTrees(trace.spans).map(({ span }) => JSON.stringify(span.name)));
      const hint = traces.length > 1 ? ` (roots: ${roots.join(', ')}); pick one with rootedAt(name)` : '';
      throw new Error(`flowtrace: expected one trace for test ${this.testId}, found ${traces.length}${hint}:\n${this.#describe(traces)}`);
    }
    return traces[0]!.spans;
  }

  /**
   * Settles and returns the spans of the one trace whose root span has `rootName`
   * (other traces of the test, such as a page load, are left out).
   */
  async rootedAt(rootName: string | RegExp, options: SettleOptions = {}): Promise<SpanRecord[]> {
    const deadline = Date.now() + (options.timeout ?? 10_000);
    let traces = await this.settle(options);
    const rootedHere = () =>
      traces.filter((trace) =>
        buildSpanTrees(trace.spans).some(({ span }) => (typeof rootName === 'string' ? span.name === rootName : rootName.test(span.name))),
      );
    let matches = rootedHere();
    // The test's other traces may be whole before this root has even ended (a flow that ends after
    // a late request): settle again, by condition, until it is there or the time is up.
    while (matches.length === 0 && Date.now() < deadline) {
      await pause(50);
      traces = await this.settle({ ...options, timeout: Math.max(1, deadline - Date.now()) });
      matches = rootedHere();
    }
    if (matches.length !== 1) {
      throw new Error(
        `flowtrace: expected one trace rooted at ${String(rootName)} for test ${this.testId}, found ${matches.length}:\n${this.#describe(traces)}`,
      );
    }
    return matches[0]!.spans;
  }

  /** All of the test's traces rendered as indented text trees. */
  #describe(traces: CollectedTrace[]): string {
    if (traces.length === 0) return '(no traces)';
    return traces.map((trace) => `trace ${trace.traceId}\n${formatSpanTrees(buildSpanTrees(trace.spans))}`).join('\n\n');
  }

  /** Text of every stored trace of the test, for reports. */
  async text(): Promise<string> {
    return this.#describe(await this.current());
  }

  /** A self-contained HTML waterfall of every stored trace of the test. */
  async html(): Promise<string> {
    const traces = await this.current();
    return waterfallDocument(`flowtrace: ${this.#testInfo?.title ?? this.testId}`, traces.map((trace) => trace.spans));
  }

  /**
   * Attaches the test's traces to the Playwright report as text (`{name}.txt`) and as an HTML
   * waterfall (`{name}.html`). The fixture does this by itself when a test fails.
   */
  async attach(name = 'flowtrace-traces'): Promise<void> {
    if (!this.#testInfo) throw new Error('flowtrace: attach() needs the collector from the `traces` fixture (it knows the test)');
    const traces = await this.current();
    await this.#testInfo.attach(`${name}.txt`, { body: this.#describe(traces), contentType: 'text/plain' });
    await this.#testInfo.attach(`${name}.html`, {
      body: waterfallDocument(`flowtrace: ${this.#testInfo.title}`, traces.map((trace) => trace.spans)),
      contentType: 'text/html',
    });
  }
}
