import { expect, test } from '@playwright/test';
import type { SpanRecord } from './span-record.ts';
import { escapeHtml } from './waterfall-detail.ts';
import { placeOfSpan, prepareWaterfall, renderGroupRows, renderRowChunk, renderSpanDetail, renderWaterfall, waterfallDocument } from './waterfall-html.ts';

const base: SpanRecord = {
  traceId: 'a'.repeat(32), spanId: '1'.repeat(16), name: 'room.create', kind: 'internal', service: 'web', side: 'browser',
  startTime: 1000, endTime: 1100, attributes: {}, status: { code: 'unset' }, events: [], links: [],
};
const spans: SpanRecord[] = [
  base,
  { ...base, spanId: '2'.repeat(16), parentSpanId: base.spanId, name: 'INSERT rooms', kind: 'client', side: 'server', service: 'api', startTime: 1050, endTime: 1075, attributes: { 'db.system.name': 'postgresql' }, status: { code: 'error', message: 'boom' } },
];

test('places each bar on the trace time axis, by role, in tree order', () => {
  const html = renderWaterfall(spans);
  expect(html.indexOf('room.create')).toBeLessThan(html.indexOf('INSERT rooms'));
  expect(html).toContain('class="ft-row role-browser"');
  expect(html).toContain('class="ft-row role-db ft-error"');
  expect(html).toContain('style="left:50.00%;width:25.00%"');
  expect(html).toContain('padding-left:14px');
});

test('escapes untrusted span data', () => {
  const html = renderWaterfall([{ ...base, name: '<script>x</script>', attributes: { '"k': '<b>' } }]);
  expect(html).not.toContain('<script>');
  expect(html).toContain(escapeHtml('<script>x</script>'));
  expect(html).not.toContain('<b>');
});

test('a document is self-contained: inline styles, no external resources', () => {
  const doc = waterfallDocument('t', [spans]);
  expect(doc.startsWith('<!doctype html>')).toBe(true);
  expect(doc).not.toMatch(/<(script|link)\b|src=/);
  expect(doc).toContain('<style>');
});

test('repeated siblings fold into one expandable row named by their shared shape, with every member inside', () => {
  const parent = { ...base, spanId: 'f'.repeat(16), name: 'recording.upload' };
  const chunks = Array.from({ length: 74 }, (_, i): SpanRecord => ({
    ...base, spanId: (i + 1).toString(16).padStart(16, '0'), parentSpanId: parent.spanId, name: 'PUT', kind: 'client',
    startTime: 1000 + i, endTime: 1001 + i, attributes: { 'http.request.method': 'PUT', 'url.full': `http://h/api/recordings/7/chunks/${i}` },
  }));
  const other = { ...base, spanId: 'e'.repeat(16), parentSpanId: parent.spanId, name: 'recording.stop', startTime: 1080, endTime: 1081 };
  const html = renderWaterfall([parent, ...chunks, other]);
  expect(html.match(/class="ft-group/g)).toHaveLength(1);
  expect(html).toContain('PUT /api/recordings/:id/chunks/:id <span class="ft-count">× 74</span>');
  expect(html.match(/class="ft-row /g)).toHaveLength(76);
  expect(html.indexOf('ft-group')).toBeLessThan(html.indexOf('recording.stop'));
});

test('events are markers on the bar; errors, exceptions, links, resource and scope are in the details', () => {
  const html = renderWaterfall(
    [{
      ...base,
      status: { code: 'error', message: 'upload failed' },
      events: [
        { name: 'chunk.sent', time: 1050, attributes: { seq: 3 } },
        { name: 'exception', time: 1090, attributes: { 'exception.type': 'TypeError', 'exception.message': 'x is undefined', 'exception.stacktrace': 'TypeError: x\n    at f (a.js:1:1)' } },
      ],
      links: [{ traceId: 'c'.repeat(32), spanId: '9'.repeat(16), attributes: { reason: 'untrusted' } }],
      resource: { 'service.name': 'web', 'telemetry.sdk.language': 'webjs' },
      scope: { name: 'flowtrace', version: '0.1.0' },
    }],
    { traceHref: (id) => `/flowtrace/viewer/trace/${id}` },
  );
  expect(html).toContain('class="ft-mark" style="left:50.00%" title="chunk.sent +50.0 ms\nseq=3"');
  expect(html).toContain('class="ft-mark ft-exception" style="left:90.00%"');
  expect(html).toMatch(/class="ft-errbox"[^]*upload failed[^]*TypeError<\/b>: x is undefined[^]*at f \(a.js:1:1\)/);
  expect(html).toContain(`<a class="ft-link" href="/flowtrace/viewer/trace/${'c'.repeat(32)}#span-${'9'.repeat(16)}">`);
  expect(html).toMatch(/<h4>resource<\/h4><table>.*telemetry.sdk.language/);
  expect(html).toMatch(/<h4>scope<\/h4><table><tr><td>name<\/td><td>flowtrace<\/td><\/tr><tr><td>version<\/td><td>0.1.0/);
  expect(renderWaterfall([{ ...base, links: base.links }])).not.toContain('<h4>resource');
});

test('a browser request reads as method and route in its row', () => {
  const html = renderWaterfall([
    { ...base, name: 'POST', kind: 'client', attributes: { 'http.request.method': 'POST', 'url.full': 'http://h/api/rooms' } },
    { ...base, spanId: '2'.repeat(16), parentSpanId: base.spanId, name: 'POST /api/rooms', kind: 'server', side: 'server', attributes: { 'http.route': '/api/rooms' } },
  ]);
  expect(html).toContain('<span class="ft-role">browser</span>POST /api/rooms <small>client</small>');
  expect(html).toContain('<tr><td>name</td><td>POST</td></tr><tr><td>shown as</td><td>POST /api/rooms</td></tr>');
});

test('with a fragment base, details and folded rows are left out of the page and rendered on their own', () => {
  const parent = { ...base, spanId: 'f'.repeat(16), name: 'recording.upload' };
  const chunks = Array.from({ length: 6 }, (_, i): SpanRecord => ({
    ...base, spanId: (i + 1).toString(16).padStart(16, '0'), parentSpanId: parent.spanId, name: `chunk`, startTime: 1000 + i, endTime: 1001 + i,
    attributes: { seq: i },
  }));
  const options = { fragmentBase: '/flowtrace/viewer/trace/t/' };
  const page = renderWaterfall([parent, ...chunks], options);
  expect(page).toContain('data-fragment-base="/flowtrace/viewer/trace/t/"');
  expect(page).not.toContain('<h4>span</h4>');
  expect(page.match(/class="ft-row /g)).toHaveLength(1);
  const rows = renderGroupRows([parent, ...chunks], chunks[0]!.spanId, options)!;
  expect(rows.match(/class="ft-row /g)).toHaveLength(6);
  expect(rows).toContain('padding-left:28px');
  expect(renderSpanDetail([parent, ...chunks], chunks[3]!.spanId, options)).toContain('<tr><td>seq</td><td>3</td></tr>');
  expect(renderSpanDetail([parent], 'a'.repeat(16))).toBeUndefined();
});

test('with a fragment base, a long trace sends its first 50 rows and placeholders that load the rest in chunks', () => {
  const steps = Array.from({ length: 320 }, (_, i): SpanRecord => ({ ...base, spanId: (i + 1).toString(16).padStart(16, '0'), name: `step ${i}`, startTime: 1000 + i, endTime: 1001 + i }));
  const options = { fragmentBase: '/flowtrace/viewer/trace/t/' };
  const page = renderWaterfall(steps, options);
  expect(page.match(/class="ft-row /g)).toHaveLength(50);
  expect(page).toContain('<li class="ft-chunk ft-lazy" data-rows="50" style="height:1100px"></li>');
  expect(page).toContain('<li class="ft-chunk ft-lazy" data-rows="300" style="height:440px"></li>');
  const chunk = renderRowChunk(steps, 300, options);
  expect(chunk.match(/class="ft-row /g)).toHaveLength(20);
  expect(chunk).toContain('step 300');
  expect(renderWaterfall(steps).match(/class="ft-row /g)).toHaveLength(320);
});

test('a span\'s place names the chunk of rows to load and the folded groups, outermost first, that hide it', () => {
  const id = (n: number) => n.toString(16).padStart(16, '0');
  const root = { ...base, spanId: id(1), name: 'import.run' };
  const recording: SpanRecord[] = [root];
  // 150 different steps (one row each), then 6 uploads that fold, each with 6 chunk writes that fold too.
  for (let i = 0; i < 150; i++) recording.push({ ...base, spanId: id(0x100 + i), parentSpanId: root.spanId, name: `step ${i}`, startTime: 1001 + i, endTime: 1002 + i });
  for (let u = 0; u < 6; u++) {
    const upload = { ...base, spanId: id(0x1000 + u * 0x10), parentSpanId: root.spanId, name: 'upload', startTime: 1200 + u, endTime: 1201 + u };
    recording.push(upload);
    for (let c = 0; c < 6; c++) recording.push({ ...base, spanId: id(0x1000 + u * 0x10 + 1 + c), parentSpanId: upload.spanId, name: 'write', startTime: 1200 + u, endTime: 1201 + u });
  }
  const trace = prepareWaterfall(recording);
  expect(placeOfSpan(trace, id(1))).toEqual({ rows: null, groups: [] });
  expect(placeOfSpan(trace, id(0x100 + 120))).toEqual({ rows: 100, groups: [] });
  // Row 151 is the uploads' group; the third upload's writes fold inside it.
  expect(placeOfSpan(trace, id(0x1000 + 0x20 + 3))).toEqual({ rows: 150, groups: [id(0x1000), id(0x1000 + 0x20 + 1)] });
  expect(placeOfSpan(trace, 'a'.repeat(16))).toBeUndefined();
  // The groups named are the ones the page and its fragments draw.
  const options = { fragmentBase: '/t/' };
  expect(renderRowChunk(trace, 150, options)).toContain(`data-group="${id(0x1000)}"`);
  const uploads = renderGroupRows(trace, id(0x1000), options)!;
  expect(uploads).toContain(`data-group="${id(0x1000 + 0x20 + 1)}"`);
  expect(renderGroupRows(trace, id(0x1000 + 0x20 + 1), options)).toContain(`id="span-${id(0x1000 + 0x20 + 3)}"`);
});
