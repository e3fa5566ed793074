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

function shiftFor(parent: SpanRecord, child: SpanRecord): number {
  if (child.side === parent.side) return 0;
  if (child.startTime >= parent.startTime && child.endTime <= parent.endTime) return 0;
  const parentDuration = parent.endTime - parent.startTime;
  const childDuration = child.endTime - child.startTime;
  const start = childDuration <= parentDuration ? parent.startTime + (parentDuration - childDuration) / 2 : parent.startTime;
  return start - child.startTime;
}

/** The spans with cross-side clock skew corrected, in the order given. */
export function adjustClockSkew(spans: readonly SpanRecord[]): DisplaySpan[] {
  const shifted = new Map<string, DisplaySpan>();
  const visit = (node: SpanNode, inherited: number, parent: DisplaySpan | undefined) => {
    const moved = { ...node.span, startTime: node.span.startTime + inherited, endTime: node.span.endTime + inherited };
    const own = parent ? shiftFor(parent, moved) : 0;
    const total = inherited + own;
    const display: DisplaySpan = {
      ...node.span,
      startTime: node.span.startTime + total,
      endTime: node.span.endTime + total,
      events: node.span.events.map((event) => ({ ...event, time: event.time + total })),
      skewShiftMs: total,
    };
    shifted.set(node.span.spanId, display);
    for (const child of node.children) visit(child, total, display);
  };
  for (const root of buildSpanTrees(spans)) visit(root, 0, undefined);
  return spans.map((span) => shifted.get(span.spanId)!);
}
