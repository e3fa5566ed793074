/**
 * Builds parent/child trees from flat span lists and prints them as indented text, the form
 * failure messages and trace attachments use.
 */
import { spanRole, type SpanRecord } from './span-record.ts';

export interface SpanNode<S extends SpanRecord = SpanRecord> {
  span: S;
  children: SpanNode<S>[];
}

/**
 * Arranges spans into trees. A span whose parent is not in the list becomes a root, so a partial
 * trace still renders; {@link missingParents} tells which parents are absent.
 */
export function buildSpanTrees(spans: readonly SpanRecord[]): SpanNode[] {
  const nodes = new Map<string, SpanNode>();
  for (const span of spans) nodes.set(span.spanId, { span, children: [] });
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentSpanId ? nodes.get(node.span.parentSpanId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const byStart = (a: SpanNode, b: SpanNode) => a.span.startTime - b.span.startTime;
  for (const node of nodes.values()) node.children = node.children.toSorted(byStart);
  return roots.toSorted(byStart);
}

/** Parent span ids that spans refer to but that are not in the list. */
export function missingParents(spans: readonly SpanRecord[]): string[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const missing = new Set<string>();
  for (const span of spans) {
    if (span.parentSpanId && !ids.has(span.parentSpanId)) missing.add(span.parentSpanId);
  }
  return [...missing];
}

function describe(span: SpanRecord, origin: number): string {
  const offset = (span.startTime - origin).toFixed(1);
  const duration = (span.endTime - span.startTime).toFixed(1);
  const status = span.status.code === 'error' ? ` ERROR${span.status.message ? `: ${span.status.message}` : ''}` : '';
  return `${spanRole(span)}: ${span.name} [${span.kind}] +${offset}ms ${duration}ms${status}`;
}

/**
 * Renders trees as indented text, one span a line:
 * `role: name [kind] +offset duration`, children indented by two spaces.
 */
export function formatSpanTrees(roots: readonly SpanNode[]): string {
  if (roots.length === 0) return '(no spans)';
  const origin = Math.min(...roots.map((root) => root.span.startTime));
  const lines: string[] = [];
  const walk = (node: SpanNode, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${describe(node.span, origin)}`);
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return lines.join('\n');
}

// A name the tree-text reader would take for something else (a regex, a wildcard, a kind, a
// status, timings, attributes, a comment, a role) or that carries whitespace at its ends.
const AMBIGUOUS_NAME = /^(?:\*|\/.*|#.*|(?:browser|server|db):.*|\s.*|.*\s)$|[[\]{}]|\sERROR\b|\sstatus=|\s\+-?[\d.]+ms/;

function assertionName(name: string): string {
  if (name !== '' && !AMBIGUOUS_NAME.test(name)) return name;
  // An anchored regex without whitespace, which the reader never splits: spaces become \x20.
  const escaped = name.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&').replace(/\s/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `/^${escaped}$/`;
}

/**
 * Renders one tree in the text form `toHaveSpanTree` reads (see testing/tree-text.ts):
 * `role: name [kind]`, plus `status=error` on failed spans, children indented by two spaces, no
 * timings. Names the reader would misread are written as anchored regexes, so the text pasted
 * into a test matches the trace it came from.
 */
export function formatAssertionTree(root: SpanNode): string {
  const lines: string[] = [];
  const walk = (node: SpanNode, depth: number) => {
    const { span } = node;
    const status = span.status.code === 'error' ? ' status=error' : '';
    lines.push(`${'  '.repeat(depth)}${spanRole(span)}: ${assertionName(span.name)} [${span.kind}]${status}`);
    for (const child of node.children) walk(child, depth + 1);
  };
  walk(root, 0);
  return lines.join('\n');
}
