/**
 * A test's view of its own traces: everything tagged with its test id, read from the server's
 * trace API, and `settle()` that waits by condition, never by a fixed sleep, until they are whole.
 */
import { expect, type APIRequestContext, type BrowserContext } from '@playwright/test';
import type { SpanRecord } from '../shared/span-record.ts';
import { buildSpanTrees, formatSpanTrees } from '../shared/span-tree.ts';

/** One trace as the server's trace API returns it. */
export interface CollectedTrace {
  traceId: string;
  spans: SpanRecord[];
  openSpans: number;
  missingParents: string[];
}

export interface SettleOptions {
  /** @default 10000 */
  timeout?: number;
  /** Traces the test expects at least. @default 1 */
  minTraces?: number;
}

interface PageSettleResult {
  openSpans: number;
}

export class TraceCollector {
  readonly testId: string;
  readonly #request: APIRequestContext;
  readonly #contexts: BrowserContext[];
  readonly #basePath: string;

  constructor(options: { testId: string; request: APIRequestContext; contexts: BrowserContext[]; basePath?: string }) {
    this.testId = options.testId;
    this.#request = options.request;
    this.#contexts = options.contexts;
    this.#basePath = options.basePath ?? '/flowtrace';
  }

  /** The test's traces as stored right now, without waiting. */
  async current(): Promise<CollectedTrace[]> {
    const response = await this.#request.get(`${this.#basePath}/api/traces?testId=${encodeURIComponent(this.testId)}`);
    if (!response.ok()) throw new Error(`trace API answered ${response.status()}: ${await response.text()}`);
    return ((await response.json()) as { traces: CollectedTrace[] }).traces;
  }

  /**
   * Flushes every page and the server, then waits until the test has at least `minTraces` traces,
   * none with open spans and none missing a parent. On timeout the error says what is missing.
   */
  async settle({ timeout = 10_000, minTraces = 1 }: SettleOptions = {}): Promise<CollectedTrace[]> {
    let traces: CollectedTrace[] = [];
    await expect(async () => {
      const pages = this.#contexts.flatMap((context) => context.pages()).filter((page) => !page.isClosed());
      const browser = await Promise.all(
        pages.map((page) =>
          page
            .evaluate(() => globalThis.__FLOWTRACE_TEST__?.settle?.() ?? null)
            .catch(() => null as PageSettleResult | null),
        ),
      );
      const openInBrowser = browser.reduce((sum, result) => sum + (result?.openSpans ?? 0), 0);
      const flushed = await this.#request.post(`${this.#basePath}/api/flush`);
      if (!flushed.ok()) throw new Error(`server flush answered ${flushed.status()}`);
      traces = await this.current();
      const problems: string[] = [];
      if (openInBrowser > 0) problems.push(`${openInBrowser} browser span(s) still open`);
      if (traces.length < minTraces) problems.push(`${traces.length} trace(s) for test ${this.testId}, expected at least ${minTraces}`);
      for (const trace of traces) {
        if (trace.openSpans > 0) problems.push(`trace ${trace.traceId}: ${trace.openSpans} server span(s) still open`);
        if (trace.missingParents.length > 0) {
          const services = [...new Set(trace.spans.map((span) => span.service))].join(', ');
          problems.push(`trace ${trace.traceId}: parent span(s) ${trace.missingParents.join(', ')} missing (have spans from ${services})`);
        }
      }
      if (problems.length > 0) {
        throw new Error(`traces not settled:\n- ${problems.join('\n- ')}\n${this.#describe(traces)}`);
      }
    }).toPass({ timeout, intervals: [25, 50, 100, 200] });
    return traces;
  }

  /** Settles, expects exactly one trace, and returns its spans. */
  async one(options: Omit<SettleOptions, 'minTraces'> = {}): Promise<SpanRecord[]> {
    const traces = await this.settle(options);
    if (traces.length !== 1) {
      throw new Error(`expected one trace for test ${this.testId}, found ${traces.length}:\n${this.#describe(traces)}`);
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
      buildSpanTrees(trace.spans).some(({ span }) =>
        typeof rootName === 'string' ? span.name === rootName : rootName.test(span.name),
      ),
    );
    if (matches.length !== 1) {
      throw new Error(
        `expected one trace rooted at ${String(rootName)} for test ${this.testId}, found ${matches.length}:\n${this.#describe(traces)}`,
      );
    }
    return matches[0]!.spans;
  }

  /** All of the test's traces rendered as indented text trees. */
  #describe(traces: CollectedTrace[]): string {
    return traces.map((trace) => `trace ${trace.traceId}\n${formatSpanTrees(buildSpanTrees(trace.spans))}`).join('\n\n');
  }

  /** Text of every stored trace of the test, for reports. */
  async text(): Promise<string> {
    return this.#describe(await this.current());
  }
}
