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
  // Before the first await the flow is still known. After it, a fetch that lost its context joins
  // a flow only when that flow is the only one open (the other one has ended by then, which is
  // timing); while both are open the fallback refuses to guess. Never is a fetch under the other flow.
  expect(children['flow.one']).toContain('flow.one-1');
  expect(children['flow.two']).toContain('flow.two-1');
  for (const [flow, steps] of Object.entries(children)) {
    for (const step of steps) expect(step, `${step} is under ${flow}`).toMatch(new RegExp(`^${flow.replace('.', '\\.')}-`));
  }
  const attachedSecond = Object.values(children).flat().filter((step) => step.endsWith('-2'));
  // The two flows' traces, and one more for each second fetch that stayed a root.
  const settled = await traces.settle({ minTraces: 4 - attachedSecond.length });
  const orphans = settled
    .flatMap((trace) => trace.spans)
    .filter((span) => span.kind === 'client' && span.parentSpanId === undefined)
    .flatMap((span) => /step=([^&]+)/.exec(String(span.attributes['url.full']))?.[1] ?? []);
  // Each flow's second fetch is either under its own flow or a root of its own.
  expect([...orphans, ...attachedSecond].toSorted()).toEqual(['flow.one-2', 'flow.two-2']);
});
