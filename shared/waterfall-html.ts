/**
 * Renders a trace as a self-contained HTML waterfall (rows from waterfall-rows.ts under a head
 * and a time axis), each row expanding (plain `<details>`, no script) into its details
 * (waterfall-detail.ts). Used by the trace viewer and by the Playwright report attachment, so both
 * show the same picture. The viewer prepares a trace once ({@link prepareWaterfall}) and draws a
 * page or any of its on-demand parts from it; every function also takes the spans as recorded.
 */
import type { SpanRecord } from './span-record.ts';
import { WATERFALL_CSS } from './waterfall-css.ts';
import { escapeHtml, spanDetail } from './waterfall-detail.ts';
import {
  CHUNK_ROWS, EAGER_ROWS, chunked, frameOf, groupKey, labelOf, placeOf, prepareWaterfall, siblings, spanRow, type WaterfallTrace,
} from './waterfall-rows.ts';

export { prepareWaterfall, type WaterfallTrace } from './waterfall-rows.ts';

/** A trace as recorded, or prepared once by {@link prepareWaterfall} for several renders. */
export type WaterfallInput = readonly SpanRecord[] | WaterfallTrace;

const prepared = (input: WaterfallInput): WaterfallTrace => ('roots' in input ? input : prepareWaterfall(input));

/** Options of {@link renderWaterfall}. */
export interface WaterfallOptions {
  /** Where a span link to another trace points (the viewer's trace page); without it, links are text. */
  traceHref?: (traceId: string) => string;
  /**
   * Prefix of the URLs that parts of the waterfall load from when needed, as HTML fragments: a
   * row's details from `span/{spanId}`, a folded group's rows from `group/{firstSpanId}`, and
   * top-level rows past the first 50 from `rows/{first}` as they scroll near.
   * Without it everything is inline (a self-contained document); with it a large trace's page
   * stays small (details and folded repeats are most of its bytes) and the viewer's script
   * fills parts in as a person opens them.
   */
  fragmentBase?: string;
}

function axis(total: number): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<span style="left:${f * 100}%">${(f * total).toFixed(1)} ms</span>`).join('');
  return `<div class="ft-axis" aria-hidden="true"><span></span><span class="ft-ticks">${ticks}</span><span></span></div>`;
}

/** The waterfall as an HTML fragment (pair it with {@link WATERFALL_CSS}). */
export function renderWaterfall(input: WaterfallInput, options: WaterfallOptions = {}): string {
  const trace = prepared(input);
  const { displayed } = trace;
  if (displayed.length === 0) return '<div class="ft-trace">(no spans)</div>';
  const frame = frameOf(trace, options);
  // Rows past the first chunks load on scroll: render only those sent now.
  if (frame.fragmentBase !== undefined) frame.window = { from: 0, to: EAGER_ROWS };
  siblings(trace.roots, 0, frame);
  const services = [...new Set(displayed.map((span) => span.service))];
  return (
    `<section class="ft-trace"${frame.fragmentBase === undefined ? '' : ` data-fragment-base="${escapeHtml(frame.fragmentBase)}"`}><div class="ft-head"><span>trace <code>${displayed[0]!.traceId}</code></span>` +
    `<span>${displayed.length} spans</span><span>${frame.total.toFixed(1)} ms</span><span>${escapeHtml(services.join(', '))}</span>` +
    (trace.missing.length ? `<span class="ft-warn">missing parents: ${trace.missing.join(', ')}</span>` : '') +
    `</div>${axis(frame.total)}<ol class="ft-rows">${chunked(frame.rows, frame.fragmentBase !== undefined)}</ol></section>`
  );
}

/**
 * The details of one span of a trace, as the row rendered with `fragmentBase` shows them once
 * opened; `undefined` when the trace has no such span.
 */
export function renderSpanDetail(input: WaterfallInput, spanId: string, options: WaterfallOptions = {}): string | undefined {
  const trace = prepared(input);
  const node = trace.nodes.get(spanId);
  return node && spanDetail(node.span, labelOf(node, trace), frameOf(trace, options));
}

/** A whole HTML document with one waterfall per trace, openable offline (report attachments). */
export function waterfallDocument(title: string, traces: ReadonlyArray<readonly SpanRecord[]>): string {
  const body = traces.length ? traces.map((spans) => renderWaterfall(spans)).join('<hr>') : '<p>(no traces)</p>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>body{margin:16px}${WATERFALL_CSS}</style></head><body><h1 style="font:600 16px system-ui">${escapeHtml(title)}</h1>${body}</body></html>`;
}

/**
 * The rows of the folded group whose first member is `firstSpanId`, as a group rendered with
 * `fragmentBase` loads them once opened; `undefined` when the trace has no such span.
 */
export function renderGroupRows(input: WaterfallInput, firstSpanId: string, options: WaterfallOptions = {}): string | undefined {
  const trace = prepared(input);
  const first = trace.nodes.get(firstSpanId);
  if (!first) return undefined;
  let depth = 0;
  for (let id = first.span.parentSpanId; id !== undefined && trace.nodes.has(id); id = trace.nodes.get(id)!.span.parentSpanId) depth++;
  const parent = first.span.parentSpanId === undefined ? undefined : trace.nodes.get(first.span.parentSpanId);
  const frame = frameOf(trace, options);
  const key = groupKey(first, trace);
  for (const member of parent ? parent.children : trace.roots) if (groupKey(member, trace) === key) spanRow(member, depth + 1, frame);
  return chunked(frame.rows);
}

/**
 * The top-level rows `first` to `first + 49` of the waterfall, the chunk a trace page rendered
 * with `fragmentBase` loads when it scrolls near.
 */
export function renderRowChunk(input: WaterfallInput, first: number, options: WaterfallOptions = {}): string {
  const trace = prepared(input);
  const frame = frameOf(trace, options);
  frame.window = { from: first, to: first + CHUNK_ROWS };
  siblings(trace.roots, 0, frame);
  return frame.rows.slice(first, first + CHUNK_ROWS).join('');
}

/** Where a trace page rendered with `fragmentBase` draws a span's row: see {@link placeOfSpan}. */
export interface SpanPlace {
  /** The `rows/{first}` chunk to load first, or `null` when the row is among those sent with the page. */
  rows: number | null;
  /** The folded groups to open, outermost first, each by its first member's span id (`group/{id}`). */
  groups: string[];
}

/**
 * Where a trace page rendered with `fragmentBase` has the row of `spanId`, for a `#span-…` link to
 * find it: which chunk of rows to load and which folded groups to open. `undefined` when the trace
 * has no such span.
 */
export function placeOfSpan(input: WaterfallInput, spanId: string): SpanPlace | undefined {
  const place = placeOf(prepared(input), spanId);
  if (!place) return undefined;
  return { rows: place.row < EAGER_ROWS ? null : place.row - (place.row % CHUNK_ROWS), groups: place.groups };
}
