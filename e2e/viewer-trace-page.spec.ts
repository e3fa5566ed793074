/**
 * A trace page in Chromium as a person uses it: it says when the trace is not whole yet and fills
 * in by itself, it is titled by its root, requests read as method and route, details show errors,
 * exceptions, events and links, and "Copy as assertion" copies a tree that `toHaveSpanTree` accepts.
 */
import { expect, test } from './fixtures.ts';
import { signUp } from './members.ts';
import { newTraceId, otlpBody, spanId, type SpanSpec } from './otlp-body.ts';

test('a trace opened before it is whole says what is missing and fills in without a reload', async ({ page, request, traces }) => {
  const traceId = newTraceId();
  const post = async (spans: SpanSpec[]) =>
    expect((await request.post('/flowtrace/v1/traces', { data: otlpBody(traceId, spans, { service: 'web', testId: traces.testId }) })).status()).toBe(200);
  // The server's half arrives first: its parent, the browser's request span, is still missing.
  await post([
    { spanId: spanId(2), parentSpanId: spanId(1), name: 'GET /api/recordings/:id', kind: 2, start: 2, end: 8, attributes: { 'http.request.method': 'GET', 'http.route': '/api/recordings/:id' } },
    { spanId: spanId(3), parentSpanId: spanId(2), name: 'SELECT recordings', kind: 3, start: 3, end: 5, attributes: { 'db.system.name': 'postgresql' } },
  ]);
  await page.goto(`/flowtrace/viewer/trace/${traceId}`);
  await expect(page.locator('#ft-state')).toHaveText(/^Still receiving: 1 missing parent\./);
  await expect(page.locator('.ft-row')).toHaveCount(2);
  let navigations = 0;
  page.on('framenavigated', () => navigations++);
  // A row opened before the update stays open, with its details, after it.
  const query = page.locator('.ft-row', { hasText: 'SELECT recordings' });
  await query.locator('summary').click();
  await expect(query.locator('.ft-detail')).toContainText('db.system.name');

  await post([{ spanId: spanId(1), name: 'GET', kind: 3, start: 0, end: 10, attributes: { 'http.request.method': 'GET', 'url.full': 'http://127.0.0.1/api/recordings/42?download=1' } }]);
  await expect(page.locator('#ft-state')).toHaveText('Complete: no open spans and every parent present.');
  await expect(page.locator('.ft-row')).toHaveCount(3);
  await expect(query.locator('details')).toHaveAttribute('open', '');
  await expect(query.locator('.ft-detail')).toContainText('db.system.name');
  // The browser's span is stored as "GET"; it reads as the server's route, and titles the page.
  await expect(page).toHaveTitle('GET /api/recordings/:id');
  await expect(page.locator('#ft-title')).toHaveText('GET /api/recordings/:id');
  await expect(page.locator('.ft-row .ft-label').first()).toHaveText('browserGET /api/recordings/:id client');
  expect(navigations).toBe(0);
});

test('span details show the error and exception, events on the bar with their attributes, and links to the linked trace', async ({ page, request, traces }) => {
  const [linkedTrace, traceId] = [newTraceId(), newTraceId()];
  const options = { service: 'web', testId: traces.testId };
  await request.post('/flowtrace/v1/traces', { data: otlpBody(linkedTrace, [{ spanId: spanId(9), name: 'recording.schedule', start: 0, end: 3 }], options) });
  await request.post('/flowtrace/v1/traces', {
    data: otlpBody(traceId, [{
      spanId: spanId(1), name: 'recording.upload', start: 0, end: 100,
      status: { code: 2, message: 'upload failed after 3 tries' },
      events: [
        { name: 'chunk.retry', at: 40, attributes: { 'chunk.seq': 7 } },
        { name: 'exception', at: 90, attributes: { 'exception.type': 'TypeError', 'exception.message': 'Failed to fetch', 'exception.stacktrace': 'TypeError: Failed to fetch\n    at upload (track-recorder.ts:88:11)' } },
      ],
      links: [{ traceId: linkedTrace, spanId: spanId(9) }],
    }], options),
  });
  await traces.settle({ minTraces: 2 });
  await page.goto(`/flowtrace/viewer/trace/${traceId}`);
  const row = page.locator('.ft-row', { hasText: 'recording.upload' });
  await expect(row).toHaveClass(/ft-error/);

  // Events are markers on the bar, placed at their time, with name and attributes on hover.
  const [bar, retry, exception] = [await row.locator('.ft-bar').boundingBox(), await row.locator('.ft-mark').first().boundingBox(), await row.locator('.ft-mark.ft-exception').boundingBox()];
  expect(retry!.x - bar!.x).toBeCloseTo(bar!.width * 0.4, -1);
  expect(exception!.x).toBeGreaterThan(retry!.x);
  await expect(row.locator('.ft-mark').first()).toHaveAttribute('title', 'chunk.retry +40.0 ms\nchunk.seq=7');

  await row.locator('summary').click();
  const detail = row.locator('.ft-detail');
  await expect(detail.getByRole('note')).toContainText('error: upload failed after 3 tries');
  await expect(detail.getByRole('note')).toContainText('TypeError: Failed to fetch');
  await expect(detail.getByRole('note')).toContainText('at upload (track-recorder.ts:88:11)');
  await expect(detail.locator('.ft-event', { hasText: 'chunk.retry' })).toContainText('chunk.seq');
  await expect(detail.locator('h4')).toHaveText(['span', 'span attributes', 'resource', 'scope', 'events', 'links']);

  await detail.getByRole('link', { name: new RegExp(`trace ${linkedTrace}`) }).click();
  await expect(page).toHaveURL(new RegExp(`/flowtrace/viewer/trace/${linkedTrace}#span-${spanId(9)}$`));
  await expect(page).toHaveTitle('recording.schedule');
});

test('"Copy as assertion" copies the room.create tree in the form toHaveSpanTree reads', async ({ page, traces }) => {
  await signUp(page.context(), 'Copier');
  await page.goto('/');
  await page.getByLabel('Room name').fill('Copied show');
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#create-status')).toHaveText('Room “Copied show” created.');
  const trace = await traces.rootedAt('room.create');

  // The page-load requests read as method and route in the list, no longer as identical "GET"s.
  await page.goto(`/flowtrace/viewer?testId=${encodeURIComponent(traces.testId)}`);
  const roots = await page.locator('table.ft-list tbody td:first-child a').allTextContents();
  expect(roots).toContain('room.create');
  expect(roots.filter((name) => /^[A-Z]+$/.test(name))).toEqual([]);
  expect(new Set(roots).size).toBe(roots.length);

  await page.goto(`/flowtrace/viewer/trace/${trace[0]!.traceId}`);
  await expect(page).toHaveTitle('room.create');
  await expect(page.locator('.ft-row.role-browser', { hasText: 'POST /api/rooms' })).toBeVisible();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy as assertion' }).click();
  await expect(page.locator('#ft-assertion-status')).toHaveText(/^Copied\./);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^browser: room\.create \[internal\]\n {2}browser: POST \[client\]\n {4}server: POST \/api\/rooms \[server\]/);
  expect(trace).toHaveSpanTree(copied);
});
