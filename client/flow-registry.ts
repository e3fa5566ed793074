/**
 * The flows that are open right now, with the context each runs in. The context manager's
 * fallback reads it (the only open flow), and unload ends what is still open. It also remembers
 * which flow spans have ended, so a context restored after its flow ended is never a parent.
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
// Weak: a flow span is forgotten with the last context that holds it.
let ended = new WeakSet<object>();

/** @internal */
export const flowRegistry = {
  add(flow: OpenFlow): void {
    open.add(flow);
  },
  /** Removes an ended flow. */
  delete(flow: OpenFlow): void {
    open.delete(flow);
    ended.add(flow.span);
  },
  /** Whether `span` is a flow span that has ended. */
  hasEnded(span: object): boolean {
    return ended.has(span);
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
    ended = new WeakSet();
  },
};
