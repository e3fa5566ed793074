/**
 * Playwright matchers for traces, added with `expect.extend`. Each takes a trace's spans (or
 * anything with `spans`, such as a settled trace) and honours `.not`.
 */
import { baseExpect } from './playwright.ts';
import type { SpanRecord } from '../shared/span-record.ts';
import { buildSpanTrees, formatSpanTrees } from '../shared/span-tree.ts';
import { findSecrets } from './secrets.ts';
import { findTreeMismatch, formatExpectation, type SpanExpectation, type TreeMismatch } from './span-matcher.ts';
import { parseTreeText } from './tree-text.ts';

/** What the matchers accept: a span list or a trace holding one. */
export type SpansLike = readonly SpanRecord[] | { spans: readonly SpanRecord[] };

function spansOf(received: SpansLike): readonly SpanRecord[] {
  if (Array.isArray(received)) return received;
  const spans = (received as { spans?: unknown }).spans;
  if (Array.isArray(spans)) return spans as SpanRecord[];
  throw new TypeError(`expected a span list or a trace with "spans", got ${typeof received}`);
}

/**
 * Matches spans against an expected tree, in the text form or as objects. Exposed for callers
 * that want the verdict without `expect` (returns `undefined` on a match).
 */
export function matchSpanTree(spans: readonly SpanRecord[], expected: string | SpanExpectation): { mismatch?: TreeMismatch; roots: number; tree: SpanExpectation } {
  const tree = typeof expected === 'string' ? parseTreeText(expected) : expected;
  const roots = buildSpanTrees(spans);
  if (roots.length !== 1) return { roots: roots.length, tree };
  const names = new Map(spans.map((span) => [span.spanId, span.name]));
  const mismatch = findTreeMismatch(roots[0]!, tree, names);
  return { roots: 1, tree, ...(mismatch ? { mismatch } : {}) };
}

export const expect = baseExpect.extend({
  /**
   * Passes when the spans form exactly one tree whose root matches `expected`, with each
   * expected child under its expected parent. Extra spans are allowed; sibling order is not
   * checked unless `ordered: true`. `expected` is the indented text form or an object tree.
   */
  toHaveSpanTree(received: SpansLike, expected: string | SpanExpectation) {
    const name = 'toHaveSpanTree';
    const spans = spansOf(received);
    const { mismatch, roots, tree } = matchSpanTree(spans, expected);
    const pass = roots === 1 && !mismatch;
    const actual = formatSpanTrees(buildSpanTrees(spans));
    const why =
      roots !== 1
        ? `expected one tree, found ${roots} roots (a parent span is missing, or spans of several traces were passed)`
        : mismatch
          ? `${mismatch.path}: ${mismatch.reason}`
          : '';
    const message = () =>
      [
        this.utils.matcherHint(name, 'trace', 'expected', { isNot: this.isNot }),
        '',
        this.isNot ? 'Expected the trace not to match the tree, but it does.' : `Difference: ${why}`,
        '',
        this.isNot || !mismatch ? 'Expected tree:' : 'Expected tree (<-- marks the first span not found):',
        formatExpectation(tree, mismatch && { at: mismatch.at, note: mismatch.reason }),
        '',
        'Actual trace (role: name [kind] +start duration):',
        actual,
      ].join('\n');
    return { pass, message, name, expected: formatExpectation(tree), actual };
  },

  /**
   * Passes when none of `secrets` (substrings, or RegExps) appears anywhere in the spans: names,
   * attribute keys and values, status messages, events and links.
   */
  toBeFreeOfSecrets(received: SpansLike, secrets: ReadonlyArray<string | RegExp>) {
    const name = 'toBeFreeOfSecrets';
    const spans = spansOf(received);
    const hits = findSecrets(spans, secrets);
    const pass = hits.length === 0;
    const message = () =>
      [
        this.utils.matcherHint(name, 'spans', 'secrets', { isNot: this.isNot }),
        '',
        this.isNot
          ? `Expected a secret in the ${spans.length} span(s), found none of ${secrets.map(String).join(', ')}.`
          : `Found ${hits.length} secret occurrence(s):\n${hits.map((h) => `- ${h.secret} in span ${JSON.stringify(h.span)} (${h.spanId}) ${h.field}: ${JSON.stringify(h.value)}`).join('\n')}`,
        '',
        'Trace:',
        formatSpanTrees(buildSpanTrees(spans)),
      ].join('\n');
    return { pass, message, name };
  },
});
