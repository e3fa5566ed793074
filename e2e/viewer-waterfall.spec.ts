/**
 * The trace viewer, opened in Chromium: the list filters by test id, flow name and error, and a
 * trace renders as a waterfall across browser, server and database with expandable details.
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from './fixtures.ts';
import { signUp } from './members.ts';

test('the viewer lists the test\'s traces and renders room.create as a waterfall across browser, server and db', async ({ page, traces }, testInfo) => {
  await signUp(page.context(), 'Viewer');
  await page.goto('/');
  await page.getByLabel('Room name').fill('Viewer show');
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#create-status')).toHaveText('Room “Viewer show” created.');
  const trace = await traces.rootedAt('room.create');
  const { traceId } = trace[0]!;

  const list = `/flowtrace/viewer?testId=${encodeURIComponent(traces.testId)}`;
  await page.goto(list);
  await expect(page.locator('table.ft-list tbody tr')).toHaveCount(3); // the page load (who am I, the room list) and room.create
  await page.goto(`${list}&name=room.create`);
  await expect(page.locator('table.ft-list tbody tr')).toHaveCount(1);
  await page.goto(`${list}&error=true`);
  await expect(page.getByText('No traces match these filters.')).toBeVisible();
  await page.goto(`${list}&service=simplycaster-api&name=room.create`);
  await page.getByRole('link', { name: 'room.create' }).click();
  await expect(page).toHaveURL(new RegExp(`/flowtrace/viewer/trace/${traceId}$`));

  const rows = page.locator('.ft-row');
  await expect(rows).toHaveCount(trace.length);
  await expect(page.locator('.ft-row.role-browser').first()).toContainText('room.create');
  await expect(page.locator('.ft-row.role-server', { hasText: 'POST /api/rooms' })).toBeVisible();
  const db = page.locator('.ft-row.role-db', { hasText: 'INSERT rooms' });
  await expect(db).toBeVisible();

  // Waterfall geometry: the db bar starts within the server bar, which starts within the flow's.
  const box = async (row: string, name: string) => (await page.locator(`.ft-row.role-${row}`, { hasText: name }).locator('.ft-bar').boundingBox())!;
  const [flow, server, insert] = [await box('browser', 'room.create'), await box('server', 'POST /api/rooms'), await box('db', 'INSERT rooms')];
  expect(server.x).toBeGreaterThanOrEqual(flow.x);
  // Only the start is checked: under load the server's event loop (PGlite runs on it) can take the
  // response's end timestamp after the browser already has the response.
  expect(server.x).toBeLessThanOrEqual(flow.x + flow.width);
  expect(insert.x).toBeGreaterThanOrEqual(server.x);
  expect(insert.width).toBeGreaterThan(0);
  expect(flow.width).toBeGreaterThan(insert.width);

  await db.locator('summary').click();
  await expect(db.locator('.ft-detail')).toContainText('db.query.text');
  await expect(db.locator('.ft-detail')).toContainText('INSERT INTO rooms (name, host_id, max_participants, recording_mode) VALUES ($1, $2, $3, $4) RETURNING id, name, host_id, max_participants, recording_mode, created_at');

  const screenshot = await page.screenshot({ path: testInfo.outputPath('viewer-waterfall.png'), fullPage: true });
  await testInfo.attach('viewer-waterfall.png', { body: screenshot, contentType: 'image/png' });
});

test('the viewer escapes span data: a span name with markup shows as text', async ({ page, request, traces }) => {
  const name = '<img src=x onerror=alert(1)>';
  const response = await request.post('/flowtrace/v1/traces', {
    data: {
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'hostile' } }] },
        scopeSpans: [{ spans: [{
          traceId: randomBytes(16).toString('hex'),
          spanId: '1'.repeat(16), name, kind: 1, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000002000000',
          attributes: [{ key: 'flowtrace.test_id', value: { stringValue: traces.testId } }],
        }] }],
      }],
    },
  });
  expect(response.status()).toBe(200);
  const [stored] = await traces.settle();
  await page.goto(`/flowtrace/viewer/trace/${stored!.traceId}`);
  await expect(page.locator('.ft-row')).toContainText(name);
  await expect(page.locator('img')).toHaveCount(0);
});

test('an open trace list shows traces that arrive after it loaded, without a reload', async ({ page, request, traces }) => {
  const list = `/flowtrace/viewer?testId=${encodeURIComponent(traces.testId)}`;
  await page.goto(list);
  await expect(page.getByText('No traces match these filters.')).toBeVisible();
  let navigations = 0;
  page.on('framenavigated', () => navigations++);

  const response = await request.post('/flowtrace/v1/traces', {
    data: {
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'late' } }] },
        scopeSpans: [{ spans: [{
          traceId: randomBytes(16).toString('hex'),
          spanId: '2'.repeat(16), name: 'late.arrival', kind: 1, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000002000000',
          attributes: [{ key: 'flowtrace.test_id', value: { stringValue: traces.testId } }],
        }] }],
      }],
    },
  });
  expect(response.status()).toBe(200);
  await traces.settle();
  await expect(page.getByRole('link', { name: 'late.arrival' })).toBeVisible();
  await expect(page.locator('table.ft-list tbody tr')).toHaveCount(1);
  expect(navigations).toBe(0);
});
