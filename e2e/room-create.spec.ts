import { expect, test } from './fixtures.ts';

test('clicking "Create room" yields one trace from the click to the INSERT', async ({ page, traces }) => {
  await page.goto('/');
  await page.getByLabel('Room name').fill('Weekly show');
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#create-status')).toHaveText('Room “Weekly show” created.');

  const trace = await traces.rootedAt('room.create');

  expect(trace).toHaveSpanTree({
    role: 'browser',
    name: 'room.create',
    attributes: { 'flowtrace.flow.name': 'room.create', 'flowtrace.flow.outcome': 'ok', 'simplycaster.room.id': /^[0-9a-f-]{36}$/ },
    children: [
      {
        role: 'browser',
        kind: 'client',
        attributes: { 'http.request.method': 'POST', 'url.full': /\/api\/rooms$/ },
        children: [
          {
            role: 'server',
            kind: 'server',
            name: 'POST /api/rooms',
            attributes: { 'http.route': '/api/rooms', 'http.response.status_code': 201 },
            children: [
              {
                role: 'server',
                name: 'room.create',
                attributes: { 'simplycaster.room.id': /^[0-9a-f-]{36}$/ },
                children: [
                  {
                    role: 'db',
                    kind: 'client',
                    name: 'INSERT rooms',
                    attributes: {
                      'db.system.name': 'postgresql',
                      'db.operation.name': 'INSERT',
                      'db.collection.name': 'rooms',
                      'db.query.text': 'INSERT INTO rooms (name, host_id) VALUES ($1, $2) RETURNING id, name, host_id, created_at',
                    },
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  });
  // Every span of the trace carries the test's id, on both sides.
  expect(trace.every((span) => span.attributes['flowtrace.test_id'] === traces.testId)).toBe(true);
});

test('a room list load outside any flow is its own trace and never joins the flow', async ({ page, traces }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Rooms' })).toBeVisible();
  const settled = await traces.settle();
  const listTrace = settled.find((trace) => trace.spans.some((span) => span.name === 'GET /api/rooms'));
  expect(listTrace, 'the page load fetches /api/rooms').toBeDefined();
  expect(listTrace!.spans.some((span) => span.name === 'room.create')).toBe(false);
  expect(listTrace!.spans).toHaveSpanTree({
    role: 'browser',
    kind: 'client',
    children: [{ role: 'server', name: 'GET /api/rooms', children: [{ role: 'db', name: 'SELECT rooms' }] }],
  });
});

test('a created room links to its room page, where participants join and call', async ({ page }) => {
  const name = `Linked room ${Date.now()}`;
  await page.goto('/');
  await page.getByLabel('Room name').fill(name);
  await page.getByRole('button', { name: 'Create room' }).click();
  const roomId = await page.locator('li', { hasText: name }).getAttribute('data-room-id');
  await page.getByRole('link', { name: `Open ${name}` }).click();
  await expect(page).toHaveURL(`/room.html?room=${roomId}`);
  await expect(page.getByRole('heading', { name: 'Join the room' })).toBeVisible();
});
