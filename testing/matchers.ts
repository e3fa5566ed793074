/**
 * Playwright matchers for traces, added with `expect.extend`.
 */
import { expect as baseExpect } from '@playwright/test';
import type { SpanRecord } from '../shared/span-record.ts';
import { buildSpanTrees, formatSpanTrees } from '../shared/span-tree.ts';
import { formatExpectation, treeMismatch, type SpanExpectation } from './span-matcher.ts';

export const expect = baseExpect.extend({
  /**
   * Passes when the spans form exactly one tree whose root matches `expected`, with each
   * expected child under its expected parent. Extra spans are allowed; sibling order is not checked.
   */
  toHaveSpanTree(spans: readonly SpanRecord[], expected: SpanExpectation) {
    const name = 'toHaveSpanTree';
    const roots = buildSpanTrees(spans);
    let reason: string | undefined;
    if (roots.length !== 1) reason = `expected one tree, found ${roots.length} roots (a parent is missing or a trace broke)`;
    else reason = treeMismatch(roots[0]!, expected);
    const pass = reason === undefined;
    const message = () =>
      [
        this.utils.matcherHint(name, 'trace', 'expected', { isNot: this.isNot }),
        '',
        this.isNot ? 'Expected the trace not to match:' : `Mismatch: ${reason}`,
        '',
        'Expected tree:',
        formatExpectation(expected),
        '',
        'Actual trace:',
        formatSpanTrees(roots),
      ].join('\n');
    return { pass, message, name, expected, actual: formatSpanTrees(roots) };
  },
});
