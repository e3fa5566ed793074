import { concurrentFlowChildren, expectThreeFetchesUnderFlow, openHarness } from './await-checks.ts';
import { expect, test } from './fixtures.ts';

test.beforeEach(async ({ page }) => openHarness(page));

test('await without the plugin: the only open flow still gets every fetch (fallback)', async ({ page, traces }) => {
  await expectThreeFetchesUnderFlow(page, traces, 'await.no_plugin');
});

test('await without the plugin: with two flows open, a fetch that lost its context stays unattached, never under the wrong flow', async ({
  page,
  traces,
}) => {
  const children = await concurrentFlowChildren(page, traces);
  // Before the first await zone.js still knows the flow; after it, two flows are open and the
  // fallback refuses to guess.
  expect(children).toEqual({ 'flow.one': ['flow.one-1'], 'flow.two': ['flow.two-1'] });
  const settled = await traces.settle({ minTraces: 4 });
  const orphans = settled
    .flatMap((trace) => trace.spans)
    .filter((span) => span.kind === 'client' && span.parentSpanId === undefined)
    .map((span) => /step=([^&]+)/.exec(String(span.attributes['url.full']))?.[1])
    .toSorted();
  expect(orphans).toEqual(['flow.one-2', 'flow.two-2']);
});
