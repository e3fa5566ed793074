import { expect, test } from '@playwright/test';
import { RateLimiter } from './rate-limit.ts';

test('allows a burst, then refuses with a Retry-After until tokens refill', () => {
  let now = 0;
  const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, () => now);
  expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
  expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  now = 500; // half a second refills one token at 2 per second
  expect(limiter.take('a').allowed).toBe(true);
  expect(limiter.take('a').allowed).toBe(false);
});

test('clients have their own buckets', () => {
  const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, () => 0);
  expect(limiter.take('a').allowed).toBe(true);
  expect(limiter.take('a').allowed).toBe(false);
  expect(limiter.take('b').allowed).toBe(true);
});

test('forgets the least recently seen clients past maxClients', () => {
  const limiter = new RateLimiter({ perSecond: 1, burst: 1, maxClients: 2 }, () => 0);
  limiter.take('a');
  limiter.take('b');
  limiter.take('c');
  expect(limiter.clients).toBe(2);
  // "a" was forgotten, so it starts with a full bucket again.
  expect(limiter.take('a').allowed).toBe(true);
});

test('bad configuration throws saying what is wrong', () => {
  expect(() => new RateLimiter({ perSecond: 0 })).toThrow('flowtrace: rate limit needs perSecond > 0 and burst >= 1, got 0 and 100');
});
