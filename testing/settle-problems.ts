/**
 * Why a test's traces are not settled yet, in words a test author can act on: which parent span
 * ids are missing, which spans (of which services) refer to them and where they probably come
 * from, and where spans are still open.
 */
import type { SpanRecord } from '../shared/span-record.ts';

interface TraceState {
  traceId: string;
  spans: SpanRecord[];
  openSpans: number;
  missingParents: string[];
}

function likelySource(child: SpanRecord): string {
  // A server or consumer span's parent is the caller's span: from another service.
  if (child.kind === 'server' || child.kind === 'consumer') {
    return child.side === 'server' ? 'the caller, such as a browser page that has not exported it or was closed first' : 'the caller';
  }
  return `${child.service} itself (a span still open, or exported by another process)`;
}

/** Everything that keeps `traces` from being settled; empty when settled. */
export function settleProblems(
  traces: readonly TraceState[],
  pages: ReadonlyArray<{ url: string; openSpans: number }>,
  { minTraces, testId }: { minTraces: number; testId: string },
): string[] {
  const problems: string[] = [];
  for (const page of pages) {
    if (page.openSpans > 0) problems.push(`${page.openSpans} browser span(s) still open in ${page.url}`);
  }
  if (traces.length < minTraces) {
    problems.push(
      traces.length === 0
        ? `no spans tagged with test id ${testId} yet (is the page set up with createClientTracing, and the server with createHttpMiddleware and createFlowtraceEndpoints?)`
        : `${traces.length} trace(s) for test ${testId}, expected at least ${minTraces}`,
    );
  }
  for (const trace of traces) {
    if (trace.openSpans > 0) problems.push(`trace ${trace.traceId}: ${trace.openSpans} server span(s) still open`);
    for (const parent of trace.missingParents) {
      const children = trace.spans.filter((span) => span.parentSpanId === parent);
      const who = children.map((span) => `${JSON.stringify(span.name)} [${span.kind}] of ${span.service} (${span.side})`).join(', ');
      problems.push(`trace ${trace.traceId}: parent span ${parent} missing, referred to by ${who || 'no stored span'}; expected from ${children[0] ? likelySource(children[0]) : 'another service'}`);
    }
  }
  return problems;
}
