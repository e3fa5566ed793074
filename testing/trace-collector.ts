/**
 * A test's view of its own traces: everything tagged with its test id, read from the server's
 * trace API, and `settle()` that waits by condition, never by a fixed sleep, until they are whole.
 */
import type { APIRequestContext, BrowserContext, TestInfo } from '@playwright/test';
import type { SpanRecord } from '../shared/span-record.ts';
import { buildSpanTrees, formatSpanTrees } from '../shared/span-tree.ts';
import { waterfallDocument } from '../shared/waterfall-html.ts';
import { settleProblems } from './settle-problems.ts';

/** One trace as the server's trace API returns it. */
export interface CollectedTrace {
  traceId: string;
  spans: SpanRecord[];
  openSpans: number;
  missingParents: string[];
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

/** Where the fixture reads traces: see {@link TraceCollector}'s constructor and docs/testing.md. */
export interface TraceSource {
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
  readonly #request: APIRequestContext;
  readonly #contexts: BrowserContext[];
  readonly #basePath: string;
  readonly #headers: Record<string, string>;
  readonly #testInfo: TestInfo | undefined;

  constructor(options: { testId: string; request: APIRequestContext; contexts: BrowserContext[]; testInfo?: TestInfo } & TraceSource) {
    this.testId = options.testId;
    this.#request = options.request;
    this.#contexts = options.contexts;
    this.#basePath = (options.basePath ?? '/flowtrace').replace(/\/$/, '');
    this.#headers = options.token ? { authorization: `Bearer ${options.token}` } : {};
    this.#testInfo = options.testInfo;
  }

  /** The test's traces as stored right now, without waiting (no flush, possibly incomplete). */
  async current(): Promise<CollectedTrace[]> {
    const response = await this.#request.get(`${this.#basePath}/api/traces?testId=${encodeURIComponent(this.testId)}`, { headers: this.#headers });
    if (!response.ok()) {
      const hint = [401, 403].includes(response.status()) ? ` (give the fixture the token: use: { flowtrace: { token } } in playwright.config.ts)` : '';
      throw new Error(`flowtrace: trace API answered ${response.status()}${hint}: ${await response.text()}`);
    }
    return ((await response.json()) as { traces: CollectedTrace[] }).traces;
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
   * Flushes every page and the server, then waits until the test has at least `minTraces` traces,
   * none with open spans and none missing a parent. On timeout the error says what is missing:
   * which parent span ids, referred to by which spans of which services, and where spans are open.
   * @returns every trace of the test, each `{ traceId, spans, openSpans, missingParents }`; pass
   *   the list to `toBeFreeOfSecrets` or `toHaveSpanTree` as it is, or read `trace.spans`.
   */
  async settle({ timeout = 10_000, minTraces = 1 }: SettleOptions = {}): Promise<CollectedTrace[]> {
    const deadline = Date.now() + timeout;
    for (let attempt = 0; ; attempt++) {
      const pages = await this.#flushPages(Math.max(0, Math.min(PAGE_WAIT_MS, deadline - Date.now())));
      const flushed = await this.#request.post(`${this.#basePath}/api/flush`, { headers: this.#headers });
      if (!flushed.ok()) throw new Error(`flowtrace: server flush answered ${flushed.status()}: ${await flushed.text()}`);
      const traces = await this.current();
      const problems = settleProblems(traces, pages, { minTraces, testId: this.testId });
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
    const traces = await this.settle(options);
    const matches = traces.filter((trace) =>
      buildSpanTrees(trace.spans).some(({ span }) => (typeof rootName === 'string' ? span.name === rootName : rootName.test(span.name))),
    );
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
