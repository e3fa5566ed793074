/**
 * The room page is for the room's members, signed in: the API and the signalling socket each
 * check, and whoever is turned away is told why, in the page and in the trace.
 */
import { WebSocket } from 'ws';
import { expect, test } from './fixtures.ts';
import { addGuest, createRoom, signUp } from './members.ts';

test('a signed-in non-member is turned away with a clear error, by the API and by the socket', async ({ page, browser, baseURL, traces }) => {
  const hostContext = await browser.newContext();
  await signUp(hostContext, 'Host');
  const roomId = await createRoom(hostContext, 'Members only');
  await hostContext.close();
  await signUp(page.context(), 'Stranger');

  await page.goto(`/room.html?room=${roomId}`);
  await expect(page.locator('#who')).toHaveText(/^Signed in as Stranger/);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.locator('#call-status')).toHaveText('You are not a member of this room: ask its host for an invite link.');
  await expect(page.getByRole('button', { name: 'Join', exact: true })).toBeEnabled();
  const join = await traces.rootedAt('room.join');
  expect(join).toHaveSpanTree({
    role: 'browser',
    name: 'room.join',
    status: 'error',
    attributes: { 'flowtrace.flow.outcome': 'error', 'simplycaster.room.id': roomId },
    children: [
      {
        kind: 'client',
        children: [
          {
            role: 'server',
            name: 'POST /api/rooms/:id/participants',
            attributes: { 'http.response.status_code': 403, 'simplycaster.participant.refused': 'not_member' },
          },
        ],
      },
    ],
  });
  expect(join.some((span) => span.name === 'INSERT participants')).toBe(false);

  // The socket checks for itself: straight to it with the stranger's session cookie.
  const cookie = (await page.context().cookies()).find((c) => c.name === 'sc_session')!;
  const baggage = encodeURIComponent(`flowtrace.test_id=${traces.testId}`);
  const ws = new WebSocket(`${baseURL!.replace('http', 'ws')}/ws/signal?room=${roomId}&baggage=${baggage}`, {
    headers: { cookie: `sc_session=${cookie.value}` },
  });
  const [code, reason] = await new Promise<[number, string]>((closed) => ws.once('close', (c, r) => closed([c, String(r)])));
  expect([code, reason]).toEqual([4403, 'You are not a member of this room: ask its host for an invite link.']);
  const upgrade = (await traces.settle({ minTraces: 2 })).flatMap((t) => t.spans).find((span) => span.name === 'upgrade /ws/signal')!;
  expect(upgrade).toMatchObject({
    status: { code: 'error', message: 'participant refused: not_member' },
    attributes: { 'simplycaster.participant.refused': 'not_member', 'simplycaster.room.id': roomId },
  });
  expect(JSON.stringify(upgrade)).not.toContain(cookie.value);
});

test('signed out, the room page says to sign in and offers no way to join', async ({ page, browser }) => {
  const hostContext = await browser.newContext();
  await signUp(hostContext, 'Host');
  const roomId = await createRoom(hostContext, 'Quiet room');
  await hostContext.close();
  await page.goto(`/room.html?room=${roomId}`);
  await expect(page.locator('#who')).toHaveText('You are signed out: sign in on the studio page, then come back.');
  await expect(page.getByRole('button', { name: 'Join', exact: true })).toBeDisabled();
  await expect(page.getByRole('link', { name: 'sign in on the studio page' })).toHaveAttribute('href', '/');
});

test('only the host starts and stops recordings; a guest is told so', async ({ page, newTracedContext }) => {
  const guestContext = await newTracedContext();
  await signUp(page.context(), 'Host');
  await signUp(guestContext, 'Guest');
  const roomId = await createRoom(page.context(), 'Host decides');
  await addGuest(page.context(), guestContext, roomId);
  const refused = await guestContext.request.post(`/api/rooms/${roomId}/recordings`);
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error).toBe('Only the host of this room can start or stop a recording.');
  const started = await page.context().request.post(`/api/rooms/${roomId}/recordings`);
  expect(started.status()).toBe(201);
  const { id } = (await started.json()) as { id: string };
  const again = await page.context().request.post(`/api/rooms/${roomId}/recordings`);
  expect(again.status()).toBe(409);
  expect((await again.json()).error).toBe('A recording is running in this room already: stop it first.');
  expect((await guestContext.request.post(`/api/recordings/${id}/stop`)).status()).toBe(403);
  expect((await page.context().request.post(`/api/recordings/${id}/stop`)).status()).toBe(200);
  expect((await page.context().request.post(`/api/recordings/${id}/stop`)).status()).toBe(409);
});

test("another site's page cannot open the room's socket with a member's cookie", async ({ page, baseURL }) => {
  await signUp(page.context(), 'Host');
  const roomId = await createRoom(page.context(), 'Same origin only');
  const cookie = (await page.context().cookies()).find((c) => c.name === 'sc_session')!;
  const url = `${baseURL!.replace('http', 'ws')}/ws/signal?room=${roomId}`;
  const open = (origin: string) =>
    new Promise<string>((settled) => {
      const ws = new WebSocket(url, { headers: { cookie: `sc_session=${cookie.value}`, origin } });
      ws.once('message', (data) => {
        settled(JSON.parse(String(data).slice(String(data).indexOf('{'))).type);
        ws.close();
      });
      ws.once('unexpected-response', (_req, res) => settled(`refused ${res.statusCode}`));
    });
  expect(await open('https://elsewhere.example')).toBe('refused 403');
  expect(await open(baseURL!)).toBe('welcome');
});
