import { expect, test } from '@playwright/test';
import { PooledRandomIdGenerator } from './id-generator.ts';

test('hands out valid, distinct W3C ids across pool refills', () => {
  const ids = new PooledRandomIdGenerator();
  const traceIds = new Set<string>();
  const spanIds = new Set<string>();
  // 8 KiB per pool: 3000 of each crosses several refills.
  for (let i = 0; i < 3000; i++) {
    traceIds.add(ids.generateTraceId());
    spanIds.add(ids.generateSpanId());
  }
  expect(traceIds.size).toBe(3000);
  expect(spanIds.size).toBe(3000);
  for (const id of traceIds) expect(id).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
  for (const id of spanIds) expect(id).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
});

test('a peeked trace id is the one the next generateTraceId returns, span ids drawn in between', () => {
  const ids = new PooledRandomIdGenerator();
  const peeked = ids.peekTraceId();
  expect(ids.peekTraceId()).toBe(peeked);
  // The SDK draws the span id first, then the trace id.
  const spanId = ids.generateSpanId();
  expect(ids.generateTraceId()).toBe(peeked);
  expect(peeked).not.toContain(spanId);
  expect(ids.generateTraceId()).not.toBe(peeked);
});
