/**
 * The room creation flow through the studio page: a signed-in user creates a room with its
 * settings, traced from the click through auth, validation and the database to the browser's
 * WebRTC initialisation; and what the user and the trace see when it is refused.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { newAccount, register } from './accounts.ts';
import { expect, test } from './fixtures.ts';
import { unique } from './members.ts';

const UUID = /^[0-9a-f-]{36}$/;
const isCount = (atLeast: number) => (value: unknown) => typeof value === 'number' && value >= atLeast;

async function fillRoomForm(page: Page, room: { name: string; maxParticipants?: string; recording?: 'Video and audio' | 'Audio only' }): Promise<void> {
  await page.getByLabel('Room name', { exact: true }).fill(room.name);
  if (room.maxParticipants !== undefined) await page.getByLabel('Max participants', { exact: true }).fill(room.maxParticipants);
  if (room.recording) await page.getByLabel('Recording', { exact: true }).selectOption({ label: room.recording });
}

test('creating a room with settings is one trace: auth, validation, the rows, then WebRTC init in the browser', async ({ page, traces }) => {
  const name = unique('Weekly show');
  await page.goto('/');
  await register(page, newAccount('Host'));
  await fillRoomForm(page, { name, maxParticipants: '3', recording: 'Audio only' });
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#create-status')).toHaveText(`Room “${name}” created.`);
  await expect(page.locator('#rooms li', { hasText: name })).toContainText('(up to 3 people, records audio only)');

  const trace = await traces.rootedAt('room.create');
  expect(trace).toHaveSpanTree({
    role: 'browser',
    name: 'room.create',
    status: 'unset',
    attributes: {
      'flowtrace.flow.name': 'room.create',
      'flowtrace.flow.outcome': 'ok',
      'simplycaster.room.id': UUID,
      'simplycaster.room.max_participants': 3,
      'simplycaster.room.recording_mode': 'audio',
    },
    ordered: true,
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
            attributes: { 'http.route': '/api/rooms', 'http.response.status_code': 201, 'enduser.id': UUID },
            ordered: true,
            children: [
              {
                role: 'server',
                name: 'auth.session',
                status: 'unset',
                attributes: { 'enduser.id': UUID },
                children: [{ role: 'db', kind: 'client', name: 'SELECT sessions' }],
              },
              {
                role: 'server',
                name: 'room.validate',
                status: 'unset',
                attributes: { 'simplycaster.room.max_participants': 3, 'simplycaster.room.recording_mode': 'audio' },
              },
              {
                role: 'server',
                name: 'room.create',
                status: 'unset',
                attributes: { 'simplycaster.room.id': UUID, 'simplycaster.room.max_participants': 3, 'simplycaster.room.recording_mode': 'audio' },
                ordered: true,
                children: [
                  {
                    role: 'db',
                    kind: 'client',
                    name: 'INSERT rooms',
                    attributes: {
                      'db.system.name': 'postgresql',
                      'db.operation.name': 'INSERT',
                      'db.collection.name': 'rooms',
                      'db.query.text':
                        'INSERT INTO rooms (name, host_id, max_participants, recording_mode) VALUES ($1, $2, $3, $4) RETURNING id, name, host_id, max_participants, recording_mode, created_at',
                    },
                  },
                  { role: 'db', kind: 'client', name: 'INSERT room_members', attributes: { 'db.collection.name': 'room_members' } },
                ],
              },
            ],
          },
        ],
      },
      {
        role: 'browser',
        name: 'webrtc.init',
        status: 'unset',
        attributes: {
          'webrtc.ice.server_count': 0,
          'webrtc.ice.gathering_state': 'complete',
          'webrtc.ice.candidate_count': isCount(1),
          'webrtc.ice.candidates.host': isCount(1),
          'webrtc.ice.gathering_ms': isCount(0),
        },
      },
    ],
  });
  // Every span of the trace carries the test's id, on both sides; none carries the room's name.
  expect(trace.every((span) => span.attributes['flowtrace.test_id'] === traces.testId)).toBe(true);
  expect(JSON.stringify(trace)).not.toContain(name);
});

test('a setting out of bounds is refused in the UI naming the field, with a 400 and the reason in the trace; nothing is stored', async ({ page, traces }) => {
  const name = unique('Huge panel');
  await page.goto('/');
  await register(page, newAccount('Host'));
  await fillRoomForm(page, { name, maxParticipants: '99' });
  const answered = page.waitForResponse((response) => response.url().endsWith('/api/rooms') && response.request().method() === 'POST');
  await page.getByRole('button', { name: 'Create room' }).click();
  const response = await answered;
  expect(response.status()).toBe(400);
  expect(await response.json()).toEqual({ error: 'Max participants must be a whole number from 2 to 8.', field: 'maxParticipants' });
  await expect(page.locator('#create-status')).toHaveText('Max participants must be a whole number from 2 to 8.');
  await expect(page.getByLabel('Max participants', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Room name', { exact: true })).toHaveAttribute('aria-invalid', 'false');

  const trace = await traces.rootedAt('room.create');
  expect(trace).toHaveSpanTree({
    role: 'browser',
    name: 'room.create',
    status: 'error',
    attributes: { 'flowtrace.flow.outcome': 'error' },
    children: [
      {
        kind: 'client',
        children: [
          {
            role: 'server',
            name: 'POST /api/rooms',
            // 4xx is the client's error, not the server's (HTTP span conventions).
            status: 'unset',
            attributes: { 'http.response.status_code': 400 },
            children: [
              { name: 'auth.session', status: 'unset', children: [{ role: 'db', name: 'SELECT sessions' }] },
              {
                name: 'room.validate',
                status: 'error',
                attributes: { 'simplycaster.validation.field': 'maxParticipants', 'simplycaster.validation.failure': 'max_participants_out_of_range' },
              },
            ],
          },
        ],
      },
    ],
  });
  expect(trace.find((span) => span.name === 'room.validate')?.status).toEqual({ code: 'error', message: 'room refused: max_participants_out_of_range' });
  expect(trace.filter((span) => ['INSERT rooms', 'INSERT room_members', 'webrtc.init'].includes(span.name))).toEqual([]);
  expect(trace.filter((span) => span.name === 'room.create' && span.side === 'server')).toEqual([]);
  const { rooms } = (await (await page.request.get('/api/rooms')).json()) as { rooms: Array<{ name: string }> };
  expect(rooms.map((room) => room.name)).not.toContain(name);
  await expect(page.locator('#rooms li', { hasText: name })).toHaveCount(0);
});

test('signed out, the studio offers no room form, and the API refuses with 401 and the reason in the trace', async ({ page, request, traces }) => {
  await page.goto('/');
  await expect(page.locator('#create-signed-out')).toHaveText('Register or sign in above to create a room.');
  await expect(page.getByLabel('Room name', { exact: true })).toBeHidden();

  const response = await request.post('/api/rooms', { headers: { baggage: `flowtrace.test_id=${traces.testId}` }, data: { name: 'Nobody’s room' } });
  expect(response.status()).toBe(401);
  expect(await response.json()).toEqual({ error: 'Sign in to create a room.' });
  const refused = (await traces.settle()).find((trace) => trace.spans.some((span) => span.name === 'POST /api/rooms'))!;
  expect(refused.spans).toHaveSpanTree({
    role: 'server',
    name: 'POST /api/rooms',
    attributes: { 'http.response.status_code': 401 },
    children: [{ name: 'auth.session', status: 'error', attributes: { 'auth.failure.reason': 'no_session' } }],
  });
  expect(refused.spans.map((span) => span.name).filter((name) => name !== 'POST /api/rooms' && name !== 'auth.session')).toEqual([]);
});

test('a session that ended while the page was open: the UI asks to sign in, and the trace says why', async ({ page, context, baseURL, traces }) => {
  await page.goto('/');
  await register(page, newAccount('Stale'));
  // The cookie now names no session, as after signing out elsewhere or its expiry.
  await context.addCookies([{ name: 'sc_session', value: `gone-${randomUUID()}`, url: baseURL! }]);
  await fillRoomForm(page, { name: unique('Too late') });
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#create-status')).toHaveText('Sign in to create a room.');

  const trace = await traces.rootedAt('room.create');
  expect(trace).toHaveSpanTree({
    role: 'browser',
    name: 'room.create',
    status: 'error',
    children: [
      {
        kind: 'client',
        children: [
          {
            name: 'POST /api/rooms',
            attributes: { 'http.response.status_code': 401 },
            children: [
              {
                name: 'auth.session',
                status: 'error',
                attributes: { 'auth.failure.reason': 'invalid_session' },
                children: [{ role: 'db', name: 'SELECT sessions' }],
              },
            ],
          },
        ],
      },
    ],
  });
  expect(trace.filter((span) => ['room.validate', 'INSERT rooms', 'webrtc.init'].includes(span.name))).toEqual([]);
});

test('a browser without WebRTC still creates the room; webrtc.init fails in the trace and the page says calls may not work', async ({ page, traces }) => {
  // Before the app's scripts: this browser, as far as the page can tell, has no WebRTC.
  await page.addInitScript(() => {
    Reflect.deleteProperty(globalThis, 'RTCPeerConnection');
  });
  const name = unique('No calls here');
  await page.goto('/');
  await register(page, newAccount('Oldie'));
  await fillRoomForm(page, { name });
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#create-status')).toHaveText(
    `Room “${name}” created. This browser may not support calls (this browser has no WebRTC (RTCPeerConnection)).`,
  );
  await expect(page.locator('#rooms li', { hasText: name })).toBeVisible();

  const trace = await traces.rootedAt('room.create');
  expect(trace).toHaveSpanTree({
    role: 'browser',
    name: 'room.create',
    attributes: { 'flowtrace.flow.outcome': 'ok' },
    children: [
      { kind: 'client', children: [{ name: 'POST /api/rooms', attributes: { 'http.response.status_code': 201 } }] },
      { role: 'browser', name: 'webrtc.init', status: 'error' },
    ],
  });
  expect(trace.find((span) => span.name === 'webrtc.init')?.status.message).toBe('this browser has no WebRTC (RTCPeerConnection)');
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

test('a created room links to its room page, which shows its settings once joined', async ({ page }) => {
  const name = unique('Linked room');
  await page.goto('/');
  await register(page, newAccount('Linker'));
  await fillRoomForm(page, { name, maxParticipants: '2' });
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#create-status')).toHaveText(`Room “${name}” created.`);
  const roomId = await page.locator('li', { hasText: name }).getAttribute('data-room-id');
  await page.getByRole('link', { name: `Open ${name}` }).click();
  await expect(page).toHaveURL(`/room.html?room=${roomId}`);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.locator('#room-settings')).toHaveText('This room: up to 2 people, records video and audio.');
});
