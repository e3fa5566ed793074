/**
 * Large traces at 1280×800, the size people look at them: 74 chunk uploads fold into one
 * expandable row, a long span name stays whole, nothing, opened or not, scrolls sideways, rows
 * past the first screens load as they come near, and a link to any span finds it.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { newTraceId, otlpBody, spanId, type SpanSpec } from './otlp-body.ts';

test.use({ viewport: { width: 1280, height: 800 } });

const LONG_NAME = `room.settings.update.${'participant-limit-and-recording-mode-'.repeat(5)}end`;

function recordingTrace(): SpanSpec[] {
  const spans: SpanSpec[] = [{ spanId: spanId(1), name: 'recording.start', start: 0, end: 900 }];
  for (let seq = 0; seq < 74; seq++) {
    const client = 10 + seq * 2;
    const server = 1000 + seq;
    spans.push(
      { spanId: spanId(client), parentSpanId: spanId(1), name: 'PUT', kind: 3, start: 20 + seq * 11, end: 30 + seq * 11, attributes: { 'http.request.method': 'PUT', 'url.full': `http://127.0.0.1/api/recordings/5/tracks/9/chunks/${seq}` } },
      { spanId: spanId(server), parentSpanId: spanId(client), name: 'PUT /api/recordings/:id/tracks/:trackId/chunks/:seq', kind: 2, start: 22 + seq * 11, end: 28 + seq * 11, attributes: { 'http.request.method': 'PUT', 'http.route': '/api/recordings/:id/tracks/:trackId/chunks/:seq' } },
    );
  }
  spans.push({ spanId: spanId(2), parentSpanId: spanId(1), name: LONG_NAME, start: 850, end: 880, attributes: { 'flowtrace.note': 'x'.repeat(400) } });
  return spans;
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test('a recording trace folds 74 chunk uploads into one row, keeps long names whole and never overflows sideways', async ({ page, request, traces }, testInfo) => {
  const traceId = newTraceId();
  const response = await request.post('/flowtrace/v1/traces', { data: otlpBody(traceId, recordingTrace(), { service: 'simplycaster-web', testId: traces.testId }) });
  expect(response.status()).toBe(200);
  await traces.settle();

  await page.goto(`/flowtrace/viewer?testId=${encodeURIComponent(traces.testId)}`);
  await expect(page.getByRole('link', { name: 'recording.start' })).toBeVisible();
  expect(await horizontalOverflow(page)).toBe(0);

  await page.goto(`/flowtrace/viewer/trace/${traceId}`);
  const group = page.locator('.ft-group');
  await expect(group).toHaveCount(1);
  await expect(group.locator('> details > summary')).toContainText('PUT /api/recordings/:id/tracks/:trackId/chunks/:seq × 74');
  // Folded: the top level reads recording.start, the group, and the long-named span.
  await expect(page.locator('.ft-row:visible, .ft-group:visible')).toHaveCount(3);
  const long = page.locator('.ft-row', { hasText: LONG_NAME });
  await expect(long.locator('.ft-label')).toBeVisible();
  const label = (await long.locator('.ft-label').boundingBox())!;
  expect(label.x + label.width).toBeLessThanOrEqual(1280);
  expect(await horizontalOverflow(page)).toBe(0);
  const folded = await page.screenshot({ path: testInfo.outputPath('viewer-large-trace-folded.png') });
  await testInfo.attach('viewer-large-trace-folded.png', { body: folded, contentType: 'image/png' });

  await group.locator('> details > summary').click();
  // Each upload and its server span (this exporter records both as browser spans).
  await expect(group.locator('.ft-row:visible')).toHaveCount(148);
  await expect(group.locator('.ft-row').first()).toContainText('PUT /api/recordings/:id/tracks/:trackId/chunks/:seq client');
  await long.locator('summary').click();
  await expect(long.locator('.ft-detail')).toContainText('x'.repeat(400));
  expect(await horizontalOverflow(page)).toBe(0);
  const opened = await page.screenshot({ path: testInfo.outputPath('viewer-large-trace-opened.png'), fullPage: true });
  await testInfo.attach('viewer-large-trace-opened.png', { body: opened, contentType: 'image/png' });
});

test('a 600-span trace sends its first rows at once and loads the rest as they scroll near; a link to a late span finds it', async ({ page, request, traces }) => {
  const traceId = newTraceId();
  const steps: SpanSpec[] = [{ spanId: spanId(1), name: 'import.run', start: 0, end: 700 }];
  // Different names: nothing folds, every span is a row of its own.
  for (let i = 0; i < 599; i++) steps.push({ spanId: spanId(2 + i), parentSpanId: spanId(1), name: `import.row ${i}`, start: 1 + i, end: 2 + i });
  expect((await request.post('/flowtrace/v1/traces', { data: otlpBody(traceId, steps, { service: 'importer', testId: traces.testId }) })).status()).toBe(200);
  await traces.settle();

  await page.goto(`/flowtrace/viewer/trace/${traceId}`);
  await expect(page.locator('.ft-row')).toHaveCount(100);
  // Scrolling down loads each chunk as it comes near.
  await expect(async () => {
    if (await page.locator('.ft-lazy').count()) await page.locator('.ft-lazy').first().scrollIntoViewIfNeeded();
    expect(await page.locator('.ft-row').count()).toBe(600);
  }).toPass();
  await expect(page.locator('.ft-row', { hasText: 'import.row 598' })).toBeVisible();
  expect(await horizontalOverflow(page)).toBe(0);

  await page.goto(`/flowtrace/viewer/trace/${traceId}#span-${spanId(2 + 450)}`);
  await expect(page.locator(`#span-${spanId(2 + 450)}`)).toBeInViewport();
});

test('a link to a span in rows not loaded yet, inside folded groups within folded groups, opens them and shows it', async ({ page, request, traces }) => {
  const traceId = newTraceId();
  const spans: SpanSpec[] = [{ spanId: spanId(1), name: 'session.replay', start: 0, end: 2000 }];
  // 150 different steps push the uploads past the rows sent with the page.
  for (let i = 0; i < 150; i++) spans.push({ spanId: spanId(0x100 + i), parentSpanId: spanId(1), name: `step ${i}`, start: 1 + i, end: 2 + i });
  // 6 uploads fold into one row; each one's 6 chunk writes fold inside it.
  for (let u = 0; u < 6; u++) {
    const upload = 0x1000 + u * 0x10;
    spans.push({ spanId: spanId(upload), parentSpanId: spanId(1), name: 'recording.upload', start: 1000 + u * 100, end: 1090 + u * 100 });
    for (let c = 0; c < 6; c++) spans.push({ spanId: spanId(upload + 1 + c), parentSpanId: spanId(upload), name: `chunk.write`, start: 1001 + u * 100 + c * 10, end: 1009 + u * 100 + c * 10, attributes: { 'chunk.seq': c } });
  }
  expect((await request.post('/flowtrace/v1/traces', { data: otlpBody(traceId, spans, { service: 'recorder', testId: traces.testId }) })).status()).toBe(200);
  await traces.settle();

  const target = spanId(0x1000 + 0x30 + 1 + 4); // the fourth upload's fifth chunk write
  await page.goto(`/flowtrace/viewer/trace/${traceId}#span-${target}`);
  await expect(page.locator(`#span-${target}`)).toBeInViewport();
  await expect(page.locator(`#span-${target} .ft-label`)).toHaveText('browserchunk.write internal');
  // Only what hides it was opened: the uploads' group and that upload's writes.
  await expect(page.locator('.ft-group > details[open]')).toHaveCount(2);
  await expect(page.locator(`li[data-group="${spanId(0x1000 + 0x30 + 1)}"] .ft-row`)).toHaveCount(6);
  await page.locator(`#span-${target} > details > summary`).click();
  await expect(page.locator(`#span-${target} .ft-detail`)).toContainText('chunk.seq');
  expect(await horizontalOverflow(page)).toBe(0);
});
