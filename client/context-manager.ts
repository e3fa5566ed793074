/**
 * Zone.js context plus two rules for spans whose context was lost:
 *
 * - during an automatic click flow's event dispatch, code outside any flow runs in that flow;
 * - in fallback mode (async/await not lowered), a span with no parent joins the only open flow.
 *   With several flows open it stays unattached: a missing parent is visible, a wrong one is not.
 */
import { context, trace, type Context, type ContextManager } from '@opentelemetry/api';
import { ZoneContextManager } from '@opentelemetry/context-zone';
import { flowRegistry } from './flow-registry.ts';

let installed: FlowContextManager | undefined;

/**
 * The context a new flow starts under: what zone.js knows, never the fallback's guess. A flow
 * started after a lost await becomes a root of its own instead of nesting under a stranger.
 */
export function explicitContext(): Context {
  return installed ? installed.zoneActive() : context.active();
}

/** @internal Makes `manager` the one {@link explicitContext} asks; `undefined` on shutdown. */
export function useFlowContextManager(manager: FlowContextManager | undefined): void {
  installed = manager;
}

export class FlowContextManager implements ContextManager {
  readonly #zone = new ZoneContextManager();
  readonly #fallback: boolean;
  #ambient: Context | undefined;

  constructor({ fallback }: { fallback: boolean }) {
    this.#fallback = fallback;
  }

  /** Makes `ctx` the context of code that has none, until cleared (a click flow's event dispatch). */
  setAmbient(ctx: Context | undefined): void {
    this.#ambient = ctx;
  }

  /** The zone's context alone. */
  zoneActive(): Context {
    return this.#zone.active();
  }

  active(): Context {
    const ctx = this.#zone.active();
    if (trace.getSpan(ctx)) return ctx;
    if (this.#ambient) return this.#ambient;
    if (this.#fallback) {
      const only = flowRegistry.only();
      if (only) return only.context;
    }
    return ctx;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#zone.with(ctx, fn, thisArg, ...args);
  }

  bind<T>(ctx: Context, target: T): T {
    return this.#zone.bind(ctx, target);
  }

  enable(): this {
    this.#zone.enable();
    return this;
  }

  disable(): this {
    this.#zone.disable();
    this.#ambient = undefined;
    return this;
  }
}
