/**
 * The compact text form of an expected span tree. One span a line, indentation = parentage:
 *
 * ```
 * browser: room.create {flowtrace.flow.outcome=ok}
 *   browser: /^POST/ [client]
 *     server: POST /api/rooms [server] {http.response.status_code=201}
 *       db: INSERT rooms
 * ```
 *
 * A line is `[role:] name [kind] [status=ok|error|unset] [{key=value, …}]`: the role is `browser`,
 * `server` or `db`; the name is exact text, `/regex/flags`, or `*` for any; attribute values are
 * JSON (`201`, `true`, `"text"`), `/regex/`, or bare text. Timings (`+1.0ms 2.5ms`) and
 * `ERROR: …` as printed in failure output are understood too, so an actual tree can be pasted.
 * Blank lines and lines starting with `#` are ignored.
 */
import type { SpanKindName, StatusCodeName } from '../shared/span-record.ts';
import type { AttributeExpectation, SpanExpectation } from './span-matcher.ts';

/** The text form could not be read; the message names the line. */
export class TreeTextError extends Error {
  override name = 'TreeTextError';
}

function pattern(text: string): string | RegExp {
  const regex = /^\/(.+)\/([dgimsuy]*)$/.exec(text);
  return regex ? new RegExp(regex[1]!, regex[2]) : text;
}

function value(text: string): AttributeExpectation {
  const trimmed = text.trim();
  if (/^\/.+\/[dgimsuy]*$/.test(trimmed)) return pattern(trimmed);
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (['string', 'number', 'boolean'].includes(typeof parsed) || Array.isArray(parsed)) return parsed as AttributeExpectation;
  } catch {
    // bare text
  }
  return trimmed;
}

function parseLine(line: string, lineNo: number): SpanExpectation {
  let rest = line.trim();
  const expectation: SpanExpectation = {};
  const braces = /\s\{(.*)\}$/.exec(rest) ?? /^\{(.*)\}$/.exec(rest);
  if (braces) {
    rest = rest.slice(0, braces.index).trim();
    expectation.attributes = {};
    for (const pair of braces[1]!.split(/,\s*(?=[\w.-]+\s*=)/)) {
      const eq = pair.indexOf('=');
      if (eq < 1) throw new TreeTextError(`line ${lineNo}: attribute ${JSON.stringify(pair)} is not key=value`);
      expectation.attributes[pair.slice(0, eq).trim()] = value(pair.slice(eq + 1));
    }
  }
  const error = /\s+ERROR(?::.*)?$/.exec(rest);
  if (error) {
    rest = rest.slice(0, error.index);
    expectation.status = 'error';
  }
  rest = rest.replace(/\s+\+-?[\d.]+ms\s+[\d.]+ms/, '');
  rest = rest.replace(/\s+status=(ok|error|unset)\b/, (_, status: StatusCodeName) => {
    expectation.status = status;
    return '';
  });
  rest = rest.replace(/(?:^|\s+)\[(internal|server|client|producer|consumer)\]/, (_, kind: SpanKindName) => {
    expectation.kind = kind;
    return '';
  });
  rest = rest.replace(/^(browser|server|db):\s*/, (_, role: 'browser' | 'server' | 'db') => {
    expectation.role = role;
    return '';
  });
  const name = rest.trim();
  if (name === '') throw new TreeTextError(`line ${lineNo}: no span name (write * for any name): ${JSON.stringify(line.trim())}`);
  if (name !== '*') expectation.name = pattern(name);
  return expectation;
}

/**
 * Reads the text form into an expectation tree with one root.
 * @throws {@link TreeTextError} naming the line that is wrong.
 */
export function parseTreeText(source: string): SpanExpectation {
  const stack: Array<{ indent: number; node: SpanExpectation }> = [];
  let root: SpanExpectation | undefined;
  for (const [i, raw] of source.split('\n').entries()) {
    if (raw.trim() === '' || raw.trim().startsWith('#')) continue;
    if (raw.includes('\t')) throw new TreeTextError(`line ${i + 1}: indent with spaces, not tabs`);
    const indent = raw.length - raw.trimStart().length;
    const node = parseLine(raw, i + 1);
    while (stack.length && stack.at(-1)!.indent >= indent) stack.pop();
    const parent = stack.at(-1);
    if (!parent) {
      if (root) throw new TreeTextError(`line ${i + 1}: a second root ${JSON.stringify(raw.trim())}; a tree has one root, indent children under it`);
      root = node;
    } else {
      (parent.node.children ??= []).push(node);
    }
    stack.push({ indent, node });
  }
  if (!root) throw new TreeTextError('the expected tree is empty');
  return root;
}
