/**
 * Reduces SQL to what the database semantic conventions allow in `db.query.text` and derives the
 * operation and collection names for the span name `{db.operation.name} {db.collection.name}`.
 * See https://opentelemetry.io/docs/specs/semconv/database/database-spans/
 */

// Order matters: strings first so a quote inside a number-like token is not split.
const LITERALS = [
  /'(?:[^']|'')*'/g, // string literals, '' is an escaped quote
  /\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, // dollar-quoted strings
  /\b0x[0-9a-f]+\b/gi,
  /(?<![\w$.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi, // numbers that are not part of an identifier or $1
];

/** Replaces literal values with `?`. Parameter placeholders such as `$1` are kept. */
export function sanitizeQueryText(sql: string): string {
  let text = sql;
  for (const pattern of LITERALS) text = text.replace(pattern, '?');
  return text.replace(/\s+/g, ' ').trim();
}

export interface QuerySummary {
  operation?: string;
  collection?: string;
}

const IDENT = String.raw`((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?)`;
const SHAPES: Array<[RegExp, string]> = [
  [new RegExp(String.raw`^\s*insert\s+into\s+${IDENT}`, 'i'), 'INSERT'],
  [new RegExp(String.raw`^\s*update\s+(?:only\s+)?${IDENT}`, 'i'), 'UPDATE'],
  [new RegExp(String.raw`^\s*delete\s+from\s+(?:only\s+)?${IDENT}`, 'i'), 'DELETE'],
  [new RegExp(String.raw`^\s*select\b[\s\S]*?\bfrom\s+${IDENT}`, 'i'), 'SELECT'],
  [new RegExp(String.raw`^\s*create\s+table\s+(?:if\s+not\s+exists\s+)?${IDENT}`, 'i'), 'CREATE TABLE'],
];

/** Finds the operation and the main table of a single SQL statement, where it can tell. */
export function summarizeQuery(sql: string): QuerySummary {
  for (const [pattern, operation] of SHAPES) {
    const match = pattern.exec(sql);
    if (match?.[1]) return { operation, collection: match[1].replaceAll('"', '') };
  }
  const keyword = /^\s*([a-z]+)/i.exec(sql)?.[1];
  return keyword ? { operation: keyword.toUpperCase() } : {};
}
