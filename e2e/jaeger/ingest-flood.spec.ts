/**
 * A flood of the ingest while it forwards to Jaeger: past the rate limit it answers 429, and every
 * span it accepted reaches Jaeger.
 */
import { browserExport } from './otlp.ts';
import { expect, test } from './fixtures.ts';

test('a flood of the ingest gets 429 past the limit, and every accepted span reaches Jaeger', async ({ request, stack, traces }) => {
  test.setTimeout(60_000);
  await stack.requireBrowserForwarding();
  const now = BigInt(Date.now()) * 1_000_000n;
  const post = (i: number) =>
    request
      .post('/flowtrace/v1/traces', {
        data: browserExport({
          name: `flood.${i}`,
          startTimeUnixNano: `${now + BigInt(i)}`,
          endTimeUnixNano: `${now + BigInt(i) + 1_000n}`,
          attributes: { 'flowtrace.test_id': { stringValue: traces.testId } },
        }),
      })
      .then((response) => response.status());
  // 400 exports, 50 at a time: both instances' per-client burst (100 each by default) runs out.
  const statuses: number[] = [];
  for (let i = 0; i < 400; i += 50) statuses.push(...(await Promise.all(Array.from({ length: 50 }, (_, j) => post(i + j)))));
  const accepted = statuses.filter((status) => status === 200).length;
  expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
  expect(statuses).toContain(429);
  expect(accepted).toBeGreaterThan(0);

  // Each accepted span is a trace of its own; all of them, and nothing else, are in Jaeger.
  const settled = await traces.settle({ minTraces: accepted, timeout: 20_000 });
  expect(settled.flatMap((trace) => trace.spans).filter((span) => span.name.startsWith('flood.'))).toHaveLength(accepted);
});
