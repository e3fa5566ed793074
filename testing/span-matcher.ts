/**
 * Matching an expected span tree against a stored trace. Expected trees are partial: named
 * fields must match, unnamed ones are free, extra actual spans are allowed, and sibling order is
 * ignored unless `ordered` is set. Each expected child must match a *direct* child, so wrong
 * parentage fails.
 */
import { spanRole, type AttributeValue, type SpanKindName, type SpanLinkRecord, type SpanRecord, type SpanRole, type StatusCodeName } from '../shared/span-record.ts';
import type { SpanNode } from '../shared/span-tree.ts';

/** What an attribute must be: a value, a pattern for its string form, or a predicate. */
export type AttributeExpectation = AttributeValue | RegExp | ((value: AttributeValue | undefined) => boolean);

/** One expected link of a span (trust policy `link`, WebSocket producer/consumer...). */
export interface LinkExpectation {
  traceId?: string | RegExp;
  spanId?: string | RegExp;
  /** Name of the linked span, when it is among the spans asserted on. */
  toSpan?: string | RegExp;
  attributes?: Record<string, AttributeExpectation>;
}

/** One expected span and, optionally, its expected children. */
export interface SpanExpectation {
  /** Exact text, a RegExp, or `'*'` for any name (as in the text form; `/^\*$/` for a literal `*`). */
  name?: string | RegExp;
  kind?: SpanKindName;
  /** `browser`, `server` or `db`. */
  role?: SpanRole;
  /** `service.name` of the process that recorded the span. */
  service?: string | RegExp;
  status?: StatusCodeName;
  attributes?: Record<string, AttributeExpectation>;
  /** Event names the span must have (each matched by some event). */
  events?: Array<string | RegExp>;
  /** Links the span must have, each matched by a distinct link; `[]` asserts it has none. */
  links?: LinkExpectation[];
  children?: SpanExpectation[];
  /** Match `children` in start-time order instead of in any order. @default false */
  ordered?: boolean;
}

/** Where and why a tree does not match. */
export interface TreeMismatch {
  /** The expectation that found no matching span. */
  at: SpanExpectation;
  /** `root > child > …` path to it. */
  path: string;
  reason: string;
}

const text = (pattern: string | RegExp, value: string) => (typeof pattern === 'string' ? pattern === value : pattern.test(value));

function show(expected: AttributeExpectation): string {
  if (expected instanceof RegExp) return String(expected);
  if (typeof expected === 'function') return `a value passing ${expected.name || 'the predicate'}`;
  return JSON.stringify(expected);
}

function attributeMatches(expected: AttributeExpectation, actual: AttributeValue | undefined): boolean {
  if (typeof expected === 'function') return expected(actual);
  if (expected instanceof RegExp) return actual !== undefined && expected.test(String(actual));
  return JSON.stringify(expected) === JSON.stringify(actual);
}

function attributesMismatch(expected: Record<string, AttributeExpectation>, actual: SpanRecord['attributes'], what: string): string | undefined {
  for (const [key, want] of Object.entries(expected)) {
    if (!attributeMatches(want, actual[key])) return `${what}${key} is ${JSON.stringify(actual[key])}, expected ${show(want)}`;
  }
  return undefined;
}

function linkMatches(link: SpanLinkRecord, want: LinkExpectation, names: ReadonlyMap<string, string>): boolean {
  if (want.traceId !== undefined && !text(want.traceId, link.traceId)) return false;
  if (want.spanId !== undefined && !text(want.spanId, link.spanId)) return false;
  if (want.toSpan !== undefined && !text(want.toSpan, names.get(link.spanId) ?? '')) return false;
  return attributesMismatch(want.attributes ?? {}, link.attributes, '') === undefined;
}

function linksMismatch(span: SpanRecord, wanted: LinkExpectation[], names: ReadonlyMap<string, string>): string | undefined {
  if (wanted.length === 0) return span.links.length ? `has ${span.links.length} link(s), expected none` : undefined;
  const free = [...span.links];
  for (const [i, want] of wanted.entries()) {
    const found = free.findIndex((link) => linkMatches(link, want, names));
    if (found < 0) {
      const have = span.links.map((l) => `${names.get(l.spanId) ?? l.spanId} ${JSON.stringify(l.attributes)}`).join('; ') || 'none';
      return `link #${i + 1} ${JSON.stringify({ ...want, toSpan: want.toSpan && String(want.toSpan) })} not found (links: ${have})`;
    }
    free.splice(found, 1);
  }
  return undefined;
}

/**
 * Why one span does not match an expectation, ignoring children; `undefined` when it does.
 * @param names - span id to name, to resolve `links[].toSpan`.
 */
export function spanMismatch(span: SpanRecord, expected: SpanExpectation, names: ReadonlyMap<string, string> = new Map()): string | undefined {
  const { name, kind, role, service, status, attributes = {}, events, links } = expected;
  if (name !== undefined && name !== '*' && !text(name, span.name)) return `name is ${JSON.stringify(span.name)}, expected ${typeof name === 'string' ? JSON.stringify(name) : String(name)}`;
  if (kind && span.kind !== kind) return `kind is ${span.kind}, expected ${kind}`;
  if (role && spanRole(span) !== role) return `role is ${spanRole(span)}, expected ${role}`;
  if (service !== undefined && !text(service, span.service)) return `service is ${JSON.stringify(span.service)}, expected ${String(service)}`;
  if (status && span.status.code !== status) return `status is ${span.status.code}, expected ${status}`;
  const attribute = attributesMismatch(attributes, span.attributes, 'attribute ');
  if (attribute) return attribute;
  for (const event of events ?? []) {
    if (!span.events.some((e) => text(event, e.name))) {
      return `has no event ${String(event)} (events: ${span.events.map((e) => e.name).join(', ') || 'none'})`;
    }
  }
  return links ? linksMismatch(span, links, names) : undefined;
}

/** Describes an expectation in one line of the text form (see `tree-text.ts`). */
export function describeExpectation(expected: SpanExpectation): string {
  const name = expected.name === undefined || expected.name === '*' ? '*' : String(expected.name);
  const attributes = Object.entries(expected.attributes ?? {}).map(([key, value]) => `${key}=${typeof value === 'function' ? '(predicate)' : value instanceof RegExp ? String(value) : JSON.stringify(value)}`);
  const parts = [
    expected.role ? `${expected.role}: ${name}` : name,
    expected.kind ? `[${expected.kind}]` : '',
    expected.status ? `status=${expected.status}` : '',
    attributes.length ? `{${attributes.join(', ')}}` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

function deeper(a: TreeMismatch | undefined, b: TreeMismatch): TreeMismatch {
  return !a || b.path.split(' > ').length > a.path.split(' > ').length ? b : a;
}

/**
 * Whether `node` matches `expected` with every expected child matched by a distinct direct child.
 * Returns `undefined` on a match, else the deepest point where matching failed.
 */
export function findTreeMismatch(
  node: SpanNode,
  expected: SpanExpectation,
  names: ReadonlyMap<string, string> = new Map(),
  path = describeExpectation(expected),
): TreeMismatch | undefined {
  const own = spanMismatch(node.span, expected, names);
  if (own) return { at: expected, path, reason: own };
  const wanted = expected.children ?? [];
  let deepest: TreeMismatch | undefined;
  const used = new Set<SpanNode>();
  // Backtracking assignment of expected children to distinct actual children (trees are small).
  const assign = (i: number, after: number): boolean => {
    if (i === wanted.length) return true;
    const want = wanted[i]!;
    const childPath = `${path} > ${describeExpectation(want)}`;
    let anyTried = false;
    // Failures of `want` itself, per child, and the deepest failure further down.
    const ownLevel: Array<[SpanNode, string]> = [];
    let below: TreeMismatch | undefined;
    for (const [index, child] of node.children.entries()) {
      if (used.has(child) || (expected.ordered && index <= after)) continue;
      anyTried = true;
      const miss = findTreeMismatch(child, want, names, childPath);
      if (miss) {
        if (miss.at === want) ownLevel.push([child, miss.reason]);
        else below = deeper(below, miss);
        continue;
      }
      used.add(child);
      if (assign(i + 1, index)) return true;
      used.delete(child);
    }
    if (below) deepest = deeper(deepest, below);
    else if (ownLevel.length > 0) {
      const reason = ownLevel.length === 1 ? ownLevel[0]![1] : `no child of ${JSON.stringify(node.span.name)} matches (${ownLevel.map(([c, r]) => `${JSON.stringify(c.span.name)}: ${r}`).join('; ')})`;
      deepest = deeper(deepest, { at: want, path: childPath, reason });
    }
    if (!anyTried) {
      const reason = node.children.length === 0 ? `${JSON.stringify(node.span.name)} has no children` : `no unmatched child of ${JSON.stringify(node.span.name)} left${expected.ordered ? ' in order' : ''}`;
      deepest = deeper(deepest, { at: want, path: childPath, reason });
    }
    return false;
  };
  return assign(0, -1) ? undefined : deepest;
}

/**
 * Every mismatch that can be told apart in one run: each expected child that no actual child
 * matches is reported on its own (under the closest candidate), not only the first. Empty on a
 * match. When the children match one by one but not all at once (two expected spans want the
 * same actual one, or `ordered`), the one mismatch of {@link findTreeMismatch} is reported.
 */
export function findTreeMismatches(
  node: SpanNode,
  expected: SpanExpectation,
  names: ReadonlyMap<string, string> = new Map(),
  path = describeExpectation(expected),
): TreeMismatch[] {
  const first = findTreeMismatch(node, expected, names, path);
  if (!first) return [];
  if (first.at === expected) return [first];
  const found: TreeMismatch[] = [];
  for (const want of expected.children ?? []) {
    const childPath = `${path} > ${describeExpectation(want)}`;
    const misses = node.children.map((child) => ({ child, miss: findTreeMismatch(child, want, names, childPath) }));
    if (misses.some(({ miss }) => !miss)) continue;
    // A child whose own fields match is the closest candidate: report what is wrong below it.
    const candidate = misses.find(({ miss }) => miss!.at !== want);
    if (candidate) found.push(...findTreeMismatches(candidate.child, want, names, childPath));
    else {
      const reasons = misses.map(({ child, miss }) => `${JSON.stringify(child.span.name)}: ${miss!.reason}`);
      const reason =
        node.children.length === 0
          ? `${JSON.stringify(node.span.name)} has no children`
          : reasons.length === 1
            ? misses[0]!.miss!.reason
            : `no child of ${JSON.stringify(node.span.name)} matches (${reasons.join('; ')})`;
      found.push({ at: want, path: childPath, reason });
    }
  }
  return found.length > 0 ? found : [first];
}

/** Renders an expectation tree as indented text, marking each mismatch's expectation with its reason. */
export function formatExpectation(expected: SpanExpectation, marks: readonly TreeMismatch[] = [], depth = 0): string {
  const notes = marks.filter((mark) => mark.at === expected).map((mark) => mark.reason);
  const line = `${'  '.repeat(depth)}${describeExpectation(expected)}${notes.length ? `    <-- ${notes.join('; ')}` : ''}`;
  return [line, ...(expected.children ?? []).map((child) => formatExpectation(child, marks, depth + 1))].join('\n');
}
