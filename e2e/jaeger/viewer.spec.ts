/**
 * The viewer with the app on two instances and the store off: it reads Jaeger, the same source as
 * the fixture, so whichever instance serves it shows the whole trace.
 */
import { signUp, unique } from '../members.ts';
import { expect, test } from './fixtures.ts';

test('the viewer on either instance lists a test’s trace from Jaeger and shows its waterfall', async ({ page, request, stack, traces }) => {
  await signUp(request, 'Viewer');
  const created = await request.post('/api/rooms', { headers: { baggage: `flowtrace.test_id=${traces.testId}` }, data: { name: unique('Seen') } });
  expect(created.status()).toBe(201);
  const [trace] = await traces.settle();
  const traceId = trace!.traceId;

  for (const instance of stack.instances) {
    await page.goto(`${instance}/flowtrace/viewer?testId=${encodeURIComponent(traces.testId)}`);
    await expect(page.locator(`a[href$="/viewer/trace/${traceId}"]`)).toHaveCount(1);
    await page.goto(`${instance}/flowtrace/viewer/trace/${traceId}`);
    // The waterfall's rows, from both instances' spans (a span's details are collapsed until clicked).
    for (const name of ['POST /api/rooms', 'room.create', 'INSERT rooms']) await expect(page.locator('.ft-row').filter({ hasText: name }).first()).toBeAttached();
  }
});
