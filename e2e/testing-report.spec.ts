/**
 * flowtrace/testing against the real demo: report attachments on request, and a settle timeout
 * that says what is missing.
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from './fixtures.ts';
import { signUp } from './members.ts';

test('attaches the trace to the report as text and as a self-contained HTML waterfall on request', async ({ page, traces }, testInfo) => {
  await signUp(page.context(), 'Reporter');
  await page.goto('/');
  await page.getByLabel('Room name').fill('Report show');
  await page.getByRole('button', { name: 'Create room' }).click();
  await traces.rootedAt('room.create');
  await traces.attach('room-create');

  const text = testInfo.attachments.find((a) => a.name === 'room-create.txt');
  const html = testInfo.attachments.find((a) => a.name === 'room-create.html');
  expect(text?.contentType).toBe('text/plain');
  expect(html?.contentType).toBe('text/html');
  expect(text!.body!.toString()).toMatch(/browser: room\.create \[internal\] \+0\.0ms [\d.]+ms\n {2}browser: POST \[client\]/);

  // Rendered offline, from the attachment alone.
  await page.route('**/*', (route) => route.abort());
  await page.setContent(html!.body!.toString());
  await expect(page.locator('.ft-row.role-db', { hasText: 'INSERT rooms' })).toBeVisible();
  await expect(page.locator('.ft-row.role-server', { hasText: 'POST /api/rooms' })).toBeVisible();
});

test('settle times out naming the missing parent, the span that refers to it and its service', async ({ request, traces }) => {
  const parent = '00f067aa0ba902b7';
  await request.get('/api/rooms', {
    // A trace id of its own: the server keeps the traces of earlier runs (--repeat-each).
    headers: { traceparent: `00-${randomBytes(16).toString('hex')}-${parent}-01`, baggage: `flowtrace.test_id=${traces.testId}` },
  });
  // The browser span that would be the parent never exists, so this can only time out.
  await expect(traces.settle({ timeout: 1000 })).rejects.toThrow(
    `parent span ${parent} missing, referred to by "GET /api/rooms" [server] of simplycaster-api (server); expected from the caller`,
  );
});

test('a real trace that does not match fails with .not passing, and the printed tree pastes back', async ({ page, traces }) => {
  await signUp(page.context(), 'Paster');
  await page.goto('/');
  await page.getByLabel('Room name').fill('Paste show');
  await page.getByRole('button', { name: 'Create room' }).click();
  const trace = await traces.rootedAt('room.create');
  expect(trace).not.toHaveSpanTree('browser: room.create\n  server: POST /api/rooms');
  let printed = '';
  try {
    expect(trace).toHaveSpanTree('browser: room.create\n  server: POST /api/rooms');
  } catch (error) {
    printed = (error as Error).message.split('Actual trace (role: name [kind] +start duration):\n')[1] ?? '';
  }
  expect(printed).toContain('db: INSERT rooms [client]');
  expect(trace).toHaveSpanTree(printed);
});
