/**
 * The await transform: rewrites an app module so that the OpenTelemetry context active before each
 * native `await` is active again when the continuation resumes, and cleared when it suspends or
 * returns. Nothing is lowered: the output keeps native async/await. The helpers it calls live in
 * client/await-runtime.ts (see there for the model); this file only places the calls.
 *
 * - `await x` → `__ftF(await __ftF(x))` (leave, then resume with the settled value)
 * - an async function with an await gets `const __ftF = __ftFrame(); try { … } finally { __ftF() }`
 * - `for await (v of it) body` → `{ for await (v of __ftF.i(it)) body; __ftF.e() }`, with the
 *   frame from `__ftFrame.g()`
 * - `yield v` in an async generator → `yield __ftF.y(v)`
 * - a tail await (see {@link isTailAwait}) is left alone, and a function with only those gets no frame
 *
 * One default import and a frame that is a function keep the output small
 * (`client.await_transform.bytes_ratio`): a minifier renames a default import's binding to one
 * letter, where a named one keeps `{frame as …}`, and `f(x)` is shorter than `f.l(x)`.
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

/**
 * Whether the continuation after `node` (an await) runs none of the app's code: the await, read
 * through property accesses at most, is what the function returns, or the last statement of its
 * body. Such an await needs no context back, and a function whose awaits are all like this needs
 * no frame (`async () => (await api('/rooms')).rooms`). `path` is the nodes from the function down
 * to the await's parent. No try, loop or switch may sit between: their handlers, iterator
 * `return()` and later cases are code that runs after it.
 */
function isTailAwait(node: Node, path: readonly Node[]): boolean {
  const fn = path[0] as FunctionNode;
  let value = node;
  let at = path.length - 1;
  while (at > 0) {
    const parent = path[at]!;
    const read = parent.type === 'MemberExpression' && parent['object'] === value && (!parent['computed'] || (parent['property'] as Node).type === 'Literal');
    if (!read && !(parent.type === 'ChainExpression' && parent['expression'] === value)) break;
    value = parent;
    at--;
  }
  if (at === 0) return fn.body === value;
  const statement = path[at]!;
  const isReturn = statement.type === 'ReturnStatement' && statement['argument'] === value;
  if (!isReturn && !(statement.type === 'ExpressionStatement' && statement['expression'] === node)) return false;
  // Up to the function body: blocks and ifs only; a bare `await x;` must be last at every level.
  for (let child = statement, up = at - 1; up >= 0; child = path[up]!, up--) {
    const parent = path[up]!;
    if (parent === fn) return true;
    if (parent.type === 'IfStatement') continue;
    if (parent.type !== 'BlockStatement') return false;
    const body = parent['body'] as Node[];
    if (!isReturn && body[body.length - 1] !== child) return false;
  }
  return false;
}

/** What {@link framedFunctions} knows of a function that needs a frame. */
interface Framed {
  /** Whether the frame needs the loop helpers (`for await`, or `yield` in an async generator). */
  loop: boolean;
  /** Where the function's first own `await`, `for await` or `yield` starts. */
  first: number;
}

/**
 * The async functions that need a frame: those whose own body (not a nested function's) has an
 * await that is not a tail await, or a `for await`.
 */
function framedFunctions(program: Node): Map<Node, Framed> {
  const needsFrame = new Set<Node>();
  const seen = new Map<Node, Framed>();
  // `path` runs from the innermost enclosing function to the node's parent.
  const visit = (node: Node, path: Node[]) => {
    const fn = path[0] as FunctionNode | undefined;
    if (fn?.async) {
      const forAwait = node.type === 'ForOfStatement' && node['await'] === true;
      const yields = fn.generator && node.type === 'YieldExpression';
      if (forAwait || (node.type === 'AwaitExpression' && !isTailAwait(node, path))) needsFrame.add(fn);
      if (forAwait || yields || node.type === 'AwaitExpression') {
        const known = seen.get(fn) ?? { loop: false, first: node.start };
        seen.set(fn, { loop: known.loop || forAwait || yields, first: Math.min(known.first, node.start) });
      }
    }
    if (isFunction(node)) {
      for (const child of children(node)) visit(child, [node]);
      return;
    }
    path.push(node);
    for (const child of children(node)) visit(child, path);
    path.pop();
  };
  visit(program, []);
  return new Map([...needsFrame].map((fn) => [fn, seen.get(fn)!]));
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
    if (isFunction(node) && framed.has(node)) wrapBody(node, framed.get(node)!);
    else if (inFrame && node.type === 'AwaitExpression') {
      const argument = node['argument'] as Node;
      open(node.start, `${FRAME}(`);
      open(argument.start, `${FRAME}(`);
      close(node.end, ')');
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

  function wrapBody(fn: FunctionNode, { loop, first }: Framed): void {
    const declare = `const ${FRAME}=${NEW_FRAME}${loop ? '.g' : ''}();`;
    const prologue = `${declare}try{`;
    const epilogue = `}finally{${FRAME}()}`;
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
    // A body that ends in a `try` without `finally` which holds every suspension (the common
    // `try { await … } catch …`) takes the exit as that try's `finally`: nothing before it has
    // resumed, so nothing there needs the exit. Five bytes less per function.
    const last = statements.at(-1);
    if (last?.type === 'TryStatement' && !last['finalizer'] && first >= last.start) {
      open(at, declare);
      close(last.end, `finally{${FRAME}()}`);
      return;
    }
    open(at, prologue);
    close(body.end - 1, epilogue);
  }

  visit(program, undefined, undefined);
  s.prepend(`import ${NEW_FRAME} from ${JSON.stringify(runtime)};\n`);
  return { code: s.toString(), map: s.generateMap({ hires: 'boundary', source: id, includeContent: true }) };
}
