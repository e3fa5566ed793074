/**
 * The trace viewer's pages, rendered on the server as plain HTML (no framework): a list of recent
 * traces with filters (a GET form), and one trace as a waterfall. The list keeps itself current
 * with a few lines of script that re-fetch the page; without script it is a static list.
 */
import { createHash } from 'node:crypto';
import type { SpanRecord } from '../shared/span-record.ts';
import { escapeHtml, renderWaterfall, WATERFALL_CSS } from '../shared/waterfall-html.ts';
import type { TraceQuery, TraceSummary } from './store.ts';

const PAGE_CSS = `
body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#1d2330;background:#fff}
header{display:flex;align-items:center;gap:16px;padding:10px 16px;background:#111827;color:#fff}header a{color:#fff;text-decoration:none;font-weight:600}
main{padding:12px 16px}form{display:flex;gap:8px;flex-wrap:wrap;align-items:end;margin-bottom:12px}
label{display:flex;flex-direction:column;font-size:12px;color:#4b5565}input,select{font:inherit;padding:3px 6px}
table.ft-list{border-collapse:collapse;width:100%}.ft-list th,.ft-list td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f4;font-size:13px}
.ft-list tr.err td:first-child{border-left:3px solid #dc2626}.ft-list code{font-size:12px}
`;

function page(title: string, body: string, basePath: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escapeHtml(title)}</title><style>${PAGE_CSS}${WATERFALL_CSS}</style></head><body>` +
    `<header><a href="${basePath}/viewer">flowtrace</a><span>${escapeHtml(title)}</span></header><main>${body}</main></body></html>`
  );
}

function input(name: string, label: string, value: string | undefined): string {
  return `<label>${label}<input name="${name}" value="${escapeHtml(value ?? '')}"></label>`;
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
  const rows = summaries.map(
    (s) =>
      `<tr class="${s.hasError ? 'err' : ''}"><td><a href="${basePath}/viewer/trace/${s.traceId}">${escapeHtml(s.rootName ?? '(no root)')}</a></td>` +
      `<td>${new Date(s.startTime).toISOString().slice(11, 23)}</td><td>${s.duration.toFixed(1)} ms</td><td>${s.spanCount}</td>` +
      `<td>${escapeHtml(s.services.join(', '))}</td><td>${s.hasError ? 'error' : ''}</td><td><code>${escapeHtml(s.testId ?? '')}</code></td></tr>`,
  );
  const table = rows.length
    ? `<table class="ft-list"><thead><tr><th>root</th><th>start (UTC)</th><th>duration</th><th>spans</th><th>services</th><th>status</th><th>test id</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '<p>No traces match.</p>';
  return page('Recent traces', `${form}<div id="ft-results" aria-live="polite">${table}</div>${LIVE_LIST_SCRIPT}`, basePath);
}

/** How often an open list page looks for new traces. */
export const LIVE_LIST_INTERVAL_MS = 2000;

// Re-fetches this same page (same filters, same access cookie) and swaps in its results, so the
// rows are rendered by one renderer only. Skipped while the tab is hidden.
const LIVE_LIST_CODE = `(()=>{const swap=async()=>{if(document.hidden)return;try{const r=await fetch(location.href,{headers:{accept:'text/html'}});if(!r.ok)return;const next=new DOMParser().parseFromString(await r.text(),'text/html').getElementById('ft-results');const current=document.getElementById('ft-results');if(next&&current&&next.innerHTML!==current.innerHTML)current.replaceWith(next)}catch{}};setInterval(swap,${LIVE_LIST_INTERVAL_MS})})()`;
const LIVE_LIST_SCRIPT = `<script>${LIVE_LIST_CODE}</script>`;

/**
 * The viewer's Content-Security-Policy: span data is untrusted, so no script runs but the list's
 * own (allowed by its hash), and it may fetch only from this origin.
 */
export const VIEWER_CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${createHash('sha256').update(LIVE_LIST_CODE).digest('base64')}'; connect-src 'self'; form-action 'self'; base-uri 'none'`;

/** One trace's page: its waterfall, every row expandable into the span's details. */
export function renderTracePage(traceId: string, spans: readonly SpanRecord[], basePath: string): string {
  const body = spans.length ? renderWaterfall(spans) : `<p>No trace ${escapeHtml(traceId)} in the store (it may have been evicted).</p>`;
  return page(`Trace ${traceId}`, `<p><a href="${basePath}/viewer">← all traces</a></p>${body}`, basePath);
}
