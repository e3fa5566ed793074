/**
 * Every `await` case a real app has (e2e/harness/await-scenarios.ts), checked in real Chromium
 * against the page's own build: await-build.spec.ts (Vite build with the plugin) and
 * await-dev-server.spec.ts (the Vite dev server) both call {@link awaitCases}. Each check maps
 * every fetch (by its `step`) to the name of the span it is parented under, `null` for a root.
 */
import type { Page } from '@playwright/test';
import type { SpanRecord, TraceCollector } from 'flowtrace/testing';
import { expect, test } from './fixtures.ts';

type Scenario = keyof typeof globalThis.flowtraceAwaitScenarios;

const stepOf = (span: SpanRecord) => {
  const url = String(span.attributes['url.full'] ?? '');
  const step = /[?&]step=([^&]+)/.exec(url)?.[1];
  const lib = /[?&]lib=(\d)/.exec(url)?.[1];
  return step && (lib ? `${step}#lib${lib}` : step);
};

/** Runs `scenario` on the page, waits for `minTraces` whole traces, and maps each fetch to its parent's name. */
async function run(page: Page, traces: TraceCollector, scenario: Scenario, minTraces: number) {
  const result: unknown = await page.evaluate((name: Scenario) => globalThis.flowtraceAwaitScenarios[name]() as Promise<unknown>, scenario);
  const spans = (await traces.settle({ minTraces })).flatMap((trace) => trace.spans);
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const parents: Record<string, string | null> = {};
  for (const span of spans) {
    const step = span.side === 'browser' && span.kind === 'client' ? stepOf(span) : undefined;
    if (step) parents[step] = span.parentSpanId ? (byId.get(span.parentSpanId)?.name ?? '?') : null;
  }
  return { result, spans, parents };
}

const under = (parent: string, ...steps: string[]) => Object.fromEntries(steps.map((step) => [step, parent]));
const roots = (...steps: string[]) => Object.fromEntries(steps.map((step) => [step, null]));

/** Registers one test per case; `where` names the build in the test titles. */
export function awaitCases(where: string): void {
  test(`${where}: two flows interleaved, three awaits each, never mix`, async ({ page, traces }) => {
    const { parents } = await run(page, traces, 'interleaved', 2);
    expect(parents).toEqual({ ...under('mix.one', 'mix.one-1', 'mix.one-2', 'mix.one-3'), ...under('mix.two', 'mix.two-1', 'mix.two-2', 'mix.two-3') });
  });

  test(`${where}: a nested flow between awaits; the outer flow gets its fetches back after it`, async ({ page, traces }) => {
    const { parents, spans } = await run(page, traces, 'nested', 1);
    expect(parents).toEqual({ ...under('nest.outer', 'outer-1', 'outer-2'), ...under('nest.inner', 'inner-1', 'inner-2') });
    const inner = spans.find((span) => span.name === 'nest.inner')!;
    expect(spans.find((span) => span.spanId === inner.parentSpanId)?.name).toBe('nest.outer');
  });

  test(`${where}: for await over an async generator, with a break, and over a list of promises`, async ({ page, traces }) => {
    const { parents } = await run(page, traces, 'forAwait', 1);
    expect(parents).toEqual(under('await.for_await', 'gen-1', 'body-1', 'gen-2', 'body-2', 'after-break', 'list-1', 'list-2', 'after-list'));
  });

  test(`${where}: Promise.all and Promise.race over work that awaits`, async ({ page, traces }) => {
    const { parents } = await run(page, traces, 'allAndRace', 1);
    expect(parents).toEqual(under('await.all_race', 'all-1', 'all-2', 'race-1', 'race-2', 'after-race'));
  });

  test(`${where}: try/catch/finally around a rejected await stays in the flow`, async ({ page, traces }) => {
    const { parents } = await run(page, traces, 'tryFinally', 1);
    expect(parents).toEqual(under('await.try_finally', 'try', 'catch', 'finally', 'after-finally'));
  });

  test(`${where}: async arrows inside a flow, called and mapped`, async ({ page, traces }) => {
    const { parents } = await run(page, traces, 'arrows', 1);
    expect(parents).toEqual(under('await.arrow', 'arrow-1', 'arrow-map-1', 'arrow-map-2', 'after-arrows'));
  });

  test(`${where}: an error thrown after an await fails the flow and reaches the caller unchanged`, async ({ page, traces }) => {
    const { parents, spans, result } = await run(page, traces, 'throwAfterAwait', 2);
    expect(result).toBe('failed after an await');
    // The caller's code is outside any flow: its fetch is a root of its own.
    expect(parents).toEqual({ ...under('await.throws', 'before-throw'), ...roots('caller-catch') });
    const flow = spans.find((span) => span.name === 'await.throws')!;
    expect(flow.attributes['flowtrace.flow.outcome']).toBe('error');
    expect(flow.status).toEqual({ code: 'error', message: 'failed after an await' });
  });

  test(`${where}: a timer, a microtask and an event listener set up in a flow are not carried; only the fallback places them`, async ({
    page,
    traces,
  }) => {
    const { parents } = await run(page, traces, 'callbacks', 3);
    // The microtask runs while its flow is the only one open (the fallback's guess); the timer
    // and the listener after it ended: roots, never a finished or foreign flow's children.
    expect(parents).toEqual({ ...under('await.callbacks', 'in-flow', 'microtask'), ...roots('timeout', 'listener') });
  });

  test(`${where}: a library's own awaits (node_modules, untransformed) never pick up a stale context`, async ({ page, traces }) => {
    const { parents } = await run(page, traces, 'thirdParty', 4);
    expect(parents).toEqual({
      // Before the library's first await it still runs in the caller's flow; after it, with two
      // flows open, in none: a missing parent, never a stale or foreign one.
      ...under('lib.one', 'lib.one#lib1', 'lib.one-after'),
      ...under('lib.two', 'lib.two#lib1', 'lib.two-after'),
      ...roots('lib.one#lib2', 'lib.two#lib2'),
    });
  });

  test(`${where}: a context restored after its flow ended is no parent: the span is a root linked to the flow`, async ({ page, traces }) => {
    const { parents, spans } = await run(page, traces, 'afterFlowEnded', 2);
    expect(parents).toEqual({ ...under('await.ended', 'early'), ...roots('late') });
    const flow = spans.find((span) => span.name === 'await.ended')!;
    const late = spans.find((span) => stepOf(span) === 'late')!;
    expect(late.links).toEqual([{ traceId: flow.traceId, spanId: flow.spanId, attributes: { 'flowtrace.link.reason': 'flow_ended' } }]);
  });
}
