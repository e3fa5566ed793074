import { expect, test } from '@playwright/test';
import { flowtrace } from './index.ts';

type Config = Record<string, unknown>;
const configOf = (plugin: ReturnType<typeof flowtrace>, command: 'serve' | 'build') =>
  (plugin.config as (c: object, e: { command: string; mode: string }) => Config)({}, { command, mode: command === 'serve' ? 'development' : 'production' });
const buildInfo = (config: Config) => JSON.parse((config.define as Record<string, string>)['__FLOWTRACE_BUILD__']!);

test('by default the plugin keeps native async (no target, no lowering) and tells the SDK the mode', () => {
  const config = configOf(flowtrace(), 'serve');
  expect(config).not.toHaveProperty('build');
  expect(config).not.toHaveProperty('oxc');
  expect(buildInfo(config)).toEqual({ mode: 'development', asyncContext: 'transform' });
  expect(buildInfo(configOf(flowtrace(), 'build'))).toEqual({ mode: 'production', asyncContext: 'transform' });
});

test('zone mode lowers async in build and dev, for zone.js', () => {
  const config = configOf(flowtrace({ asyncContext: 'zone' }), 'serve');
  expect(config).toMatchObject({ build: { target: 'es2016' }, oxc: { target: 'es2016' } });
  expect(buildInfo(config)).toEqual({ mode: 'development', asyncContext: 'zone' });
});

test('bad options are refused, saying what to use', () => {
  expect(() => flowtrace({ asyncContext: 'zone', target: 'es2020' })).toThrow(/keeps native async\/await.*use 'es2016'/);
  expect(() => flowtrace({ asyncContext: 'lower' as never })).toThrow(/asyncContext must be 'transform' or 'zone'/);
});

test('a module that does not parse is left as it was, with one warning naming the file', () => {
  const plugin = flowtrace();
  const warnings: string[] = [];
  const hook = plugin.transform as { handler: (this: { warn(m: string): void }, code: string, id: string) => unknown };
  const ctx = { warn: (message: string) => warnings.push(message) };
  expect(hook.handler.call(ctx, 'async function f() { await }}}', '/app/src/broken.js')).toBeNull();
  expect(hook.handler.call(ctx, 'async function f() { await }}}', '/app/src/broken.js?v=2')).toBeNull();
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/could not parse \/app\/src\/broken\.js/);
});
