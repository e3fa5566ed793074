/**
 * The helpers the `flowtrace/vite` await transform calls from app code. They carry the active
 * OpenTelemetry context across a native `await` without zone.js and without lowering:
 *
 * - before an `await`, {@link leave} captures the context the code runs in, and if this
 *   continuation had been resumed by {@link resume}, puts back the context that was active before
 *   (so code that runs while the function is suspended never sees it: no stale context);
 * - when the continuation resumes, {@link resume} makes the captured context active again;
 * - when the function returns or throws, {@link exit} puts back what was active before its last resume.
 *
 * The technique is the one Nuxt's unctx uses for `withAsyncContext`, completed with the clearing
 * on yield. Each call of a transformed async function has one {@link Frame}. The helpers talk to
 * the SDK's context manager through a global hook, so app code and the SDK need not share a module
 * instance; before `initFlowtrace` (or in zone mode) the hook is absent and they only pass values on.
 */

/** What the SDK's synchronous context manager offers the transformed code. */
export interface AsyncContextHook {
  /** The context active right now (never a guessed one). */
  active(): unknown;
  /** Makes `context` active and returns the context that was. */
  swap(context: unknown): unknown;
}

/** The global the SDK installs its hook under (a registered symbol, shared across bundles). */
export const ASYNC_CONTEXT_HOOK = Symbol.for('flowtrace.asyncContext');

/** @internal One call of a transformed async function. */
export interface Frame {
  /** The context captured at the last suspension. */
  c: unknown;
  /** The context active before the last resume, put back at the next suspension. */
  p: unknown;
  /** Whether this call has resumed and not yet suspended again. */
  r: boolean;
}

type Thunk<T> = () => T;

const hook = (): AsyncContextHook | undefined =>
  (globalThis as { [ASYNC_CONTEXT_HOOK]?: AsyncContextHook })[ASYNC_CONTEXT_HOOK];

/** @internal A new frame, at the start of a transformed async function. */
export function frame(): Frame {
  return { c: undefined, p: undefined, r: false };
}

/** @internal Captures the active context and clears what this frame's resume set. */
function suspend(f: Frame, h: AsyncContextHook | undefined): void {
  if (!h) return;
  f.c = h.active();
  if (f.r) {
    h.swap(f.p);
    f.r = false;
    f.p = undefined;
  }
}

/** @internal Makes the frame's captured context active (a continuation resumes). */
function enter(f: Frame): void {
  const h = hook();
  if (!h || f.r) return;
  f.p = h.swap(f.c);
  f.r = true;
}

/**
 * @internal `await x` becomes `resume(f, await leave(f, x))`. The awaited promise settles into a
 * thunk, so a rejection is thrown by {@link resume} too, after the context is back: `catch` and
 * `finally` blocks run in the flow.
 */
export function leave<T>(f: Frame, value: T): Promise<Thunk<Awaited<T>>> {
  suspend(f, hook());
  return Promise.resolve(value).then(
    (settled) => () => settled,
    (error: unknown) => () => {
      throw error;
    },
  );
}

/** @internal See {@link leave}. */
export function resume<T>(f: Frame, thunk: Thunk<T>): T {
  enter(f);
  return thunk();
}

/** @internal At the end of a transformed async function (a `finally`): nothing it set stays active. */
export function exit(f: Frame): void {
  if (!f.r) return;
  f.r = false;
  hook()?.swap(f.p);
  f.p = undefined;
}

/** @internal After a `for await` loop: the loop may have left by `break`, through `return()`. */
export function loopEnd(f: Frame): void {
  enter(f);
}

/** @internal `yield` in an async generator suspends too; the consumer's `next()` resumes it. */
export function yielded<T>(f: Frame, value: T): T {
  suspend(f, hook());
  return value;
}

function asyncIteratorOf<T>(iterable: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> {
  const asyncMethod = (iterable as AsyncIterable<T>)[Symbol.asyncIterator];
  if (typeof asyncMethod === 'function') return asyncMethod.call(iterable);
  // `for await` over a sync iterable awaits each value; keep that.
  const sync = (iterable as Iterable<T>)[Symbol.iterator]();
  return {
    next: async () => {
      const step = sync.next();
      return { done: step.done, value: await step.value } as IteratorResult<T>;
    },
    return: async (value?: unknown) => {
      sync.return?.(value);
      return { done: true, value } as IteratorResult<T>;
    },
  };
}

/**
 * @internal `for await (x of it)` becomes `for await (x of iterate(f, it))`. The loop reads `done`
 * of each result as soon as it resumes: that getter is where the frame's context comes back.
 */
export function iterate<T>(f: Frame, iterable: AsyncIterable<T> | Iterable<T>): AsyncIterableIterator<T> {
  const inner = asyncIteratorOf(iterable);
  const wrap = (promise: Promise<IteratorResult<T>> | IteratorResult<T>): Promise<IteratorResult<T>> =>
    Promise.resolve(promise).then(
      (result) => ({
        get done() {
          enter(f);
          return result.done;
        },
        value: result.value,
      }) as IteratorResult<T>,
      (error: unknown) =>
        ({
          get done(): boolean {
            enter(f);
            throw error;
          },
          value: undefined,
        }) as IteratorResult<T>,
    );
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next(...args: [] | [unknown]) {
      const h = hook();
      // The inner iterator runs (an async generator resumes) in the loop's context; then the loop suspends.
      const step = inner.next(...args);
      suspend(f, h);
      return wrap(step);
    },
    return(value?: unknown) {
      const h = hook();
      const step = inner.return ? inner.return(value) : ({ done: true, value } as IteratorResult<T>);
      suspend(f, h);
      return Promise.resolve(step);
    },
  };
}
