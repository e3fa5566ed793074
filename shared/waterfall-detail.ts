/**
 * The detail panel a waterfall row expands into: the error first (status message and every
 * recorded exception with its stack), then every attribute grouped as span, resource and scope,
 * the events with their attributes, and the links, each a link to the linked trace.
 */
import type { DisplaySpan } from './clock-skew.ts';
import type { Attributes, SpanEventRecord } from './span-record.ts';

/** Escapes text for HTML content and attribute values: span data is untrusted input. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What the detail panel needs beyond the span itself. */
export interface DetailContext {
  /** Start of the trace, in ms since the epoch: event times are shown relative to it. */
  origin: number;
  /** Names of the spans of this trace by span id, to name a link's target. */
  names: ReadonlyMap<string, string>;
  /** Where a link to another trace points; without it links are shown as text. */
  traceHref?: (traceId: string) => string;
}

function show(value: unknown): string {
  return escapeHtml(typeof value === 'string' ? value : JSON.stringify(value));
}

function table(rows: Array<[string, string]>): string {
  return `<table>${rows.map(([key, value]) => `<tr><td>${escapeHtml(key)}</td><td>${value}</td></tr>`).join('')}</table>`;
}

function attributesTable(attributes: Attributes): string {
  const rows = Object.entries(attributes)
    .toSorted(([a], [b]) => a.localeCompare(b))
    .map(([key, value]): [string, string] => [key, show(value)]);
  return rows.length ? table(rows) : '<div>none</div>';
}

/** Exception events, as the semantic conventions record them (`exception.type`, `.message`, `.stacktrace`). */
export function isException(event: SpanEventRecord): boolean {
  return event.name === 'exception';
}

function errorBox(span: DisplaySpan): string {
  const exceptions = span.events.filter(isException);
  if (span.status.code !== 'error' && exceptions.length === 0) return '';
  const parts: string[] = [];
  if (span.status.code === 'error') parts.push(`<div><b>error</b>${span.status.message ? `: ${escapeHtml(span.status.message)}` : ''}</div>`);
  for (const exception of exceptions) {
    const { 'exception.type': type, 'exception.message': message, 'exception.stacktrace': stack } = exception.attributes;
    parts.push(
      `<div class="ft-exception-text"><b>${show(type ?? 'exception')}</b>${message === undefined ? '' : `: ${show(message)}`}</div>` +
        (stack === undefined ? '' : `<pre>${show(stack)}</pre>`),
    );
  }
  return `<div class="ft-errbox" role="note">${parts.join('')}</div>`;
}

function linkHtml(link: DisplaySpan['links'][number], context: DetailContext): string {
  const target = context.names.get(link.spanId);
  const text = `trace ${link.traceId} span ${link.spanId}${target ? ` (${escapeHtml(target)})` : ''}`;
  const anchor = context.traceHref
    ? `<a class="ft-link" href="${escapeHtml(context.traceHref(link.traceId))}#span-${link.spanId}">${text}</a>`
    : text;
  return `<div>${anchor}${Object.keys(link.attributes).length ? attributesTable(link.attributes) : ''}</div>`;
}

/** The detail panel of one span, as an HTML fragment. */
export function spanDetail(span: DisplaySpan, label: string, context: DetailContext): string {
  const { origin } = context;
  const skew = span.skewShiftMs ? `drawn shifted by ${span.skewShiftMs.toFixed(1)} ms to fit its parent (another clock)` : '';
  const summary: Array<[string, string]> = [
    ['name', escapeHtml(span.name)],
    ...(label === span.name ? [] : [['shown as', escapeHtml(label)] as [string, string]]),
    ['kind', span.kind],
    ['service', escapeHtml(span.service)],
    ['span id', span.spanId],
    ['parent', span.parentSpanId ?? '(root)'],
    ['start', `+${(span.startTime - origin).toFixed(1)} ms`],
    ['duration', `${(span.endTime - span.startTime).toFixed(1)} ms`],
    ['status', `${span.status.code}${span.status.message ? `: ${escapeHtml(span.status.message)}` : ''}`],
    ...(skew ? [['clock skew', skew] as [string, string]] : []),
  ];
  const parts = [errorBox(span), `<h4>span</h4>${table(summary)}`, `<h4>span attributes</h4>${attributesTable(span.attributes)}`];
  if (span.resource) parts.push(`<h4>resource</h4>${attributesTable(span.resource)}`);
  if (span.scope) {
    parts.push(`<h4>scope</h4>${table([['name', escapeHtml(span.scope.name)], ...(span.scope.version ? [['version', escapeHtml(span.scope.version)] as [string, string]] : [])])}`);
  }
  if (span.events.length) {
    const events = span.events.map(
      (event) => `<div class="ft-event">+${(event.time - origin).toFixed(1)} ms <b>${escapeHtml(event.name)}</b>${Object.keys(event.attributes).length ? attributesTable(event.attributes) : ''}</div>`,
    );
    parts.push(`<h4>events</h4>${events.join('')}`);
  }
  if (span.links.length) parts.push(`<h4>links</h4>${span.links.map((link) => linkHtml(link, context)).join('')}`);
  return parts.join('');
}
