/**
 * The trust boundary for context that arrives from a client (DESIGN.md §4). Context from a
 * browser is untrusted input; per route the server either continues it as the parent, starts a
 * new trace that links to it, or ignores it.
 */
import {
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
  type Link,
  type TextMapGetter,
} from '@opentelemetry/api';

/**
 * - `continue`: the client's span is the parent (default for same-origin app routes)
 * - `link`: a new trace, with a link to the client's span
 * - `ignore`: a new trace, nothing of the client's context kept
 */
export type TrustDecision = 'continue' | 'link' | 'ignore';

/** A fixed decision, or one made per request. */
export type TrustPolicy<Request> = TrustDecision | ((request: Request) => TrustDecision);

/** Where a server span starts: its parent context and the links it carries. */
export interface IncomingContext {
  parent: Context;
  links: Link[];
}

/** Resolves a policy for one request. */
export function decideTrust<Request>(policy: TrustPolicy<Request>, request: Request): TrustDecision {
  return typeof policy === 'function' ? policy(request) : policy;
}

/**
 * Extracts the W3C context from a carrier (headers, a handshake query) and applies a decision.
 * A malformed carrier extracts nothing, so every decision then starts a fresh trace.
 */
export function incomingContext<Carrier>(carrier: Carrier, getter: TextMapGetter<Carrier>, decision: TrustDecision): IncomingContext {
  if (decision === 'ignore') return { parent: ROOT_CONTEXT, links: [] };
  const extracted = propagation.extract(ROOT_CONTEXT, carrier, getter);
  if (decision === 'continue') return { parent: extracted, links: [] };
  const remote = trace.getSpanContext(extracted);
  return { parent: ROOT_CONTEXT, links: remote ? [{ context: remote }] : [] };
}
