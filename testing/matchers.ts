/**
 * Playwright matchers for traces, added with `expect.extend`. Each takes a trace's spans, a trace
 * (anything with `spans`), or a list of traces (what `settle()` returns), and honours `.not`.
 */
import { baseExpect } from './playwright.ts';
import type { SpanRecord } from '../shared/span-record.ts';
import { buildSpanTrees, formatSpanTrees } from '../shared/span-tree.ts';
import { findSecrets, maskSecrets } from './secrets.ts';
import { findTreeMismatches, formatExpectation, type SpanExpectation, type TreeMismatch } from './span-matcher.ts';
import { parseTreeText } from './tree-text.ts';

/** What the matchers accept: a span list, a trace holding one, or a list of traces (`settle()`'s result). */
export type SpansLike = readonly SpanRecord[] | { spans: readonly SpanRecord[] } | ReadonlyArray<{ spans: readonly SpanRecord[] }>;

/** Options of `toHaveSpanTree`, for the text form and the object form alike. */
export interface SpanTreeOptions {
  /**
   * Match children in start-time order at every level (a node's own `ordered` wins in the object form).
   * @default false
   */
  ordered?: boolean;
}

function spansOf(received: SpansLike): readonly SpanRecord[] {
  if (Array.isArray(received)) {
    const list = received as ReadonlyArray<SpanRecord | { spans?: unknown }>;
    return list.every((item) => Array.isArray((item as { spans?: unknown }).spans))
      ? (list as ReadonlyArray<{ spans: SpanRecord[] }>).flatMap((trace) => trace.spans)
      : (list as readonly SpanRecord[]);
  }
  const spans = (received as { spans?: unknown }).spans;
  if (Array.isArray(spans)) return spans as SpanRecord[];
  throw new TypeError(`expected a span list, a trace with "spans" or a list of traces, got ${typeof received}`);
}

function withOrder(tree: SpanExpectation, ordered: boolean): SpanExpectation {
  return { ...tree, ordered: tree.ordered ?? ordered, ...(tree.children ? { children: tree.children.map((child) => withOrder(child, ordered)) } : {}) };
}

/**
 * Matches spans against an expected tree, in the text form or as objects. Exposed for callers
 * that want the verdict without `expect`: `mismatches` is empty on a match (and `mismatch` its first).
 */
export function matchSpanTree(
  spans: readonly SpanRecord[],
  expected: string | SpanExpectation,
  options: SpanTreeOptions = {},
): { mismatch?: TreeMismatch; mismatches: TreeMismatch[]; roots: number; tree: SpanExpectation } {
  const parsed = typeof expected === 'string' ? parseTreeText(expected) : expected;
  const tree = options.ordered === undefined ? parsed : withOrder(parsed, options.ordered);
  const roots = buildSpanTrees(spans);
  if (roots.length !== 1) return { roots: roots.length, tree, mismatches: [] };
  const names = new Map(spans.map((span) => [span.spanId, span.name]));
  const mismatches = findTreeMismatches(roots[0]!, tree, names);
  return { roots: 1, tree, mismatches, ...(mismatches[0] ? { mismatch: mismatches[0] } : {}) };
}

export const expect = baseExpect.extend({
  /**
   * Passes when the spans form exactly one tree whose root matches `expected`, with each
   * expected child under its expected parent. Extra spans are allowed; sibling order is not
   * checked unless `ordered: true` (in `options`, or on a node of the object form). `expected`
   * is the indented text form or an object tree; `*` is any name in both. A failure lists every
   * mismatch it can tell apart.
   */
  toHaveSpanTree(received: SpansLike, expected: string | SpanExpectation, options: SpanTreeOptions = {}) {
    const name = 'toHaveSpanTree';
    const spans = spansOf(received);
    const { mismatches, roots, tree } = matchSpanTree(spans, expected, options);
    const pass = roots === 1 && mismatches.length === 0;
    const actual = formatSpanTrees(buildSpanTrees(spans));
    const why =
      roots !== 1
        ? [`expected one tree, found ${roots} roots (a parent span is missing, or spans of several traces were passed)`]
        : mismatches.map((mismatch) => `${mismatch.path}: ${mismatch.reason}`);
    const message = () =>
      [
        this.utils.matcherHint(name, 'trace', 'expected', { isNot: this.isNot }),
        '',
        this.isNot
          ? 'Expected the trace not to match the tree, but it does.'
          : why.length === 1
            ? `Difference: ${why[0]}`
            : `${why.length} differences:\n${why.map((line) => `- ${line}`).join('\n')}`,
        '',
        this.isNot || mismatches.length === 0 ? 'Expected tree:' : 'Expected tree (<-- marks each span not found):',
        formatExpectation(tree, mismatches),
        '',
        'Actual trace (role: name [kind] +start duration):',
        actual,
      ].join('\n');
    return { pass, message, name, expected: formatExpectation(tree), actual };
  },

  /**
   * Passes when none of `secrets` (substrings, or RegExps) appears anywhere in the spans: names,
   * attribute keys and values, status messages, events and links. The failure output masks every
   * secret (first two characters and the length), so a leak does not reach the log.
   */
  toBeFreeOfSecrets(received: SpansLike, secrets: ReadonlyArray<string | RegExp>) {
    const name = 'toBeFreeOfSecrets';
    const spans = spansOf(received);
    const hits = findSecrets(spans, secrets);
    const pass = hits.length === 0;
    const which = (secret: string) => `secret #${secrets.findIndex((s) => String(s) === secret) + 1}`;
    const message = () =>
      maskSecrets(
        [
          this.utils.matcherHint(name, 'spans', 'secrets', { isNot: this.isNot }),
          '',
          this.isNot
            ? `Expected one of ${secrets.length} secret(s) in the ${spans.length} span(s), found none.`
            : `Found ${hits.length} secret occurrence(s):\n${hits.map((h) => `- ${which(h.secret)} in span ${JSON.stringify(h.span)} (${h.spanId}) ${h.field}: ${h.masked}`).join('\n')}`,
          '',
          'Trace:',
          formatSpanTrees(buildSpanTrees(spans)),
        ].join('\n'),
        secrets,
      );
    return { pass, message, name };
  },
});
