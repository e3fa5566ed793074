/**
 * The trace viewer's pages, rendered on the server as plain HTML (no framework): a list of recent
 * traces with filters (a GET form), and one trace as a waterfall. Both keep themselves current
 * with the one small script in viewer-script.ts; without script they are static pages.
 */
import { createHash } from 'node:crypto';
import { traceTitle } from '../shared/span-label.ts';
import type { SpanRecord } from '../shared/span-record.ts';
import { buildSpanTrees, formatAssertionTree, type SpanNode } from '../shared/span-tree.ts';
import { WATERFALL_CSS } from '../shared/waterfall-css.ts';
import { escapeHtml } from '../shared/waterfall-detail.ts';
import { prepareWaterfall, renderGroupRows, renderRowChunk, renderSpanDetail, renderWaterfall } from '../shared/waterfall-html.ts';
import type { TraceQuery, TraceSummary } from './store.ts';
import { VIEWER_SCRIPT } from './viewer-script.ts';

const PAGE_CSS = `
body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#1d2330;background:#fff}
header{display:flex;align-items:center;gap:16px;padding:10px 16px;background:#111827;color:#fff}header a{color:#fff;text-decoration:none;font-weight:600}
header h1{margin:0;font-size:15px;font-weight:500;min-width:0;overflow-wrap:anywhere}
main{padding:12px 16px;min-width:0}form{display:flex;gap:8px;flex-wrap:wrap;align-items:end;margin-bottom:12px}
label{display:flex;flex-direction:column;font-size:12px;color:#4b5565}input,select{font:inherit;padding:3px 6px}
table.ft-list{border-collapse:collapse;width:100%}.ft-list th,.ft-list td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f4;font-size:13px;overflow-wrap:anywhere}
.ft-list tr.err td:first-child{border-left:3px solid #dc2626}.ft-list code{font-size:12px}
.ft-state{padding:6px 10px;border-radius:4px;margin:0 0 10px}.ft-state[data-state=complete]{background:#ecfdf5;color:#065f46}
.ft-state[data-state=open],.ft-state[data-state=waiting]{background:#fffbeb;color:#92400e}
.ft-tools{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin:0 0 10px}.ft-tools details{flex-basis:100%}
.ft-tools pre{margin:4px 0;padding:6px 8px;background:#f5f7fb;white-space:pre-wrap;overflow-wrap:anywhere;font:12px ui-monospace,monospace}
`;

function page(title: string, body: string, basePath: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escapeHtml(title)}</title><style>${PAGE_CSS}${WATERFALL_CSS}</style></head><body>` +
    `<header><a href="${basePath}/viewer">flowtrace</a><h1 id="ft-title">${escapeHtml(title)}</h1></header><main>${body}</main>${VIEWER_SCRIPT}</body></html>`
  );
}

function input(name: string, label: string, value: string | undefined): string {
  return `<label>${label}<input name="${name}" value="${escapeHtml(value ?? '')}"></label>`;
}

/**
 * `#ft-results` with a digest of its content: a live page's script compares digests, so a poll
 * that finds nothing new neither parses the page it fetched nor redraws its own.
 */
function results(live: 'list' | 'trace', content: string, attributes = ''): string {
  const digest = createHash('sha1').update(content).digest('base64url').slice(0, 16);
  return `<div id="ft-results" data-live="${live}" data-digest="${digest}"${attributes}>${content}</div>`;
}

function isFiltered(query: TraceQuery): boolean {
  return !!(query.testId || query.name || query.service || query.error !== undefined);
}

/** The list page: filters, then one row per trace, newest first. */
export function renderTraceList(summaries: TraceSummary[], query: TraceQuery, basePath: string): string {
  const errorValue = query.error === undefined ? '' : String(query.error);
  const option = (value: string, label: string) => `<option value="${value}"${errorValue === value ? ' selected' : ''}>${label}</option>`;
  const form =
    `<form method="get" action="${basePath}/viewer" aria-label="filters">` +
    input('testId', 'test id', query.testId) +
    input('name', 'flow or root name', query.name) +
    input('service', 'service', query.service) +
    `<label>status<select name="error">${option('', 'any')}${option('true', 'with errors')}${option('false', 'without errors')}</select></label>` +
    `<button type="submit">Filter</button></form>`;
  // The test-id column only where some trace has one: outside tests it would be empty.
  const testIds = summaries.some((s) => s.testId);
  const rows = summaries.map(
    (s) =>
      `<tr class="${s.hasError ? 'err' : ''}"><td><a href="${basePath}/viewer/trace/${s.traceId}">${escapeHtml(s.rootLabel ?? s.rootName ?? '(no root)')}</a></td>` +
      `<td>${new Date(s.startTime).toISOString().slice(11, 23)}</td><td>${s.duration.toFixed(1)} ms</td><td>${s.spanCount}</td>` +
      `<td>${escapeHtml(s.services.join(', '))}</td><td>${s.hasError ? 'error' : ''}</td>${testIds ? `<td><code>${escapeHtml(s.testId ?? '')}</code></td>` : ''}</tr>`,
  );
  const empty = isFiltered(query)
    ? '<p>No traces match these filters.</p>'
    : '<p>No traces yet: use the app and they appear here.</p>';
  const table = rows.length
    ? `<table class="ft-list"><thead><tr><th>root</th><th>start (UTC)</th><th>duration</th><th>spans</th><th>services</th><th>status</th>${testIds ? '<th>test id</th>' : ''}</tr></thead><tbody>${rows.join('')}</tbody></table>`
    : empty;
  return page('Recent traces', form + results('list', table, ' aria-live="polite"'), basePath);
}

/** One trace as the trace page needs it: what the trace API returns for it. */
export interface TracePageData {
  spans: readonly SpanRecord[];
  /** Spans of the trace that have started and not ended (as far as this server knows). */
  openSpans: number;
  /** Parent span ids referred to but not (yet) stored. */
  missingParents: readonly string[];
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function stateLine(traceId: string, { spans, openSpans, missingParents }: TracePageData): [state: string, text: string] {
  if (spans.length === 0) return ['waiting', `No spans of trace ${traceId} yet (or it was evicted). This page updates itself as they arrive.`];
  const pending = [openSpans ? `${plural(openSpans, 'open span')}` : '', missingParents.length ? `${plural(missingParents.length, 'missing parent')}` : ''].filter(Boolean);
  if (pending.length) return ['open', `Still receiving: ${pending.join(', ')}. This page updates itself until the trace is whole.`];
  return ['complete', 'Complete: no open spans and every parent present.'];
}

/** The tree with the most spans, for "Copy as assertion" (a tree assertion has one root). */
function largestTree(roots: readonly SpanNode[]): SpanNode | undefined {
  const size = (node: SpanNode): number => 1 + node.children.reduce((sum, child) => sum + size(child), 0);
  let best: SpanNode | undefined;
  let bestSize = 0;
  for (const root of roots) {
    const s = size(root);
    if (s > bestSize) [best, bestSize] = [root, s];
  }
  return best;
}

/**
 * The "Copy as assertion" text of a trace: its largest tree in the form `toHaveSpanTree` reads,
 * with a note on the roots left out; `undefined` for a trace without spans. Served on its own
 * (`…/assertion`): on a large trace it would be half the page, and few people copy it.
 */
export function assertionText(spans: readonly SpanRecord[]): string | undefined {
  const roots = buildSpanTrees(spans);
  const tree = largestTree(roots);
  if (!tree) return undefined;
  const note = roots.length > 1 ? `# ${roots.length - 1} more root(s) left out: a tree assertion has one root\n` : '';
  return note + formatAssertionTree(tree);
}

/** The copy button, and the text it copies, loaded from `src` when first wanted. */
function assertionTools(src: string): string {
  return (
    `<div class="ft-tools"><button type="button" data-copy="ft-assertion">Copy as assertion</button><span id="ft-assertion-status" role="status"></span>` +
    `<details><summary>assertion text (toHaveSpanTree)</summary><pre id="ft-assertion" data-src="${escapeHtml(src)}"></pre></details></div>`
  );
}

const traceHref = (basePath: string) => (traceId: string) => `${basePath}/viewer/trace/${traceId}`;

const traceBase = (basePath: string, traceId: string) => `${basePath}/viewer/trace/${traceId}/`;

/** A part of a trace page that loads on demand: see {@link renderTraceFragment}. */
export type TraceFragment = { part: 'span' | 'group'; spanId: string } | { part: 'rows'; first: number };

/**
 * A part of a trace page loaded when needed (trace pages leave these out, as they are most of a
 * large trace's bytes): one span's details (`span`), the rows of a folded group of repeats
 * (`group`, by its first span), or a chunk of top-level rows (`rows`, from the first index).
 * `undefined` when the trace has no such span.
 */
export function renderTraceFragment(traceId: string, spans: readonly SpanRecord[], fragment: TraceFragment, basePath: string): string | undefined {
  const options = { traceHref: traceHref(basePath), fragmentBase: traceBase(basePath, traceId) };
  if (fragment.part === 'rows') return renderRowChunk(spans, fragment.first, options);
  return fragment.part === 'span' ? renderSpanDetail(spans, fragment.spanId, options) : renderGroupRows(spans, fragment.spanId, options);
}

/** One trace's page: whether it is whole yet, the assertion tools, and its waterfall. */
export function renderTracePage(traceId: string, data: TracePageData, basePath: string): string {
  const [state, text] = stateLine(traceId, data);
  const title = traceTitle(data.spans) ?? `Trace ${traceId}`;
  const base = traceBase(basePath, traceId);
  const body = data.spans.length
    ? assertionTools(`${base}assertion`) + renderWaterfall(prepareWaterfall(data.spans), { traceHref: traceHref(basePath), fragmentBase: base })
    : '';
  return page(
    title,
    `<p><a href="${basePath}/viewer">← all traces</a></p>` +
      results('trace', `<p class="ft-state" id="ft-state" data-state="${state}" role="status">${escapeHtml(text)}</p>${body}`, ` data-state="${state}"`),
    basePath,
  );
}
