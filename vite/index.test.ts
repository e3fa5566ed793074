import { expect, test } from '@playwright/test';
import { flowtrace } from './index.ts';

test('the plugin lowers async in build and dev, and tells the SDK the mode', () => {
  const plugin = flowtrace();
  const config = (plugin.config as (c: object, e: { command: string; mode: string }) => Record<string, unknown>)({}, { command: 'serve', mode: 'development' });
  expect(config).toMatchObject({ build: { target: 'es2016' }, oxc: { target: 'es2016' } });
  expect(JSON.parse((config.define as Record<string, string>)['__FLOWTRACE_BUILD__']!)).toEqual({ mode: 'development', asyncLowered: true });
});

test('a target with native async is refused, saying what to use', () => {
  expect(() => flowtrace({ target: 'es2020' })).toThrow(/keeps native async\/await.*use 'es2016'/);
});
