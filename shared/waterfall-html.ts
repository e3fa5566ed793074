/**
 * Renders a trace as a self-contained HTML waterfall: one row per span in tree order, a bar
 * placed on a shared time axis with its events as markers, colour by role (browser, server, db),
 * and each row expanding (plain `<details>`, no script) into its details (waterfall-detail.ts).
 * Repeated siblings (74 chunk uploads) fold into one expandable row. Used by the trace viewer and
 * by the Playwright report attachment, so both show the same picture.
 */
import { adjustClockSkew, type DisplaySpan } from './clock-skew.ts';
import { labelShape, spanLabel } from './span-label.ts';
import { spanRole } from './span-record.ts';
import type { SpanRecord } from './span-record.ts';
import { buildSpanTrees, missingParents, type SpanNode } from './span-tree.ts';
import { WATERFALL_CSS } from './waterfall-css.ts';
import { escapeHtml, isException, spanDetail, type DetailContext } from './waterfall-detail.ts';

/**
 * Siblings with the same role, kind and label shape fold into one row from this many on: fewer
 * repeats read fine one by one, and a page load's two or three requests stay visible.
 */
export const GROUP_MIN_SIBLINGS = 5;

/** Options of {@link renderWaterfall}. */
export interface WaterfallOptions {
  /** Where a span link to another trace points (the viewer's trace page); without it, links are text. */
  traceHref?: (traceId: string) => string;
  /**
   * Prefix of the URLs that parts of the waterfall load from when needed, as HTML fragments: a
   * row's details from `span/{spanId}`, a folded group's rows from `group/{firstSpanId}`, and
   * top-level rows past the first 200 from `rows/{first}` as they scroll near.
   * Without it everything is inline (a self-contained document); with it a large trace's page
   * stays small (details and folded repeats are most of its bytes) and the viewer's script
   * fills parts in as a person opens them.
   */
  fragmentBase?: string;
}

interface Frame extends DetailContext {
  total: number;
  /** Only rows with an index in [from, to) are rendered; the others count, as empty strings. */
  window?: { from: number; to: number };
  fragmentBase?: string;
  spans: ReadonlyMap<string, DisplaySpan>;
  rows: string[];
}

/**
 * Rows per chunk: each chunk is skipped by the browser's style, layout and paint while it is off
 * screen (`content-visibility: auto`), so a 2 000-span trace costs about what its first screen
 * does. One containment root per row instead measured slower (more roots to track).
 */
const CHUNK_ROWS = 50;

/**
 * Top-level rows sent with a trace page when parts load on demand; the chunks after them are
 * placeholders the viewer's script fills from `rows/{first}` as they scroll near. Parsing the
 * HTML of rows is most of what a large trace costs the browser, so a 2 000-span page costs about
 * what its first few hundred rows do.
 */
const EAGER_ROWS = 4 * CHUNK_ROWS;
/** Height of a row not yet loaded, in px (a one-line row). */
const ROW_PX = 22;

function chunked(rows: readonly string[], lazy = false): string {
  if (rows.length <= CHUNK_ROWS) return rows.join('');
  let html = '';
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, rows.length - i);
    html += lazy && i >= EAGER_ROWS
      ? `<li class="ft-chunk ft-lazy" data-rows="${i}" style="height:${count * ROW_PX}px"></li>`
      : `<li class="ft-chunk"><ol>${rows.slice(i, i + CHUNK_ROWS).join('')}</ol></li>`;
  }
  return html;
}

const percent = (value: number, frame: Frame) => ((value / frame.total) * 100).toFixed(2);

function axis(total: number): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<span style="left:${f * 100}%">${(f * total).toFixed(1)} ms</span>`).join('');
  return `<div class="ft-axis" aria-hidden="true"><span></span><span class="ft-ticks">${ticks}</span><span></span></div>`;
}

function markers(span: DisplaySpan, frame: Frame): string {
  return span.events
    .map((event) => {
      const attributes = Object.entries(event.attributes).map(([key, value]) => `\n${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
      const title = `${event.name} +${(event.time - frame.origin).toFixed(1)} ms${attributes.join('')}`;
      return `<span class="ft-mark${isException(event) ? ' ft-exception' : ''}" style="left:${percent(event.time - frame.origin, frame)}%" title="${escapeHtml(title)}"></span>`;
    })
    .join('');
}

function bar(start: number, end: number, frame: Frame): string {
  const width = Math.max(0.2, ((end - start) / frame.total) * 100);
  return `<span class="ft-bar" style="left:${percent(start - frame.origin, frame)}%;width:${width.toFixed(2)}%"></span>`;
}

function labelOf(node: SpanNode, frame: Frame): string {
  return spanLabel(frame.spans.get(node.span.spanId)!, node.children.map((child) => child.span));
}

function spanRow(node: SpanNode, depth: number, frame: Frame): void {
  const { window } = frame;
  if (window && (frame.rows.length < window.from || frame.rows.length >= window.to)) {
    frame.rows.push('');
    siblings(node.children, depth + 1, frame);
    return;
  }
  const span = frame.spans.get(node.span.spanId)!;
  const label = labelOf(node, frame);
  const error = span.status.code === 'error' || span.events.some(isException);
  frame.rows.push(
    `<li class="ft-row role-${spanRole(span)}${error ? ' ft-error' : ''}" id="span-${span.spanId}"><details><summary>` +
      `<span class="ft-label" style="padding-left:${depth * 14}px"><span class="ft-role">${spanRole(span)}</span>${escapeHtml(label)} <small>${span.kind}</small></span>` +
      `<span class="ft-track">${bar(span.startTime, span.endTime, frame)}${markers(span, frame)}</span>` +
      `<span class="ft-dur">${(span.endTime - span.startTime).toFixed(1)} ms</span></summary>` +
      `<div class="ft-detail">${frame.fragmentBase === undefined ? spanDetail(span, label, frame) : ''}</div></details></li>`,
  );
  siblings(node.children, depth + 1, frame);
}

function groupRow(members: SpanNode[], label: string, depth: number, frame: Frame): void {
  const { window } = frame;
  if (window && (frame.rows.length < window.from || frame.rows.length >= window.to)) {
    frame.rows.push('');
    return;
  }
  const first = frame.spans.get(members[0]!.span.spanId)!;
  const displayed = members.map((member) => frame.spans.get(member.span.spanId)!);
  const start = Math.min(...displayed.map((span) => span.startTime));
  const end = Math.max(...displayed.map((span) => span.endTime));
  const errors = displayed.filter((span) => span.status.code === 'error').length;
  const outer = frame.rows;
  frame.rows = [];
  if (frame.fragmentBase === undefined) for (const member of members) spanRow(member, depth + 1, frame);
  const inner = chunked(frame.rows);
  frame.rows = outer;
  outer.push(
    `<li class="ft-group role-${spanRole(first)}${errors ? ' ft-error' : ''}" data-group="${first.spanId}"><details><summary>` +
      `<span class="ft-label" style="padding-left:${depth * 14}px"><span class="ft-role">${spanRole(first)}</span>${escapeHtml(label)} ` +
      `<span class="ft-count">× ${members.length}</span> <small>${first.kind}${errors ? `, ${errors} failed` : ''}</small></span>` +
      `<span class="ft-track">${displayed.map((span) => bar(span.startTime, span.endTime, frame)).join('')}</span>` +
      `<span class="ft-dur">${(end - start).toFixed(1)} ms</span></summary><ol class="ft-rows">${inner}</ol></details></li>`,
  );
}

const groupKey = (node: SpanNode, label: string) => `${spanRole(node.span)} ${node.span.kind} ${labelShape(label)}`;

/** Renders siblings in start order, folding each set of {@link GROUP_MIN_SIBLINGS}+ repeats into one row where the first of them starts. */
function siblings(nodes: readonly SpanNode[], depth: number, frame: Frame): void {
  if (nodes.length < GROUP_MIN_SIBLINGS) {
    for (const node of nodes) spanRow(node, depth, frame);
    return;
  }
  const keyed = nodes.map((node) => {
    const label = labelOf(node, frame);
    return { node, label, key: groupKey(node, label) };
  });
  const byKey = new Map<string, SpanNode[]>();
  for (const { node, key } of keyed) {
    const members = byKey.get(key);
    if (members) members.push(node);
    else byKey.set(key, [node]);
  }
  for (const { node, label, key } of keyed) {
    const members = byKey.get(key)!;
    if (members.length < GROUP_MIN_SIBLINGS) spanRow(node, depth, frame);
    else if (members[0] === node) groupRow(members, labelShape(label), depth, frame);
  }
}

function frameOf(recorded: readonly SpanRecord[], options: WaterfallOptions): { frame: Frame; displayed: DisplaySpan[] } {
  const displayed = adjustClockSkew(recorded);
  let origin = Infinity;
  let last = -Infinity;
  for (const span of displayed) {
    origin = Math.min(origin, span.startTime);
    last = Math.max(last, span.endTime);
  }
  const frame: Frame = {
    origin,
    total: Math.max(1e-3, last - origin),
    names: new Map(displayed.map((span) => [span.spanId, span.name])),
    spans: new Map(displayed.map((span) => [span.spanId, span])),
    rows: [],
    ...(options.traceHref ? { traceHref: options.traceHref } : {}),
    ...(options.fragmentBase === undefined ? {} : { fragmentBase: options.fragmentBase }),
  };
  return { frame, displayed };
}

/** The waterfall as an HTML fragment (pair it with {@link WATERFALL_CSS}). */
export function renderWaterfall(recorded: readonly SpanRecord[], options: WaterfallOptions = {}): string {
  if (recorded.length === 0) return '<div class="ft-trace">(no spans)</div>';
  const { frame, displayed } = frameOf(recorded, options);
  // Rows past the first chunks load on scroll: render only those sent now.
  if (frame.fragmentBase !== undefined) frame.window = { from: 0, to: EAGER_ROWS };
  siblings(buildSpanTrees(displayed), 0, frame);
  const missing = missingParents(displayed);
  const services = [...new Set(displayed.map((span) => span.service))];
  return (
    `<section class="ft-trace"${frame.fragmentBase === undefined ? '' : ` data-fragment-base="${escapeHtml(frame.fragmentBase)}"`}><div class="ft-head"><span>trace <code>${displayed[0]!.traceId}</code></span>` +
    `<span>${displayed.length} spans</span><span>${frame.total.toFixed(1)} ms</span><span>${escapeHtml(services.join(', '))}</span>` +
    (missing.length ? `<span class="ft-warn">missing parents: ${missing.join(', ')}</span>` : '') +
    `</div>${axis(frame.total)}<ol class="ft-rows">${chunked(frame.rows, frame.fragmentBase !== undefined)}</ol></section>`
  );
}

/**
 * The details of one span of a trace, as the row rendered with `fragmentBase` shows them once
 * opened; `undefined` when the trace has no such span.
 */
export function renderSpanDetail(recorded: readonly SpanRecord[], spanId: string, options: WaterfallOptions = {}): string | undefined {
  if (!recorded.some((span) => span.spanId === spanId)) return undefined;
  const { frame, displayed } = frameOf(recorded, options);
  const span = frame.spans.get(spanId)!;
  return spanDetail(span, spanLabel(span, displayed.filter((child) => child.parentSpanId === spanId)), frame);
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
export function renderGroupRows(recorded: readonly SpanRecord[], firstSpanId: string, options: WaterfallOptions = {}): string | undefined {
  const { frame, displayed } = frameOf(recorded, options);
  const find = (nodes: readonly SpanNode[], depth: number): { node: SpanNode; siblings: readonly SpanNode[]; depth: number } | undefined => {
    for (const node of nodes) {
      if (node.span.spanId === firstSpanId) return { node, siblings: nodes, depth };
      const found = find(node.children, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  const found = find(buildSpanTrees(displayed), 0);
  if (!found) return undefined;
  const key = groupKey(found.node, labelOf(found.node, frame));
  for (const member of found.siblings) if (groupKey(member, labelOf(member, frame)) === key) spanRow(member, found.depth + 1, frame);
  return chunked(frame.rows);
}

/**
 * The top-level rows `first` to `first + 49` of the waterfall, the chunk a trace page rendered
 * with `fragmentBase` loads when it scrolls near.
 */
export function renderRowChunk(recorded: readonly SpanRecord[], first: number, options: WaterfallOptions = {}): string {
  const { frame, displayed } = frameOf(recorded, options);
  frame.window = { from: first, to: first + CHUNK_ROWS };
  siblings(buildSpanTrees(displayed), 0, frame);
  return frame.rows.slice(first, first + CHUNK_ROWS).join('');
}
