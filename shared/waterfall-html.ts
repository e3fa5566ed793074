/**
 * Renders a trace as a self-contained HTML waterfall: one row per span in tree order, a bar
 * placed on a shared time axis, colour by role (browser, server, db), and each row expanding
 * (plain `<details>`, no script) into attributes, events and links. Used by the trace viewer and
 * by the Playwright report attachment, so both show the same picture.
 */
import { adjustClockSkew, type DisplaySpan } from './clock-skew.ts';
import { spanRole, type Attributes, type SpanRecord } from './span-record.ts';
import { buildSpanTrees, missingParents, type SpanNode } from './span-tree.ts';

/** Escapes text for HTML content and attribute values: span data is untrusted input. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Styles for {@link renderWaterfall}, scoped under `.ft-`. */
export const WATERFALL_CSS = `
.ft-trace{font:13px/1.4 system-ui,sans-serif;color:#1d2330}
.ft-head{display:flex;gap:16px;flex-wrap:wrap;margin:0 0 8px}.ft-head code{font-size:12px}
.ft-rows{list-style:none;margin:0;padding:0;border-top:1px solid #dde1e8}
.ft-row{border-bottom:1px solid #eef0f4}.ft-row summary{display:grid;grid-template-columns:minmax(220px,36%) 1fr 80px;align-items:center;gap:8px;padding:3px 4px;cursor:pointer;list-style:none}
.ft-row summary::-webkit-details-marker{display:none}.ft-row summary:hover{background:#f5f7fb}
.ft-label{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.ft-role{display:inline-block;min-width:52px;font-size:11px;font-weight:600;text-transform:uppercase;color:#fff;border-radius:3px;padding:0 4px;margin-right:6px;text-align:center}
.ft-track{position:relative;height:14px;background:#f3f4f7;border-radius:2px}
.ft-bar{position:absolute;top:2px;height:10px;min-width:2px;border-radius:2px}
.ft-dur{text-align:right;font-variant-numeric:tabular-nums;color:#4b5565}
.role-browser .ft-role,.role-browser .ft-bar{background:#2f6fde}.role-server .ft-role,.role-server .ft-bar{background:#1f9d55}
.role-db .ft-role,.role-db .ft-bar{background:#d97706}.ft-error .ft-bar{outline:2px solid #dc2626}.ft-error .ft-label{color:#b91c1c}
.ft-detail{padding:6px 12px 10px 28px;background:#fafbfc}.ft-detail h4{margin:6px 0 2px;font-size:12px;color:#4b5565}
.ft-detail table{border-collapse:collapse;font:12px ui-monospace,monospace}.ft-detail td{padding:1px 10px 1px 0;vertical-align:top;word-break:break-all}
.ft-warn{color:#b45309}
.ft-axis{display:grid;grid-template-columns:minmax(220px,36%) 1fr 80px;gap:8px;padding:0 4px;font-size:11px;color:#6b7280}
.ft-ticks{position:relative;height:14px}.ft-ticks span{position:absolute;white-space:nowrap;transform:translateX(-50%)}.ft-ticks span:first-child{transform:none}.ft-ticks span:last-child{transform:translateX(-100%)}
`;

function axis(total: number): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<span style="left:${f * 100}%">${(f * total).toFixed(1)} ms</span>`).join('');
  return `<div class="ft-axis" aria-hidden="true"><span></span><span class="ft-ticks">${ticks}</span><span></span></div>`;
}

function attributesTable(attributes: Attributes): string {
  const rows = Object.entries(attributes)
    .toSorted(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `<tr><td>${escapeHtml(key)}</td><td>${escapeHtml(JSON.stringify(value))}</td></tr>`);
  return rows.length ? `<table>${rows.join('')}</table>` : '<div>none</div>';
}

function details(span: DisplaySpan, origin: number, names: Map<string, string>): string {
  const skew = span.skewShiftMs
    ? `<tr><td>clock skew</td><td>drawn shifted by ${span.skewShiftMs.toFixed(1)} ms to fit its parent (another clock)</td></tr>`
    : '';
  const parts = [
    `<h4>span</h4><table><tr><td>name</td><td>${escapeHtml(span.name)}</td></tr><tr><td>kind</td><td>${span.kind}</td></tr>` +
      `<tr><td>service</td><td>${escapeHtml(span.service)}</td></tr><tr><td>span id</td><td>${span.spanId}</td></tr>` +
      `<tr><td>parent</td><td>${span.parentSpanId ?? '(root)'}</td></tr>` +
      `<tr><td>status</td><td>${span.status.code}${span.status.message ? `: ${escapeHtml(span.status.message)}` : ''}</td></tr>${skew}</table>`,
    `<h4>attributes</h4>${attributesTable(span.attributes)}`,
  ];
  if (span.events.length) {
    parts.push(
      '<h4>events</h4>' +
        span.events
          .map((event) => `<div>+${(event.time - origin).toFixed(1)} ms <b>${escapeHtml(event.name)}</b>${attributesTable(event.attributes)}</div>`)
          .join(''),
    );
  }
  if (span.links.length) {
    parts.push(
      '<h4>links</h4>' +
        span.links
          .map((link) => {
            const target = names.get(link.spanId);
            return `<div>${link.traceId}/${link.spanId}${target ? ` (${escapeHtml(target)})` : ''}${attributesTable(link.attributes)}</div>`;
          })
          .join(''),
    );
  }
  return parts.join('');
}

/** The waterfall as an HTML fragment (pair it with {@link WATERFALL_CSS}). */
export function renderWaterfall(recorded: readonly SpanRecord[]): string {
  if (recorded.length === 0) return '<div class="ft-trace">(no spans)</div>';
  const spans = adjustClockSkew(recorded);
  const origin = Math.min(...spans.map((span) => span.startTime));
  const total = Math.max(1e-3, Math.max(...spans.map((span) => span.endTime)) - origin);
  const names = new Map(spans.map((span) => [span.spanId, span.name]));
  const rows: string[] = [];
  const bySpanId = new Map(spans.map((span) => [span.spanId, span]));
  const walk = (node: SpanNode, depth: number) => {
    const span = bySpanId.get(node.span.spanId)!;
    const role = spanRole(span);
    const left = ((span.startTime - origin) / total) * 100;
    const width = Math.max(0.2, ((span.endTime - span.startTime) / total) * 100);
    const error = span.status.code === 'error';
    rows.push(
      `<li class="ft-row role-${role}${error ? ' ft-error' : ''}" data-span-id="${span.spanId}"><details><summary>` +
        `<span class="ft-label" style="padding-left:${depth * 14}px"><span class="ft-role">${role}</span>${escapeHtml(span.name)} <small>${span.kind}</small></span>` +
        `<span class="ft-track"><span class="ft-bar" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%"></span></span>` +
        `<span class="ft-dur">${(span.endTime - span.startTime).toFixed(1)} ms</span></summary>` +
        `<div class="ft-detail">${details(span, origin, names)}</div></details></li>`,
    );
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of buildSpanTrees(spans)) walk(root, 0);
  const missing = missingParents(spans);
  const services = [...new Set(spans.map((span) => span.service))];
  return (
    `<section class="ft-trace"><div class="ft-head"><span>trace <code>${spans[0]!.traceId}</code></span>` +
    `<span>${spans.length} spans</span><span>${total.toFixed(1)} ms</span><span>${escapeHtml(services.join(', '))}</span>` +
    (missing.length ? `<span class="ft-warn">missing parents: ${missing.join(', ')}</span>` : '') +
    `</div>${axis(total)}<ol class="ft-rows">${rows.join('')}</ol></section>`
  );
}

/** A whole HTML document with one waterfall per trace, openable offline (report attachments). */
export function waterfallDocument(title: string, traces: ReadonlyArray<readonly SpanRecord[]>): string {
  const body = traces.length ? traces.map((spans) => renderWaterfall(spans)).join('<hr>') : '<p>(no traces)</p>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>body{margin:16px}${WATERFALL_CSS}</style></head><body><h1 style="font:600 16px system-ui">${escapeHtml(title)}</h1>${body}</body></html>`;
}
