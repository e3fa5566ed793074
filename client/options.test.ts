import { expect, test } from '@playwright/test';
import { resolveOptions } from './options.ts';

const base = 'https://app.example.com/room/1';
const dev = { mode: 'development', asyncContext: 'transform' } as const;
const prod = { mode: 'production', asyncContext: 'transform' } as const;

test('defaults: every flow sampled and test hooks on in development', () => {
  const resolved = resolveOptions({}, base, dev);
  expect(resolved).toMatchObject({ sampleRatio: 1, testHooks: true, asyncContext: 'transform', debugLostContext: false, ingestUrl: 'https://app.example.com/flowtrace/v1/traces' });
});

test('defaults: 10 % sampled and test hooks off in a production build', () => {
  expect(resolveOptions({}, base, prod)).toMatchObject({ sampleRatio: 0.1, testHooks: false });
});

test('the async context mode follows the build unless asked for: fallback without the plugin', () => {
  expect(resolveOptions({}, base, { mode: 'production', asyncContext: 'none' }).asyncContext).toBe('fallback');
  expect(resolveOptions({}, base, { mode: 'production', asyncContext: 'zone' }).asyncContext).toBe('zone');
  expect(resolveOptions({ asyncContext: 'fallback' }, base, prod).asyncContext).toBe('fallback');
  expect(resolveOptions({ asyncContext: 'zone' }, base, { mode: 'production', asyncContext: 'none' }).asyncContext).toBe('zone');
});

test('extra sensitive query parameters join the built-in list, lower-cased', () => {
  const { sensitiveQueryParams } = resolveOptions({ redactQueryParams: ['Session_Key'] }, base, dev);
  expect(sensitiveQueryParams).toEqual(expect.arrayContaining(['token', 'password', 'code', 'signature', 'secret', 'session_key']));
});

test('bad options throw at init with a message saying how to fix them', () => {
  expect(() => resolveOptions({ sampleRatio: 1.5 }, base, dev)).toThrow('flowtrace: sampleRatio must be a number from 0 to 1, got 1.5');
  expect(() => resolveOptions({ redactQueryParams: 'token' as never }, base, dev)).toThrow(/redactQueryParams must be an array of parameter names/);
  expect(() => resolveOptions({ asyncContext: 'magic' as never }, base, dev)).toThrow(/asyncContext must be 'auto', 'transform', 'zone' or 'fallback'/);
  expect(() => resolveOptions({ testHooks: 'yes' as never }, base, dev)).toThrow('flowtrace: testHooks must be true or false, got "yes"');
});

test('flows are capped at 30 s unless flowTimeoutMs says otherwise; 0 turns the cap off', () => {
  expect(resolveOptions({}, base, prod).flowTimeoutMs).toBe(30_000);
  expect(resolveOptions({ flowTimeoutMs: 0 }, base, prod).flowTimeoutMs).toBe(0);
  expect(() => resolveOptions({ flowTimeoutMs: -1 }, base, dev)).toThrow('flowtrace: flowTimeoutMs must be a non-negative integer of milliseconds (0 for no cap), got -1');
});
