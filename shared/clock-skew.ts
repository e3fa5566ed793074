/**
 * Clock-skew correction for display. Browser and server spans come from different clocks (the
 * browser's is `performance.timeOrigin` + `performance.now()`, which drifts from the wall clock),
 * so a server span can appear to start before, or end after, the browser span that caused it.
 * Where a child recorded on the other side does not fit inside its parent, its whole subtree is
 * shifted to sit centred inside the parent (the approach Jaeger's UI takes). Stored spans are
 * never changed; only what is drawn.
 */
import type { SpanRecord } from './span-record.ts';
import { buildSpanTrees, type SpanNode } from './span-tree.ts';

/** A span as drawn, with the shift applied to it (0 when none). */
export interface DisplaySpan extends SpanRecord {
  skewShiftMs: number;
}

/** How far a child span (already moved by its ancestors' shifts) must move to fit its parent. */
function shiftFor(parent: DisplaySpan, child: SpanRecord, startTime: number, endTime: number): number {
  if (child.side === parent.side) return 0;
  if (startTime >= parent.startTime && endTime <= parent.endTime) return 0;
  const parentDuration = parent.endTime - parent.startTime;
  const childDuration = endTime - startTime;
  const start = childDuration <= parentDuration ? parent.startTime + (parentDuration - childDuration) / 2 : parent.startTime;
  return start - startTime;
}

/** The spans as drawn, in the order given, and as trees (children in drawn start order). */
export interface DisplayTrees {
  displayed: DisplaySpan[];
  roots: SpanNode<DisplaySpan>[];
}

/**
 * The spans with cross-side clock skew corrected, both as a list and as trees, from one pass over
 * one tree build: a large trace's page needs both, and building either twice was most of its cost.
 */
export function displayTrees(spans: readonly SpanRecord[]): DisplayTrees {
  const shifted = new Map<string, DisplaySpan>();
  let moved = false;
  const visit = (node: SpanNode, inherited: number, parent: DisplaySpan | undefined): SpanNode<DisplaySpan> => {
    const { span } = node;
    const own = parent ? shiftFor(parent, span, span.startTime + inherited, span.endTime + inherited) : 0;
    const total = inherited + own;
    // Object.assign rather than a spread: spans of varied shapes make the spread take its slow
    // path, which measured ten times slower on a 2 000-span trace. Unshifted spans (nearly all)
    // share their events: only the drawn times differ.
    const display: DisplaySpan = Object.assign({ skewShiftMs: 0 }, span);
    display.skewShiftMs = total;
    if (total !== 0) {
      display.startTime += total;
      display.endTime += total;
      display.events = span.events.map((event) => ({ ...event, time: event.time + total }));
    }
    if (own !== 0) moved = true;
    shifted.set(span.spanId, display);
    return { span: display, children: node.children.map((child) => visit(child, total, display)) };
  };
  let roots = buildSpanTrees(spans).map((root) => visit(root, 0, undefined));
  if (moved) {
    // A shifted subtree may now start before a sibling it started after.
    const byStart = (a: SpanNode<DisplaySpan>, b: SpanNode<DisplaySpan>) => a.span.startTime - b.span.startTime;
    const sort = (node: SpanNode<DisplaySpan>) => {
      node.children = node.children.toSorted(byStart);
      node.children.forEach(sort);
    };
    roots = roots.toSorted(byStart);
    roots.forEach(sort);
  }
  return { displayed: spans.map((span) => shifted.get(span.spanId)!), roots };
}

/** The spans with cross-side clock skew corrected, in the order given. */
export function adjustClockSkew(spans: readonly SpanRecord[]): DisplaySpan[] {
  return displayTrees(spans).displayed;
}
