/**
 * The await transform: rewrites an app module so that the OpenTelemetry context active before each
 * native `await` is active again when the continuation resumes, and cleared when it suspends or
 * returns. Nothing is lowered: the output keeps native async/await. The helpers it calls live in
 * client/await-runtime.ts (see there for the model); this file only places the calls.
 *
 * - `await x` → `(await __ftF.l(x))()` (leave; the settled thunk resumes, then gives the value)
 * - an async function with an await gets `const __ftF = __ftFrame(); try { … } finally { __ftF.x() }`
 * - `for await (v of it) body` → `{ for await (v of __ftF.i(it)) body; __ftF.e() }`
 * - `yield v` in an async generator → `yield __ftF.y(v)`
 *
 * One default import and one-letter methods keep the output small (`client.await_transform.bytes_ratio`):
 * a minifier renames a default import's binding to one letter, where a named one keeps `{frame as …}`.
 *
 * Top-level `await` is left alone: a module body resumes with no flow active anyway. The technique
 * is Nuxt's unctx `withAsyncContext`; the code is ours. Parsing is Vite's own (`parseAst`, oxc),
 * the edits go through magic-string for an exact source map.
 */
import { MagicString } from 'magic-string';
import { parseAst } from 'vite';

/** The names the transform declares in a module; a module that already uses one is left alone. */
const FRAME = '__ftF';
const NEW_FRAME = '__ftFrame';

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

type FunctionNode = Node & { async: boolean; generator: boolean; body: Node; expression?: boolean };

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';

const isFunction = (node: Node): node is FunctionNode =>
  node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';

function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const key in node) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    const value = node[key];
    if (Array.isArray(value)) out.push(...value.filter(isNode));
    else if (isNode(value)) out.push(value);
  }
  return out;
}

/** The async functions whose body awaits (directly, not in a nested function): they get a frame. */
function framedFunctions(program: Node): Set<Node> {
  const framed = new Set<Node>();
  const visit = (node: Node, fn: FunctionNode | undefined) => {
    if (fn?.async && (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node['await'] === true))) framed.add(fn);
    for (const child of children(node)) visit(child, isFunction(node) ? node : fn);
  };
  visit(program, undefined);
  return framed;
}

/** Result of {@link transformAwait}: code and source map, or `undefined` when nothing changed. */
export interface AwaitTransformResult {
  code: string;
  map: ReturnType<MagicString['generateMap']>;
}

/**
 * Transforms `code` (JavaScript, TypeScript already stripped). Returns `undefined` when the module
 * has nothing to transform.
 * @param runtime the import specifier of client/await-runtime.ts
 * @throws the parser's error when `code` does not parse (the plugin warns and leaves it as is)
 */
export function transformAwait(code: string, id: string, runtime: string): AwaitTransformResult | undefined {
  if (!/\bawait\b/.test(code) || !/\basync\b/.test(code)) return undefined;
  if (code.includes(FRAME)) return undefined;
  const program = parseAst(code, { lang: 'js' }) as unknown as Node;
  const framed = framedFunctions(program);
  if (framed.size === 0) return undefined;
  const s = new MagicString(code);
  // Starts are appended right of their position (outer first), ends prepended left (inner first),
  // visiting outer before inner: nested edits at one position close in the right order.
  const open = (at: number, text: string) => s.appendRight(at, text);
  const close = (at: number, text: string) => s.prependLeft(at, text);

  const visit = (node: Node, parent: Node | undefined, fn: FunctionNode | undefined) => {
    const inFrame = fn !== undefined && framed.has(fn);
    if (isFunction(node) && framed.has(node)) wrapBody(node);
    else if (inFrame && node.type === 'AwaitExpression') {
      const argument = node['argument'] as Node;
      open(node.start, '(');
      open(argument.start, `${FRAME}.l(`);
      // Both ends are one position; the later prepend lands first: `x` + `)` + `)()`.
      close(node.end, ')()');
      close(argument.end, ')');
    } else if (inFrame && node.type === 'ForOfStatement' && node['await'] === true) {
      const right = node['right'] as Node;
      open(right.start, `${FRAME}.i(`);
      close(right.end, ')');
      // The whole statement, label included, becomes a block ending with the loop's resume.
      const statement = parent?.type === 'LabeledStatement' ? outermostLabel(parent) : node;
      open(statement.start, '{');
      close(statement.end, `;${FRAME}.e()}`);
    } else if (inFrame && node.type === 'YieldExpression' && fn.generator && node['argument'] && !node['delegate']) {
      const argument = node['argument'] as Node;
      open(argument.start, `${FRAME}.y(`);
      close(argument.end, ')');
    }
    for (const child of children(node)) visit(child, node, isFunction(node) ? node : fn);
  };

  const labels = new Map<Node, Node>();
  const outermostLabel = (label: Node): Node => labels.get(label) ?? label;
  const collectLabels = (node: Node, parent: Node | undefined) => {
    if (node.type === 'LabeledStatement') labels.set(node, parent?.type === 'LabeledStatement' ? outermostLabel(parent) : node);
    for (const child of children(node)) collectLabels(child, node);
  };
  collectLabels(program, undefined);

  function wrapBody(fn: FunctionNode): void {
    const prologue = `const ${FRAME}=${NEW_FRAME}();try{`;
    const epilogue = `}finally{${FRAME}.x()}`;
    const body = fn.body;
    if (body.type !== 'BlockStatement') {
      // `async (x) => expr`: the body starts after `=>` (an object body sits in parentheses).
      const arrow = code.lastIndexOf('=>', body.start);
      open(arrow + 2, `{${prologue}return `);
      close(fn.end, `${epilogue}}`);
      return;
    }
    const statements = body['body'] as Node[];
    let at = body.start + 1;
    for (const statement of statements) {
      if (statement['directive'] === undefined) break;
      at = statement.end;
    }
    open(at, prologue);
    close(body.end - 1, epilogue);
  }

  visit(program, undefined, undefined);
  s.prepend(`import ${NEW_FRAME} from ${JSON.stringify(runtime)};\n`);
  return { code: s.toString(), map: s.generateMap({ hires: 'boundary', source: id, includeContent: true }) };
}
