/**
 * The rows of a waterfall: one per span in tree order, a bar on the trace's time axis with its
 * events as markers, and repeated siblings (74 chunk uploads) folded into one expandable row.
 * waterfall-html.ts puts them into a page or a fragment; this file only makes rows, from a trace
 * prepared once ({@link prepareWaterfall}) however many parts of a page are drawn from it.
 */
import { displayTrees, type DisplaySpan } from './clock-skew.ts';
import { labelShape, spanLabel } from './span-label.ts';
import { spanRole, type SpanRecord } from './span-record.ts';
import { missingParents, type SpanNode } from './span-tree.ts';
import { escapeHtml, isException, spanDetail, type DetailContext } from './waterfall-detail.ts';

/**
 * Siblings with the same role, kind and label shape fold into one row from this many on: fewer
 * repeats read fine one by one, and a page load's two or three requests stay visible.
 */
export const GROUP_MIN_SIBLINGS = 5;

/**
 * Rows per chunk: each chunk is skipped by the browser's style, layout and paint while it is off
 * screen (`content-visibility: auto`), so a 2 000-span trace costs about what its first screen
 * does. One containment root per row instead measured slower (more roots to track).
 */
export const CHUNK_ROWS = 50;

/**
 * Top-level rows sent with a trace page when parts load on demand; the chunks after them are
 * placeholders the viewer's script fills from `rows/{first}` as they scroll near. Parsing the
 * HTML of rows is most of what a large trace costs the browser. 50 rows (1 100 px) fill a
 * 1280×800 screen; the next chunk, within the script's 800 px margin, loads right after the first
 * frame. Sending 100 instead put the first frame at 360–410 ms for a 2 000-span trace where 50
 * gives 190–240 (viewer.render_ms_2000_spans, same machine, minutes apart).
 */
export const EAGER_ROWS = CHUNK_ROWS;

/** Height of a row not yet loaded, in px (a one-line row). */
const ROW_PX = 22;

type Node = SpanNode<DisplaySpan>;

/** A trace made ready to draw: clock skew corrected, arranged as trees, labels worked out once. */
export interface WaterfallTrace {
  displayed: readonly DisplaySpan[];
  roots: readonly Node[];
  nodes: ReadonlyMap<string, Node>;
  missing: readonly string[];
  origin: number;
  total: number;
  labels: Map<string, string>;
}

/** Prepares `recorded` for drawing; one trace page draws its rows, title and parts from one of these. */
export function prepareWaterfall(recorded: readonly SpanRecord[]): WaterfallTrace {
  const { displayed, roots } = displayTrees(recorded);
  let origin = Infinity;
  let last = -Infinity;
  for (const span of displayed) {
    origin = Math.min(origin, span.startTime);
    last = Math.max(last, span.endTime);
  }
  const nodes = new Map<string, Node>();
  const index = (node: Node) => {
    nodes.set(node.span.spanId, node);
    node.children.forEach(index);
  };
  roots.forEach(index);
  return { displayed, roots, nodes, missing: missingParents(displayed), origin, total: Math.max(1e-3, last - origin), labels: new Map() };
}

/** What rows are drawn for: the trace, where links point, and which rows to draw. */
export interface Frame extends DetailContext {
  trace: WaterfallTrace;
  total: number;
  /** Only rows with an index in [from, to) are rendered; the others count, as empty strings. */
  window?: { from: number; to: number };
  /** Set when details and folded rows load on demand (see `WaterfallOptions.fragmentBase`). */
  fragmentBase?: string;
  rows: string[];
}

/** A frame to draw rows of `trace` into, with the options of `renderWaterfall`. */
export function frameOf(trace: WaterfallTrace, options: { traceHref?: (traceId: string) => string; fragmentBase?: string }): Frame {
  return {
    trace,
    origin: trace.origin,
    total: trace.total,
    names: new Map(trace.displayed.map((span) => [span.spanId, span.name])),
    rows: [],
    ...(options.traceHref ? { traceHref: options.traceHref } : {}),
    ...(options.fragmentBase === undefined ? {} : { fragmentBase: options.fragmentBase }),
  };
}

/** Rows in chunks of {@link CHUNK_ROWS}; with `lazy`, chunks past {@link EAGER_ROWS} as empty placeholders. */
export function chunked(rows: readonly string[], lazy = false): string {
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

/** The label a span's row shows (see span-label.ts), worked out once per trace. */
export function labelOf(node: Node, trace: WaterfallTrace): string {
  let label = trace.labels.get(node.span.spanId);
  if (label === undefined) {
    label = spanLabel(node.span, node.children.map((child) => child.span));
    trace.labels.set(node.span.spanId, label);
  }
  return label;
}

const outsideWindow = (frame: Frame) => !!frame.window && (frame.rows.length < frame.window.from || frame.rows.length >= frame.window.to);

/** One span's row, then its children's. */
export function spanRow(node: Node, depth: number, frame: Frame): void {
  if (outsideWindow(frame)) {
    frame.rows.push('');
    siblings(node.children, depth + 1, frame);
    return;
  }
  const { span } = node;
  const label = labelOf(node, frame.trace);
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

function groupRow(members: readonly Node[], label: string, depth: number, frame: Frame): void {
  if (outsideWindow(frame)) {
    frame.rows.push('');
    return;
  }
  const first = members[0]!.span;
  let start = Infinity;
  let end = -Infinity;
  let errors = 0;
  for (const { span } of members) {
    start = Math.min(start, span.startTime);
    end = Math.max(end, span.endTime);
    if (span.status.code === 'error') errors++;
  }
  // With a fragment base, the members load when the group is opened.
  let inner = '';
  if (frame.fragmentBase === undefined) {
    const outer = frame.rows;
    frame.rows = [];
    for (const member of members) spanRow(member, depth + 1, frame);
    inner = chunked(frame.rows);
    frame.rows = outer;
  }
  frame.rows.push(
    `<li class="ft-group role-${spanRole(first)}${errors ? ' ft-error' : ''}" data-group="${first.spanId}"><details><summary>` +
      `<span class="ft-label" style="padding-left:${depth * 14}px"><span class="ft-role">${spanRole(first)}</span>${escapeHtml(label)} ` +
      `<span class="ft-count">× ${members.length}</span> <small>${first.kind}${errors ? `, ${errors} failed` : ''}</small></span>` +
      `<span class="ft-track">${members.map(({ span }) => bar(span.startTime, span.endTime, frame)).join('')}</span>` +
      `<span class="ft-dur">${(end - start).toFixed(1)} ms</span></summary><ol class="ft-rows">${inner}</ol></details></li>`,
  );
}

/** Whether two siblings fold together: same role, kind and label shape. */
export const groupKey = (node: Node, trace: WaterfallTrace) => `${spanRole(node.span)} ${node.span.kind} ${labelShape(labelOf(node, trace))}`;

type Folded = { node: Node } | { members: Node[]; label: string };

/** Siblings as rows: each set of {@link GROUP_MIN_SIBLINGS}+ repeats becomes one, where the first of them starts. */
function folded(nodes: readonly Node[], trace: WaterfallTrace): Folded[] {
  if (nodes.length < GROUP_MIN_SIBLINGS) return nodes.map((node) => ({ node }));
  const keyed = nodes.map((node) => ({ node, key: groupKey(node, trace) }));
  const byKey = new Map<string, Node[]>();
  for (const { node, key } of keyed) {
    const members = byKey.get(key);
    if (members) members.push(node);
    else byKey.set(key, [node]);
  }
  const items: Folded[] = [];
  for (const { node, key } of keyed) {
    const members = byKey.get(key)!;
    if (members.length < GROUP_MIN_SIBLINGS) items.push({ node });
    else if (members[0] === node) items.push({ members, label: labelShape(labelOf(node, trace)) });
  }
  return items;
}

/** Renders siblings in start order, repeats folded. */
export function siblings(nodes: readonly Node[], depth: number, frame: Frame): void {
  for (const item of folded(nodes, frame.trace)) {
    if ('node' in item) spanRow(item.node, depth, frame);
    else groupRow(item.members, item.label, depth, frame);
  }
}

/** Where a span's row is drawn: in which top-level row (its own, or its outermost folded group's), inside which groups. */
export interface RowPlace {
  row: number;
  /** The folded groups that hide the row, outermost first, each by its first member's span id. */
  groups: string[];
}

/** Finds the row of `spanId` as {@link siblings} draws the trace; `undefined` when the trace has no such span. */
export function placeOf(trace: WaterfallTrace, spanId: string): RowPlace | undefined {
  let next = 0;
  // `top` is the top-level row of the group being searched; undefined at the top level.
  const inRow = (node: Node, groups: string[], top: number | undefined): RowPlace | undefined => {
    const row = top ?? next++;
    if (node.span.spanId === spanId) return { row, groups };
    return among(node.children, groups, top);
  };
  const among = (nodes: readonly Node[], groups: string[], top: number | undefined): RowPlace | undefined => {
    for (const item of folded(nodes, trace)) {
      if ('node' in item) {
        const found = inRow(item.node, groups, top);
        if (found) return found;
        continue;
      }
      const row = top ?? next++;
      const inner = [...groups, item.members[0]!.span.spanId];
      for (const member of item.members) {
        const found = inRow(member, inner, row);
        if (found) return found;
      }
    }
    return undefined;
  };
  return trace.nodes.has(spanId) ? among(trace.roots, [], undefined) : undefined;
}
