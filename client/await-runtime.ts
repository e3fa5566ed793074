/**
 * The helpers the `flowtrace/vite` await transform calls from app code. They carry the active
 * OpenTelemetry context across a native `await` without zone.js and without lowering:
 *
 * - before an `await`, `Frame.l` (leave) captures the context the code runs in, and if this
 *   continuation had been resumed, puts back the context that was active before
 *   (so code that runs while the function is suspended never sees it: no stale context);
 * - when the continuation resumes, the thunk the awaited value settled into makes the captured
 *   context active again before it gives the value;
 * - when the function returns or throws, `Frame.x` (exit) puts back what was active before its last resume.
 *
 * The technique is the one Nuxt's unctx uses for `withAsyncContext`, completed with the clearing
 * on yield. Each call of a transformed async function has one {@link Frame}. The helpers talk to
 * the SDK's context manager through a global hook, so app code and the SDK need not share a module
 * instance; before `createClientTracing` (or in zone mode) the hook is absent and they only pass values on.
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

type Thunk<T> = () => T;

const hook = (): AsyncContextHook | undefined =>
  (globalThis as { [ASYNC_CONTEXT_HOOK]?: AsyncContextHook })[ASYNC_CONTEXT_HOOK];

/**
 * @internal One call of a transformed async function. Its methods have one-letter names because
 * transformed code calls them at every `await`: `(await __ftF.l(x))()` is what ships.
 */
export class Frame {
  /** The context captured at the last suspension. */
  #captured: unknown;
  /** The context active before the last resume, put back at the next suspension. */
  #previous: unknown;
  /** Whether this call has resumed and not yet suspended again. */
  #resumed = false;

  /** Captures the active context and clears what this frame's resume set. */
  #suspend(): void {
    const h = hook();
    if (!h) return;
    this.#captured = h.active();
    if (this.#resumed) {
      h.swap(this.#previous);
      this.#resumed = false;
      this.#previous = undefined;
    }
  }

  /** Makes the captured context active (a continuation resumes). */
  #enter(): void {
    const h = hook();
    if (!h || this.#resumed) return;
    this.#previous = h.swap(this.#captured);
    this.#resumed = true;
  }

  /**
   * Leave: `await x` becomes `(await f.l(x))()`. The awaited promise settles into a thunk that
   * resumes this frame before it gives the value, or throws the rejection after the context is
   * back: `catch` and `finally` blocks run in the flow. The call of the thunk is the first thing
   * the continuation does, so nothing of it runs before the context is back.
   */
  l<T>(value: T): Promise<Thunk<Awaited<T>>> {
    this.#suspend();
    return Promise.resolve(value).then(
      (settled) => () => {
        this.#enter();
        return settled;
      },
      (error: unknown) => () => {
        this.#enter();
        throw error;
      },
    );
  }

  /** Exit, at the end of the function (a `finally`): nothing it set stays active. */
  x(): void {
    if (!this.#resumed) return;
    this.#resumed = false;
    hook()?.swap(this.#previous);
    this.#previous = undefined;
  }

  /** After a `for await` loop, which may have left by `break`, through `return()`. */
  e(): void {
    this.#enter();
  }

  /** Before `yield` in an async generator, which suspends too; the consumer's `next()` resumes it. */
  y<T>(value: T): T {
    this.#suspend();
    return value;
  }

  /**
   * Iterate: `for await (x of it)` becomes `for await (x of f.i(it))`. The loop reads `done` of
   * each result as soon as it resumes: that getter is where the frame's context comes back.
   */
  i<T>(iterable: AsyncIterable<T> | Iterable<T>): AsyncIterableIterator<T> {
    const inner = asyncIteratorOf(iterable);
    const resumed = (read: () => boolean | undefined) => {
      this.#enter();
      return read();
    };
    const wrap = (step: Promise<IteratorResult<T>> | IteratorResult<T>): Promise<IteratorResult<T>> =>
      Promise.resolve(step).then(
        (result) => ({ get done() { return resumed(() => result.done); }, value: result.value }) as IteratorResult<T>,
        (error: unknown) =>
          ({
            get done() {
              return resumed(() => {
                throw error;
              });
            },
            value: undefined,
          }) as IteratorResult<T>,
      );
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      // The inner iterator runs (an async generator resumes) in the loop's context; then the loop suspends.
      next: (...args: [] | [unknown]) => {
        const step = inner.next(...args);
        this.#suspend();
        return wrap(step);
      },
      return: (value?: unknown) => {
        const step = inner.return ? inner.return(value) : ({ done: true, value } as IteratorResult<T>);
        this.#suspend();
        return Promise.resolve(step);
      },
    };
  }
}

/**
 * @internal A new frame, at the start of a transformed async function. The default export, so
 * that each module's import minifies to `import a from"…"`.
 */
export default function frame(): Frame {
  return new Frame();
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
