/**
 * A call whose two browsers hold their signalling sockets on different instances: the relay reaches
 * the other instance over the room bus (PostgreSQL LISTEN/NOTIFY), and the trace crosses it too.
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { SpanExpectation } from 'flowtrace/testing';
import { addGuest, createRoom, signUp } from '../members.ts';
import { expect, test, type Stack } from './fixtures.ts';

async function enter(page: Page, roomId: string): Promise<void> {
  await page.goto(`/room.html?room=${roomId}`);
  await expect(page.locator('#who')).toHaveText(/^Signed in as /);
}

/** Bob waits in the room, then Alice joins and calls; returns the instances their sockets landed on. */
async function call(page: Page, calleeContext: BrowserContext, stack: Stack): Promise<{ roomId: string; instances: number[] }> {
  await signUp(page.context(), 'Alice');
  await signUp(calleeContext, 'Bob');
  const roomId = await createRoom(page.context(), 'Across');
  await addGuest(page.context(), calleeContext, roomId);
  const before = (await stack.upgrades()).length;
  const callee = await calleeContext.newPage();
  await enter(callee, roomId);
  await callee.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(callee.locator('#call-status')).toHaveText('You joined “Across” as guest. Waiting for a call.');
  await enter(page, roomId);
  await page.getByRole('button', { name: 'Join and call' }).click();
  await expect(page.locator('#call-status')).toHaveText('Connected.');
  await expect(callee.locator('#call-status')).toHaveText('Connected.');
  const upgrades = (await stack.upgrades()).slice(before).filter((upgrade) => upgrade.path === '/ws/signal');
  return { roomId, instances: upgrades.map((upgrade) => upgrade.instance) };
}

test('two browsers on different instances connect a call through the room bus', async ({ page, newTracedContext, stack }) => {
  const { instances } = await call(page, await newTracedContext(), stack);
  // Bob's socket, then Alice's: each on its own instance, so every signal between them crossed the bus.
  expect(instances).toHaveLength(2);
  expect(instances[0]).not.toBe(instances[1]);
});

test('a call across instances is one trace: browser, relay, room bus, the other instance, the other browser', async ({
  page,
  newTracedContext,
  stack,
  traces,
}) => {
  await stack.requireBrowserForwarding();
  const { roomId, instances } = await call(page, await newTracedContext(), stack);
  expect(instances[0]).not.toBe(instances[1]);

  const trace = await traces.rootedAt('call.start');
  const bus = (kind: 'producer' | 'consumer', children: SpanExpectation[] = []): SpanExpectation => ({
    role: 'server',
    kind,
    name: `${kind === 'producer' ? 'send' : 'process'} simplycaster_room_bus`,
    attributes: { 'simplycaster.bus.kind': 'relay', 'flowtrace.test_id': traces.testId },
    children,
  });
  const ws = (side: 'browser' | 'server', kind: 'producer' | 'consumer', type: string, children: SpanExpectation[] = []): SpanExpectation => ({
    role: side,
    kind,
    name: kind === 'producer' ? 'send /ws/signal' : 'process /ws/signal',
    attributes: { 'simplycaster.signal.type': type },
    children,
  });
  // Alice's offer: her browser, her instance's relay, the bus, Bob's instance, Bob's browser.
  expect(trace).toHaveSpanTree({
    role: 'browser',
    name: 'call.start',
    attributes: { 'simplycaster.room.id': roomId },
    children: [
      { role: 'browser', kind: 'client', attributes: { 'http.request.method': 'POST' } },
      { role: 'browser', kind: 'client', name: 'connect /ws/signal' },
      ws('browser', 'producer', 'offer', [
        ws('server', 'consumer', 'offer', [bus('producer', [{ role: 'db' }, bus('consumer', [ws('server', 'producer', 'offer', [ws('browser', 'consumer', 'offer')])])])]),
      ]),
      { role: 'browser', name: 'call.connect' },
    ],
  });
  expect(trace.every((span) => span.attributes['flowtrace.test_id'] === traces.testId)).toBe(true);
});
