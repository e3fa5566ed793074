/**
 * Jaeger going away and coming back, under two instances: requests never notice, what is lost is
 * counted, each instance's queue stays at its cap, and traces flow again once Jaeger is back.
 */
import { signUp } from '../members.ts';
import { expect, test } from './fixtures.ts';

// The stack runs the instances with FLOWTRACE_EXPORT_QUEUE_SIZE=512 (stack.ts).
const QUEUE_CAP = 512;

test('with Jaeger down the app keeps serving, losses are counted and memory stays bounded; with Jaeger back new traces arrive', async ({
  request,
  stack,
  traces,
}) => {
  test.setTimeout(120_000);
  await signUp(request, 'Outage');
  await stack.stopJaeger();
  let statuses: number[] = [];
  try {
    const before = await stack.exportCounts();
    const memoryBefore = await stack.memoryKb();
    // 900 requests, 30 at a time, a few spans each: several times what both queues hold.
    for (let round = 0; round < 30; round++) {
      statuses = statuses.concat(await Promise.all(Array.from({ length: 30 }, () => request.get('/api/rooms').then((r) => r.status()))));
    }
    const after = await stack.exportCounts();
    const memoryAfter = await stack.memoryKb();
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    for (const [i, counts] of after.entries()) {
      expect(counts.queued, `instance ${i}: ${JSON.stringify(counts)}`).toBeLessThanOrEqual(QUEUE_CAP);
      // Bounded: the queue holds at most 512 spans (a few hundred KiB), whatever the outage's length.
      expect(memoryAfter[i]! - memoryBefore[i]!, `instance ${i} grew from ${memoryBefore[i]} KiB`).toBeLessThan(64 * 1024);
    }
    // Every span that could not reach Jaeger is accounted for: dropped at the cap, or failed once
    // an export in flight (two at most, each retrying within its 10 s deadline) gives up.
    await expect.poll(async () => (await stack.exportCounts()).map((counts, i) => counts.failed + counts.dropped > before[i]!.failed + before[i]!.dropped), { timeout: 20_000 })
      .toEqual(stack.instances.map(() => true));
  } finally {
    await stack.startJaeger();
  }
  // The backlog each instance kept at its cap drains first (a retrying batch ends, then the queue
  // empties into Jaeger); a request before that finds a full queue, and its spans count as dropped.
  await expect.poll(async () => (await stack.exportCounts()).map((counts) => counts.queued), { timeout: 30_000 }).toEqual(stack.instances.map(() => 0));

  const response = await request.get('/api/rooms', { headers: { baggage: `flowtrace.test_id=${traces.testId}` } });
  expect(response.status()).toBe(200);
  const trace = await traces.rootedAt('GET /api/rooms', { timeout: 15_000 });
  expect(trace).toHaveSpanTree({ role: 'server', name: 'GET /api/rooms', children: [{ role: 'db', name: 'SELECT rooms' }] });
});
