/**
 * The trust boundary for context that arrives from a client (DESIGN.md §4). Context from a
 * browser is untrusted input; per route the server either continues it as the parent, starts a
 * new trace that links to it, or ignores it.
 */
import {
  propagation,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Baggage,
  type Context,
  type Link,
  type TextMapGetter,
} from '@opentelemetry/api';
import { CLIENT_BAGGAGE_ALLOW_LIST } from '../shared/attributes.ts';
import { UNTRUSTED_SAMPLED_FLAG } from './sampling.ts';

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
 * What to keep of the client's W3C baggage: all of it, none, or the listed keys.
 * Baggage is client input that flows into every downstream call, so the default keeps only
 * flowtrace's own keys (the test id).
 */
export type BaggagePolicy = 'keep' | 'drop' | readonly string[];

/** How far the client's context is believed, beyond the {@link TrustDecision}. */
export interface IncomingContextOptions {
  /** @default CLIENT_BAGGAGE_ALLOW_LIST (the test id and the session id) */
  baggage?: BaggagePolicy;
  /**
   * Follow the client's "not sampled" flag. When false, a not-sampled parent is re-decided by the
   * server's root ratio (and the span says so in `flowtrace.trust.override`).
   * @default false
   */
  trustSampledFlag?: boolean;
}

function filterBaggage(baggage: Baggage, policy: readonly string[]): Baggage | undefined {
  let kept = baggage;
  for (const [key] of baggage.getAllEntries()) if (!policy.includes(key)) kept = kept.removeEntry(key);
  return kept.getAllEntries().length ? kept : undefined;
}

function applyPolicy(extracted: Context, { baggage = CLIENT_BAGGAGE_ALLOW_LIST, trustSampledFlag = false }: IncomingContextOptions): Context {
  let result = extracted;
  if (baggage !== 'keep') {
    const bag = propagation.getBaggage(result);
    if (bag) {
      const kept = baggage === 'drop' ? undefined : filterBaggage(bag, baggage);
      result = kept ? propagation.setBaggage(result, kept) : propagation.deleteBaggage(result);
    }
  }
  if (!trustSampledFlag) {
    // Only a remote parent that says "not sampled" needs the mark; most requests carry none.
    const remote = trace.getSpanContext(result);
    if (remote && (remote.traceFlags & TraceFlags.SAMPLED) === 0) result = result.setValue(UNTRUSTED_SAMPLED_FLAG, true);
  }
  return result;
}

/**
 * Extracts the W3C context from a carrier (headers, a handshake query) and applies a decision.
 * A malformed carrier extracts nothing, so every decision then starts a fresh trace.
 */
export function incomingContext<Carrier>(
  carrier: Carrier,
  getter: TextMapGetter<Carrier>,
  decision: TrustDecision,
  options: IncomingContextOptions = {},
): IncomingContext {
  if (decision === 'ignore') return { parent: ROOT_CONTEXT, links: [] };
  const extracted = propagation.extract(ROOT_CONTEXT, carrier, getter);
  if (decision === 'continue') return { parent: applyPolicy(extracted, options), links: [] };
  const remote = trace.getSpanContext(extracted);
  // A new trace keeps only the allowed baggage, never the client's span.
  const kept = applyPolicy(extracted, { ...options, trustSampledFlag: true });
  return { parent: trace.deleteSpan(kept), links: remote ? [{ context: remote }] : [] };
}
