/**
 * Room creation on two instances behind a balancer, asserted from Jaeger: the trace holds together
 * whichever instance served each request, from the click to the database.
 */
import { signUp, unique } from '../members.ts';
import { newAccount, register } from '../accounts.ts';
import { expect, test } from './fixtures.ts';

const UUID = /^[0-9a-f-]{36}$/;

test('an API call through the balancer is one trace in Jaeger, from the HTTP span to the rows', async ({ request, traces }) => {
  await signUp(request, 'Host');
  const response = await request.post('/api/rooms', {
    headers: { baggage: `flowtrace.test_id=${traces.testId}` },
    data: { name: unique('Over the wire'), maxParticipants: 3 },
  });
  expect(response.status()).toBe(201);

  const trace = await traces.rootedAt('POST /api/rooms');
  expect(trace).toHaveSpanTree({
    role: 'server',
    kind: 'server',
    name: 'POST /api/rooms',
    attributes: { 'http.route': '/api/rooms', 'http.response.status_code': 201, 'enduser.id': UUID, 'flowtrace.test_id': traces.testId },
    ordered: true,
    children: [
      { name: 'auth.session', children: [{ role: 'db', name: 'SELECT sessions' }] },
      { name: 'room.validate' },
      {
        name: 'room.create',
        ordered: true,
        children: [
          { role: 'db', kind: 'client', name: 'INSERT rooms', attributes: { 'db.system.name': 'postgresql', 'db.collection.name': 'rooms' } },
          { role: 'db', kind: 'client', name: 'INSERT room_members' },
        ],
      },
    ],
  });
  expect(trace.every((span) => span.service === 'simplycaster-api')).toBe(true);
});

test('creating a room from the page is one trace in Jaeger: the click, the fetch, either instance, the rows', async ({ page, stack, traces }) => {
  await stack.requireBrowserForwarding();
  const name = unique('Weekly show');
  await page.goto('/');
  await register(page, newAccount('Host'));
  await page.getByLabel('Room name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.locator('#create-status')).toHaveText(`Room “${name}” created.`);

  const trace = await traces.rootedAt('room.create');
  expect(trace).toHaveSpanTree({
    role: 'browser',
    name: 'room.create',
    attributes: { 'flowtrace.flow.outcome': 'ok', 'simplycaster.room.id': UUID },
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
            attributes: { 'http.response.status_code': 201 },
            children: [
              { name: 'auth.session', children: [{ role: 'db', name: 'SELECT sessions' }] },
              { name: 'room.validate' },
              { name: 'room.create', children: [{ role: 'db', name: 'INSERT rooms' }, { role: 'db', name: 'INSERT room_members' }] },
            ],
          },
        ],
      },
      { role: 'browser', name: 'webrtc.init' },
    ],
  });
  expect(trace.every((span) => span.attributes['flowtrace.test_id'] === traces.testId)).toBe(true);
  expect(JSON.stringify(trace)).not.toContain(name);
});
