/**
 * Isolation by test id: tests running at the same time against one server each see only their
 * own spans. The describe block runs its tests in parallel across workers (when there are several);
 * the last test makes two tagged browsers act at the same moment inside one test, so the overlap is
 * certain whatever the worker count.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { tagContext, TraceCollector } from 'flowtrace/testing';
import { expect, test } from './fixtures.ts';
import { signUp } from './members.ts';

test.describe.configure({ mode: 'parallel' });

async function createRoom(page: Page, name: string): Promise<void> {
  await signUp(page.context(), 'Parallel');
  await page.goto('/');
  await page.getByLabel('Room name').fill(name);
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#create-status')).toHaveText(`Room “${name}” created.`);
}

function expectOnly(traces: Array<{ spans: Array<{ attributes: Record<string, unknown> }> }>, testId: string): void {
  const spans = traces.flatMap((trace) => trace.spans);
  expect(spans.length).toBeGreaterThan(0);
  expect(spans.filter((span) => span.attributes['flowtrace.test_id'] !== testId)).toEqual([]);
}

for (const n of [1, 2, 3]) {
  test(`parallel test ${n} sees only its own room.create trace`, async ({ page, traces }) => {
    await createRoom(page, `parallel ${n} ${randomUUID().slice(0, 8)}`);
    const trace = await traces.rootedAt('room.create');
    expect(trace).toHaveSpanTree('browser: room.create\n  browser: * [client]\n    server: POST /api/rooms\n      server: room.create\n        db: INSERT rooms');
    const settled = await traces.settle();
    expectOnly(settled, traces.testId);
    // The page load (GET /api/auth/me, GET /api/rooms) and one room.create: nothing of the other tests.
    expect(settled).toHaveLength(3);
  });
}

test('parallel: two tagged browsers creating rooms at the same moment never see each other\'s spans', async ({ page, traces, browser, request, baseURL }) => {
  const other = await browser.newContext({ baseURL });
  const otherId = `${traces.testId}-other`;
  await tagContext(other, otherId);
  const otherTraces = new TraceCollector({ testId: otherId, request, contexts: [other] });
  const otherPage = await other.newPage();
  try {
    await Promise.all([createRoom(page, 'parallel mine'), createRoom(otherPage, 'parallel theirs')]);
    const [mine, theirs] = await Promise.all([traces.rootedAt('room.create'), otherTraces.rootedAt('room.create')]);
    expect(mine[0]!.traceId).not.toBe(theirs[0]!.traceId);
    expectOnly([{ spans: mine }], traces.testId);
    expectOnly([{ spans: theirs }], otherId);
    expectOnly(await traces.settle({ minTraces: 2 }), traces.testId);
    expectOnly(await otherTraces.settle({ minTraces: 2 }), otherId);
  } finally {
    await other.close();
  }
});
