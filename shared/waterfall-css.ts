/**
 * Styles of the waterfall, scoped under `.ft-`, shared by the viewer and the report attachment.
 * Nothing may be wider than the page: names wrap whole instead of being cut, and detail tables
 * and stack traces break long values (checked at 1280×800 in e2e/viewer-large-trace.spec.ts).
 */

/** Styles for `renderWaterfall` (waterfall-html.ts); typed `string`, or the .d.ts repeats them as a literal type. */
export const WATERFALL_CSS: string = `
.ft-trace{font:13px/1.4 system-ui,sans-serif;color:#1d2330;min-width:0}
.ft-head{display:flex;gap:16px;flex-wrap:wrap;margin:0 0 8px}.ft-head code{font-size:12px;overflow-wrap:anywhere}
.ft-rows{list-style:none;margin:0;padding:0;border-top:1px solid #dde1e8}
.ft-row,.ft-group{border-bottom:1px solid #eef0f4}
.ft-chunk{content-visibility:auto;contain-intrinsic-size:auto 1100px}.ft-chunk>ol{list-style:none;margin:0;padding:0}
.ft-lazy{background:repeating-linear-gradient(#fff 0 21px,#eef0f4 21px 22px)}
.ft-row summary,.ft-group>details>summary{display:grid;grid-template-columns:minmax(220px,36%) minmax(0,1fr) 88px;align-items:center;gap:8px;padding:3px 4px;cursor:pointer;list-style:none}
.ft-rows summary::-webkit-details-marker{display:none}.ft-rows summary:hover{background:#f5f7fb}
.ft-label{min-width:0;overflow-wrap:anywhere}
.ft-role{display:inline-block;min-width:52px;font-size:11px;font-weight:600;text-transform:uppercase;color:#fff;border-radius:3px;padding:0 4px;margin-right:6px;text-align:center}
.ft-label small{color:#6b7280}.ft-count{font-weight:600;color:#374151;white-space:nowrap}
.ft-count::after{content:' ▸';color:#6b7280}.ft-group>details[open]>summary .ft-count::after{content:' ▾'}
.ft-track{position:relative;height:14px;background:#f3f4f7;border-radius:2px}
.ft-bar{position:absolute;top:2px;height:10px;min-width:2px;border-radius:2px}
.ft-group .ft-bar{opacity:.55}
.ft-mark{position:absolute;top:0;width:2px;height:14px;margin-left:-1px;background:#111827}.ft-mark.ft-exception{background:#dc2626;width:3px}
.ft-dur{text-align:right;font-variant-numeric:tabular-nums;color:#4b5565}
.role-browser .ft-role,.role-browser .ft-bar{background:#2f6fde}.role-server .ft-role,.role-server .ft-bar{background:#1f9d55}
.role-db .ft-role,.role-db .ft-bar{background:#d97706}.ft-error>details>summary .ft-bar{outline:2px solid #dc2626}.ft-error>details>summary .ft-label{color:#b91c1c}
.ft-group>details>.ft-rows{border-top:0;background:#fbfcfe}
.ft-detail{padding:6px 12px 10px 28px;background:#fafbfc;min-width:0}.ft-detail h4{margin:8px 0 2px;font-size:12px;color:#4b5565}
.ft-detail table{border-collapse:collapse;font:12px ui-monospace,monospace;width:100%;table-layout:fixed}
.ft-detail td{padding:1px 10px 1px 0;vertical-align:top;overflow-wrap:anywhere}.ft-detail td:first-child{width:30%}
.ft-detail pre{margin:4px 0;white-space:pre-wrap;overflow-wrap:anywhere;font:12px ui-monospace,monospace}
.ft-errbox{border-left:3px solid #dc2626;background:#fef2f2;padding:4px 8px;margin:4px 0}
.ft-event{margin:4px 0}.ft-warn{color:#b45309}
.ft-axis{display:grid;grid-template-columns:minmax(220px,36%) minmax(0,1fr) 88px;gap:8px;padding:0 4px;font-size:11px;color:#6b7280}
.ft-ticks{position:relative;height:14px}.ft-ticks span{position:absolute;white-space:nowrap;transform:translateX(-50%)}.ft-ticks span:first-child{transform:none}.ft-ticks span:last-child{transform:translateX(-100%)}
`;
