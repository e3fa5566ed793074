/**
 * The name a person reads for a span, where the stored name says too little.
 *
 * The semantic conventions name an HTTP span `{method} {url.template}` when a template is known
 * and `{method}` alone otherwise. A browser's fetch does not know the server's route template, so
 * its CLIENT spans are stored as "GET", "POST"…, and a page load shows several identical "GET"
 * roots. The server does know it: its SERVER span, the fetch span's child, carries `http.route`.
 * So the viewer derives the label from the trace rather than the SDK renaming its spans: stored
 * names stay what the semantic conventions allow and what tests assert (`browser: POST [client]`),
 * and the label improves as soon as the server's half of the trace arrives.
 */
import type { SpanRecord } from './span-record.ts';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function pathOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url, 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/**
 * The span's label: `{method} {template}` for an HTTP span named by its method alone, where the
 * template is `url.template`, the `http.route` of a SERVER child, or else the URL's path (query
 * left out: it may carry data); the stored name for every other span.
 * @param children - the span's direct children, where a client span finds the server's route.
 */
export function spanLabel(span: SpanRecord, children: readonly SpanRecord[] = []): string {
  const method = text(span.attributes['http.request.method']);
  if (!method || span.name !== method) return span.name;
  const route = span.kind === 'server'
    ? text(span.attributes['http.route'])
    : children.map((child) => (child.kind === 'server' ? text(child.attributes['http.route']) : undefined)).find(Boolean);
  const template = text(span.attributes['url.template']) ?? route ?? text(span.attributes['url.path']) ?? pathOf(text(span.attributes['url.full']));
  return template ? `${method} ${template}` : span.name;
}

// Path segments that are ids rather than names: numbers, UUIDs, long hex or base64url tokens.
const ID_SEGMENT = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{12,}|[\w-]{20,})$/i;

/**
 * The label with id-like path segments replaced by `:id`, so requests that differ only in ids
 * (chunk 1, chunk 2, …) count as repeats of one another even without a server route.
 */
export function labelShape(label: string): string {
  return label.replace(/\/[^/\s?#]+/g, (segment) => (ID_SEGMENT.test(segment.slice(1)) ? '/:id' : segment));
}

/**
 * The trace's title: the label of its root (the span without a parent that started first), or
 * of the earliest span whose parent has not arrived.
 */
export function traceTitle(spans: readonly SpanRecord[]): string | undefined {
  const ids = new Set(spans.map((span) => span.spanId));
  let root: SpanRecord | undefined;
  for (const span of spans) {
    const orphan = !span.parentSpanId || !ids.has(span.parentSpanId);
    if (!orphan) continue;
    const better = !root || (!span.parentSpanId && !!root.parentSpanId) || (!span.parentSpanId === !root.parentSpanId && span.startTime < root.startTime);
    if (better) root = span;
  }
  if (!root) return undefined;
  const rootId = root.spanId;
  return spanLabel(root, spans.filter((span) => span.parentSpanId === rootId));
}
