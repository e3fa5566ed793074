/**
 * The flows that are open right now, with the context each runs in. The context manager's
 * fallback reads it (the only open flow), and unload ends what is still open.
 */
import type { Context, Span } from '@opentelemetry/api';

/** @internal */
export interface OpenFlow {
  span: Span;
  context: Context;
  /** Ends the flow with an outcome; a no-op once it has ended. */
  end(outcome: 'ok' | 'error' | 'cancelled' | 'unloaded' | 'timeout', reason?: string): void;
}

const open = new Set<OpenFlow>();

/** @internal */
export const flowRegistry = {
  add(flow: OpenFlow): void {
    open.add(flow);
  },
  delete(flow: OpenFlow): void {
    open.delete(flow);
  },
  /** The one open flow, or `undefined` when none or several are open. */
  only(): OpenFlow | undefined {
    if (open.size !== 1) return undefined;
    return open.values().next().value;
  },
  get size(): number {
    return open.size;
  },
  /** Ends every open flow, innermost (latest) first. */
  endAll(outcome: 'cancelled' | 'unloaded', reason?: string): void {
    for (const flow of [...open].toReversed()) flow.end(outcome, reason);
  },
  /** For tests and shutdown. */
  reset(): void {
    open.clear();
  },
};
