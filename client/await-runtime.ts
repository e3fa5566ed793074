/**
 * The helpers the `flowtrace/vite` await transform calls from app code. They carry the active
 * OpenTelemetry context across a native `await` without zone.js and without lowering:
 *
 * - before an `await`, the frame's leave (`f(x)`) captures the context the code runs in, and if
 *   this continuation had been resumed, puts back the context that was active before
 *   (so code that runs while the function is suspended never sees it: no stale context);
 * - when the continuation resumes, the frame's resume (`f(value)`, the first call the
 *   continuation makes) makes the captured context active again before it gives the value;
 * - when the function returns or throws, the frame's exit (`f()`) puts back what was active
 *   before its last resume.
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

const hook = (): AsyncContextHook | undefined =>
  (globalThis as { [ASYNC_CONTEXT_HOOK]?: AsyncContextHook })[ASYNC_CONTEXT_HOOK];

/** An awaited promise's rejection, carried as a value to the resume that throws it. */
class Rejection {
  constructor(readonly error: unknown) {}
}

/**
 * The state of one call of a transformed async function. Transformed code never sees it: it calls
 * the {@link Frame} function that closes over it.
 */
class Call {
  /** The context captured at the last suspension. */
  #captured: unknown;
  /** The context active before the last resume, put back at the next suspension. */
  #previous: unknown;
  /** Whether this call has resumed and not yet suspended again. */
  #resumed = false;
  /** Whether this call has left at an await and not yet resumed: its next one-argument call is the resume. */
  waiting = false;

  /** Captures the active context and clears what this call's resume set. */
  suspend(): void {
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
  enter(): void {
    const h = hook();
    if (!h || this.#resumed) return;
    this.#previous = h.swap(this.#captured);
    this.#resumed = true;
  }

  /**
   * Leave, before an `await`. A rejection settles as a {@link Rejection}, so that the await
   * itself never throws: the resume that follows puts the context back first and throws then, and
   * `catch` and `finally` blocks run in the flow.
   */
  leave(value: unknown): Promise<unknown> {
    this.suspend();
    this.waiting = true;
    return Promise.resolve(value).then(undefined, (error: unknown) => new Rejection(error));
  }

  /**
   * Resume, the first thing the continuation does (`f(await f(x))` calls it before anything else
   * of the expression runs): makes the captured context active, then gives the settled value.
   */
  resume(settled: unknown): unknown {
    this.waiting = false;
    this.enter();
    if (settled instanceof Rejection) throw settled.error;
    return settled;
  }

  /** Exit, at the end of the function (a `finally`): nothing it set stays active. */
  exit(): void {
    if (!this.#resumed) return;
    this.#resumed = false;
    hook()?.swap(this.#previous);
    this.#previous = undefined;
  }

  /**
   * `for await (x of it)` iterates `f.i(it)`. The loop reads `done` of each result as soon as it
   * resumes: that getter is where the call's context comes back.
   */
  iterate<T>(iterable: AsyncIterable<T> | Iterable<T>): AsyncIterableIterator<T> {
    const inner = asyncIteratorOf(iterable);
    const resumed = (read: () => boolean | undefined) => {
      this.enter();
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
        this.suspend();
        return wrap(step);
      },
      return: (value?: unknown) => {
        const step = inner.return ? inner.return(value) : ({ done: true, value } as IteratorResult<T>);
        this.suspend();
        return Promise.resolve(step);
      },
    };
  }
}

/**
 * @internal One call of a transformed async function, as the transformed code calls it. It is a
 * function, not an object with methods, because it is called twice at every `await` and at every
 * exit, and a call is the shortest code that ships (`client.await_transform.bytes_ratio`):
 * - `await x` becomes `f(await f(x))`: the inner call leaves, the outer one resumes. A call's
 *   awaits run one after another, so its one-argument calls alternate: leave, resume, leave…
 * - `f()` (no argument) in the function's `finally` is the exit.
 */
export interface Frame {
  (value: unknown): unknown;
  (): void;
}

/** @internal The frame of an async function with `for await` or `yield`, which suspend elsewhere too. */
export interface LoopFrame extends Frame {
  /** Iterate: `for await (x of it)` becomes `for await (x of f.i(it))`. */
  i<T>(iterable: AsyncIterable<T> | Iterable<T>): AsyncIterableIterator<T>;
  /** After a `for await` loop, which may have left by `break`, through `return()`. */
  e(): void;
  /** Before `yield` in an async generator, which suspends too; the consumer's `next()` resumes it. */
  y<T>(value: T): T;
}

function frameOf(call: Call): Frame {
  // `arguments.length`, not `value === undefined`: `await undefined` is a leave too.
  return function callFrame(value?: unknown) {
    if (arguments.length === 0) return call.exit();
    return call.waiting ? call.resume(value) : call.leave(value);
  } as Frame;
}

/**
 * @internal A new frame, at the start of a transformed async function. The default export, so
 * that each module's import minifies to `import a from"…"`.
 */
export default function frame(): Frame {
  return frameOf(new Call());
}

/** @internal A new frame for an async function with `for await` or `yield` (`__ftFrame.g()`). */
frame.g = function loopFrame(): LoopFrame {
  const call = new Call();
  return Object.assign(frameOf(call), {
    i: <T>(iterable: AsyncIterable<T> | Iterable<T>) => call.iterate(iterable),
    e: () => call.enter(),
    y: <T>(value: T): T => {
      call.suspend();
      return value;
    },
  });
};

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
