/**
 * The SDK's context manager: OpenTelemetry's synchronous `StackContextManager` (no global
 * patching), which the `flowtrace/vite` await transform keeps right across native `await`
 * (client/await-runtime.ts), plus three rules for a span whose context is not exact:
 *
 * - during an automatic click flow's event dispatch, code outside any flow runs in that flow;
 * - a context whose flow has already ended is never a parent: the span becomes a root with a link
 *   to the flow (a continuation resumed after its flow ended);
 * - in fallback mode (app not built through the plugin), a span with no parent joins the only
 *   open flow. With several flows open it stays unattached: a missing parent is visible, a wrong
 *   one is not.
 *
 * Zone mode (opt-in) swaps in zone.js, loaded on demand so the default bundle has none.
 */
import { context, createContextKey, trace, type Context, type ContextManager, type SpanContext } from '@opentelemetry/api';
import { StackContextManager } from '@opentelemetry/sdk-trace-web';
import { ASYNC_CONTEXT_HOOK, type AsyncContextHook } from './await-runtime.ts';
import { flowRegistry } from './flow-registry.ts';

let installed: FlowContextManager | undefined;

/** Context key of the ended flow a new root span links to. */
const ENDED_FLOW = createContextKey('flowtrace.ended_flow');

/** @internal The ended flow a span started under `ctx` links to, if any. */
export function endedFlowOf(ctx: Context): SpanContext | undefined {
  return ctx.getValue(ENDED_FLOW) as SpanContext | undefined;
}

/**
 * The context a new flow starts under: the one the code really runs in, never the fallback's
 * guess. A flow started after a lost await becomes a root of its own instead of nesting under a stranger.
 */
export function explicitContext(): Context {
  return installed ? installed.explicit() : context.active();
}

/** @internal Makes `manager` the one {@link explicitContext} asks; `undefined` on shutdown. */
export function useFlowContextManager(manager: FlowContextManager | undefined): void {
  installed = manager;
}

/**
 * @internal The hook the await transform's helpers use: reads and swaps the stack manager's
 * current context, which OpenTelemetry exposes as the public field `_currentContext`.
 */
export function asyncContextHook(stack: StackContextManager): AsyncContextHook {
  /* oxlint-disable no-underscore-dangle -- StackContextManager's own public field */
  return {
    active: () => stack._currentContext,
    swap(ctx) {
      const previous = stack._currentContext;
      stack._currentContext = ctx as Context;
      return previous;
    },
  };
  /* oxlint-enable no-underscore-dangle */
}

/** @internal */
export class FlowContextManager implements ContextManager {
  readonly #stack = new StackContextManager();
  #inner: ContextManager = this.#stack;
  readonly #fallback: boolean;
  #ambient: Context | undefined;

  constructor({ fallback }: { fallback: boolean }) {
    this.#fallback = fallback;
  }

  /** Makes `ctx` the context of code that has none, until cleared (a click flow's event dispatch). */
  setAmbient(ctx: Context | undefined): void {
    this.#ambient = ctx;
  }

  /** Replaces the stack manager by `manager` (zone mode, once zone.js has loaded). */
  useInner(manager: ContextManager): void {
    delete (globalThis as { [ASYNC_CONTEXT_HOOK]?: AsyncContextHook })[ASYNC_CONTEXT_HOOK];
    this.#inner.disable();
    this.#inner = manager.enable();
  }

  /** The context the code runs in, without the ambient click flow or the fallback's guess. */
  explicit(): Context {
    return this.#withoutEndedFlow(this.#inner.active());
  }

  active(): Context {
    const ctx = this.explicit();
    if (trace.getSpan(ctx) || endedFlowOf(ctx)) return ctx;
    if (this.#ambient) return this.#ambient;
    if (this.#fallback) {
      const only = flowRegistry.only();
      if (only) return only.context;
    }
    return ctx;
  }

  #withoutEndedFlow(ctx: Context): Context {
    const span = trace.getSpan(ctx);
    if (!span || !flowRegistry.hasEnded(span)) return ctx;
    return trace.deleteSpan(ctx).setValue(ENDED_FLOW, span.spanContext());
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#inner.with(ctx, fn, thisArg, ...args);
  }

  bind<T>(ctx: Context, target: T): T {
    return this.#inner.bind(ctx, target);
  }

  enable(): this {
    this.#inner.enable();
    if (this.#inner === this.#stack) {
      (globalThis as { [ASYNC_CONTEXT_HOOK]?: AsyncContextHook })[ASYNC_CONTEXT_HOOK] = asyncContextHook(this.#stack);
    }
    return this;
  }

  disable(): this {
    delete (globalThis as { [ASYNC_CONTEXT_HOOK]?: AsyncContextHook })[ASYNC_CONTEXT_HOOK];
    this.#inner.disable();
    this.#ambient = undefined;
    return this;
  }
}
