/**
 * Matching an expected span tree against a stored trace. Expected trees are partial: named
 * fields must match, unnamed ones are free, extra actual spans are allowed, and sibling order is
 * ignored. Each expected child must match a *direct* child, so wrong parentage fails.
 */
import { spanRole, type AttributeValue, type SpanKindName, type SpanRecord, type SpanRole, type StatusCodeName } from '../shared/span-record.ts';
import type { SpanNode } from '../shared/span-tree.ts';

/** What an attribute must be: a value, a pattern for its string form, or a predicate. */
export type AttributeExpectation = AttributeValue | RegExp | ((value: AttributeValue | undefined) => boolean);

/** One expected span and, optionally, its expected children. */
export interface SpanExpectation {
  name?: string | RegExp;
  kind?: SpanKindName;
  /** `browser`, `server` or `db`. */
  role?: SpanRole;
  status?: StatusCodeName;
  attributes?: Record<string, AttributeExpectation>;
  children?: SpanExpectation[];
}

function attributeMatches(expected: AttributeExpectation, actual: AttributeValue | undefined): boolean {
  if (typeof expected === 'function') return expected(actual);
  if (expected instanceof RegExp) return actual !== undefined && expected.test(String(actual));
  return JSON.stringify(expected) === JSON.stringify(actual);
}

/** Why one span does not match an expectation, ignoring children; `undefined` when it does. */
export function spanMismatch(span: SpanRecord, expected: SpanExpectation): string | undefined {
  const { name, kind, role, status, attributes = {} } = expected;
  if (typeof name === 'string' && span.name !== name) return `name is ${JSON.stringify(span.name)}, expected ${JSON.stringify(name)}`;
  if (name instanceof RegExp && !name.test(span.name)) return `name ${JSON.stringify(span.name)} does not match ${name}`;
  if (kind && span.kind !== kind) return `kind is ${span.kind}, expected ${kind}`;
  if (role && spanRole(span) !== role) return `role is ${spanRole(span)}, expected ${role}`;
  if (status && span.status.code !== status) return `status is ${span.status.code}, expected ${status}`;
  for (const [key, want] of Object.entries(attributes)) {
    const got = span.attributes[key];
    if (!attributeMatches(want, got)) {
      return `attribute ${key} is ${JSON.stringify(got)}, expected ${want instanceof RegExp || typeof want === 'function' ? String(want) : JSON.stringify(want)}`;
    }
  }
  return undefined;
}

/** Describes an expectation in one line, for messages. */
export function describeExpectation(expected: SpanExpectation): string {
  const parts = [
    expected.role ? `${expected.role}:` : '',
    expected.name === undefined ? '*' : String(expected.name),
    expected.kind ? `[${expected.kind}]` : '',
    expected.status ? `status=${expected.status}` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/**
 * Whether `node` matches `expected` with every expected child matched by a distinct direct child.
 * Returns `undefined` on a match, else the deepest reason it fails.
 */
export function treeMismatch(node: SpanNode, expected: SpanExpectation, path = describeExpectation(expected)): string | undefined {
  const own = spanMismatch(node.span, expected);
  if (own) return `${path}: ${own}`;
  const wanted = expected.children ?? [];
  let deepest: string | undefined;
  const used = new Set<SpanNode>();
  // Backtracking assignment of expected children to distinct actual children (trees are small).
  const assign = (i: number): boolean => {
    if (i === wanted.length) return true;
    const want = wanted[i]!;
    const childPath = `${path} > ${describeExpectation(want)}`;
    for (const child of node.children) {
      if (used.has(child)) continue;
      const reason = treeMismatch(child, want, childPath);
      if (reason) {
        if (!deepest || reason.length > deepest.length) deepest = reason;
        continue;
      }
      used.add(child);
      if (assign(i + 1)) return true;
      used.delete(child);
    }
    if (node.children.length === 0) deepest ??= `${childPath}: ${JSON.stringify(node.span.name)} has no children`;
    else deepest ??= `${childPath}: no unmatched child of ${JSON.stringify(node.span.name)} fits`;
    return false;
  };
  return assign(0) ? undefined : deepest;
}

/** Renders an expectation tree as indented text. */
export function formatExpectation(expected: SpanExpectation, depth = 0): string {
  const line = `${'  '.repeat(depth)}${describeExpectation(expected)}`;
  return [line, ...(expected.children ?? []).map((child) => formatExpectation(child, depth + 1))].join('\n');
}
