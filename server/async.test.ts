import { EventEmitter } from 'node:events';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { expect, test } from '@playwright/test';
import { traceAsync, traceCallback, traced, traceHandler, tracePromise, traceTimeout } from './async.ts';
import { startTestTracing, type TestTracing, until } from './test-support.ts';

let t: TestTracing;
test.beforeEach(() => {
  t = startTestTracing();
});
test.afterEach(async () => {
  await t.stop();
});

const byName = async (name: string) => (await t.spans()).find((span) => span.name === name)!;

test('a promise, a callback, a timer and an event handler each become a child span of the current one', async () => {
  const emitter = new EventEmitter();
  let timerFired = false;
  await trace.getTracer('test').startActiveSpan('request', async (request) => {
    await traceAsync(t.tracing, 'load', async () => 'x');
    await tracePromise(t.tracing, 'wait', Promise.resolve(1));
    await new Promise<void>((resolve) => {
      const done = traceCallback(t.tracing, 'legacy', (_error: unknown) => resolve());
      setImmediate(() => done(null));
    });
    traceTimeout(t.tracing, 'later', () => (timerFired = true), 1);
    emitter.on('chunk', traceHandler(t.tracing, 'upload.chunk', () => {}));
    request.end();
  });
  // The handler's parent is where it was registered, not the emitter's caller.
  emitter.emit('chunk', 1);
  await until(() => timerFired, 'the timer');
  const request = await byName('request');
  await until(async () => (await t.spans()).length === 6, 'six spans');
  for (const name of ['load', 'wait', 'legacy', 'later', 'upload.chunk']) {
    expect((await byName(name)).parentSpanContext?.spanId, name).toBe(request.spanContext().spanId);
  }
});

test('a rejection or callback error marks the span failed; stack and memory delta are opt-in', async () => {
  await expect(traceAsync(t.tracing, 'fails', async () => Promise.reject(new Error('nope')), { captureStack: true, memoryDelta: true })).rejects.toThrow('nope');
  traceCallback(t.tracing, 'cb', () => {})(new Error('cb failed'));
  await traceAsync(t.tracing, 'plain', async () => {});
  const fails = await byName('fails');
  expect(fails.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'nope' });
  expect(String(fails.attributes['code.stacktrace'])).toContain('async.test.ts');
  expect(typeof fails.attributes['flowtrace.memory.heap_used_delta']).toBe('number');
  expect((await byName('cb')).status.code).toBe(SpanStatusCode.ERROR);
  const plain = await byName('plain');
  expect(plain.attributes['code.stacktrace']).toBeUndefined();
  expect(plain.attributes['flowtrace.memory.heap_used_delta']).toBeUndefined();
});

test('the decorator traces each call of an async method as Class.method', async () => {
  const decorate = traced(t.tracing);
  class CreateRoom {
    async execute(name: string): Promise<string> {
      return `room ${name}`;
    }
  }
  // Applied as TypeScript applies `@traced()` to a method.
  const method = decorate(CreateRoom.prototype.execute, { name: 'execute' } as ClassMethodDecoratorContext<CreateRoom, (name: string) => Promise<string>>);
  CreateRoom.prototype.execute = method;
  expect(await new CreateRoom().execute('studio')).toBe('room studio');
  const span = await byName('CreateRoom.execute');
  expect(span.attributes['code.function.name']).toBe('execute');
});

test('the decorator works in decorator syntax', async () => {
  class Recordings {
    @traced(t.tracing, 'recording.process')
    async process(id: string): Promise<string> {
      return id;
    }
  }
  expect(await new Recordings().process('r1')).toBe('r1');
  expect((await byName('recording.process')).attributes['code.function.name']).toBe('process');
});
