import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { StackContextManager } from '@opentelemetry/sdk-trace-web';
import { expect, test } from '@playwright/test';
import * as runtime from '../client/await-runtime.ts';
import { asyncContextHook } from '../client/context-manager.ts';
import { transformAwait } from './await-transform.ts';

const KEY = createContextKey('test.flow');
const flowOf = () => context.active().getValue(KEY) as string | undefined;

/** Runs transformed `source` (a function body) with the real runtime and a synchronous context manager. */
async function run(source: string, scope: Record<string, unknown> = {}): Promise<unknown> {
  const result = transformAwait(`export default async function main() {\n${source}\n}`, 'app.js', 'runtime');
  if (!result) throw new Error('nothing transformed');
  const code = result.code
    .replace('import __ftFrame from "runtime";', 'const __ftFrame = runtime.default;')
    .replace('export default async function main()', 'return async function main()');
  const stack = new StackContextManager().enable();
  context.setGlobalContextManager(stack);
  (globalThis as Record<symbol, unknown>)[runtime.ASYNC_CONTEXT_HOOK] = asyncContextHook(stack);
  try {
    const names = Object.keys(scope);
    const main = new Function('runtime', 'context', 'KEY', 'flowOf', ...names, code)(runtime, context, KEY, flowOf, ...Object.values(scope));
    return await main();
  } finally {
    delete (globalThis as Record<symbol, unknown>)[runtime.ASYNC_CONTEXT_HOOK];
    context.disable();
  }
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

test('two interleaved flows with three awaits each keep their own context, and nothing leaks between tasks', async () => {
  const seen: string[] = [];
  const leaks: Array<string | undefined> = [];
  const result = await run(
    `
    async function flow(name) {
      for (let i = 0; i < 3; i++) { await tick(); seen.push(name + ':' + flowOf()); leaks.push(await new Promise((r) => setTimeout(() => r(flowOf()), 0))); }
      return flowOf();
    }
    return Promise.all([context.with(ROOT.setValue(KEY, 'a'), () => flow('a')), context.with(ROOT.setValue(KEY, 'b'), () => flow('b'))]);
    `,
    { tick, seen, leaks, ROOT: ROOT_CONTEXT },
  );
  expect(result).toEqual(['a', 'b']);
  expect(seen.toSorted()).toEqual(['a:a', 'a:a', 'a:a', 'b:b', 'b:b', 'b:b']);
  // A timer callback is a new task: no flow's context is left active there.
  expect(leaks).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
});

test('a rejection after an await is caught in the flow, and finally runs in it too', async () => {
  const result = await run(
    `
    return context.with(ROOT.setValue(KEY, 'f'), async () => {
      const out = [];
      try { await Promise.reject(new Error('boom')); } catch (e) { out.push('catch:' + flowOf()); } finally { await tick(); out.push('finally:' + flowOf()); }
      return out;
    });
    `,
    { tick, ROOT: ROOT_CONTEXT },
  );
  expect(result).toEqual(['catch:f', 'finally:f']);
});

test('for await keeps the context in the body and after a break', async () => {
  const result = await run(
    `
    async function* numbers() { for (let i = 0; i < 5; i++) { await tick(); yield i; } }
    return context.with(ROOT.setValue(KEY, 'loop'), async () => {
      const out = [];
      for await (const n of numbers()) { out.push(n + ':' + flowOf()); if (n === 2) break; }
      out.push('after:' + flowOf());
      for await (const v of [Promise.resolve('x')]) out.push(v + ':' + flowOf());
      out.push('end:' + flowOf());
      return out;
    });
    `,
    { tick, ROOT: ROOT_CONTEXT },
  );
  expect(result).toEqual(['0:loop', '1:loop', '2:loop', 'after:loop', 'x:loop', 'end:loop']);
});

test('the output keeps native async/await, with a source map', () => {
  const result = transformAwait('async function f() { await g(); h(); }', 'app.js', '/rt.ts')!;
  expect(result.code).toContain('async function f()');
  expect(result.code).toContain('__ftF(await __ftF(g()))');
  expect(result.code).not.toContain('function*');
  expect(result.map.sources).toEqual(['app.js']);
});

test('modules without an await inside an async function are left alone', () => {
  expect(transformAwait('const x = 1; function wait() {}', 'a.js', 'rt')).toBeUndefined();
  expect(transformAwait('await top; export {}', 'a.js', 'rt')).toBeUndefined();
});

test('code that does not parse throws, for the plugin to warn about', () => {
  expect(() => transformAwait('async function f() { await }}}', 'broken.js', 'rt')).toThrow();
});

test('an async function whose awaits all end it gets no frame, and one with a try around its await does', () => {
  const tails = `
    export const rooms = async () => (await api('/rooms')).rooms;
    export async function load(fresh) { if (fresh) return await api('/a'); render(); await api('/b'); }`;
  expect(transformAwait(tails, 'a.js', 'rt')).toBeUndefined();
  // The catch handler runs after the await: it needs the context back.
  const guarded = transformAwait('async function f() { try { return await g(); } catch { log(); } }', 'a.js', 'rt')!;
  expect(guarded.code).toContain('__ftF(await __ftF(g()))');
  // The body ends in that try: it takes the exit as its finally instead of a second try.
  expect(guarded.code).toContain('catch { log(); }finally{__ftF()}');
  expect(guarded.code.match(/try/g)).toHaveLength(1);
});

test('the context is back in a catch after an await, and gone once the function threw from there', async () => {
  const leaks: Array<string | undefined> = [];
  const result = await run(
    `
    async function fails() {
      try { await Promise.reject(new Error('boom')); } catch (error) { throw new Error('again:' + flowOf()); }
    }
    return context.with(ROOT.setValue(KEY, 'f'), async () => {
      const outcome = await fails().catch((error) => error.message);
      leaks.push(await new Promise((r) => setTimeout(() => r(flowOf()), 0)));
      return [outcome, flowOf(), await undefined, flowOf()];
    });
    `,
    { ROOT: ROOT_CONTEXT, leaks },
  );
  expect(result).toEqual(['again:f', 'f', undefined, 'f']);
  expect(leaks).toEqual([undefined]);
  // Between tasks, nothing is active: the throw out of the catch still ran the exit.
  expect(context.active().getValue(KEY)).toBeUndefined();
});
