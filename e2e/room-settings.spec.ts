/**
 * A room's settings, enforced on the room page: a full room (its `maxParticipants`) turns one more
 * away, by the join API and by the signalling socket; an `audio` room records audio only.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { expect, test } from './fixtures.ts';
import { addGuest, createRoom, signUp } from './members.ts';

// Unique names: the PostgreSQL test database keeps the rooms of earlier runs.
const unique = (name: string) => `${name} ${randomUUID().slice(0, 8)}`;
const FULL = 'This room is full: 2 of 2 people are in it. Try again when someone leaves.';

async function joinRoomPage(page: Page, roomId: string, role: 'host' | 'guest'): Promise<void> {
  await page.goto(`/room.html?room=${roomId}`);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.locator('#call-status')).toHaveText(new RegExp(` as ${role}\\. Waiting for a call\\.$`));
}

test('a full room turns one more member away, in the page, the API and the socket, with the reason in the trace', async ({ page, browser, baseURL, traces }) => {
  // The host and the first guest in contexts of their own, so the test's traces are the latecomer's.
  const hostContext = await browser.newContext();
  const firstContext = await browser.newContext();
  try {
    await signUp(hostContext, 'Host');
    const roomId = await createRoom(hostContext, unique('Duo'), { maxParticipants: 2 });
    await signUp(firstContext, 'First');
    await addGuest(hostContext, firstContext, roomId);
    await signUp(page.context(), 'Late');
    await addGuest(hostContext, page.context(), roomId);
    const host = await hostContext.newPage();
    await joinRoomPage(host, roomId, 'host');
    const first = await firstContext.newPage();
    await joinRoomPage(first, roomId, 'guest');
    await expect(host.locator('#participants')).toHaveText('2 people are in the room.');

    await page.goto(`/room.html?room=${roomId}`);
    const answered = page.waitForResponse((response) => response.url().endsWith(`/api/rooms/${roomId}/participants`));
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    const response = await answered;
    expect(response.status()).toBe(409);
    expect(await response.json()).toEqual({ error: FULL, reason: 'room_full' });
    await expect(page.locator('#call-status')).toHaveText(FULL);
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
              attributes: {
                'http.response.status_code': 409,
                'simplycaster.participant.refused': 'room_full',
                'simplycaster.room.participant_count': 2,
                'simplycaster.room.max_participants': 2,
              },
            },
          ],
        },
      ],
    });
    expect(join.some((span) => span.name === 'INSERT participants')).toBe(false);

    // The socket decides for itself (two people may pass the API for the last place at once).
    const tracesSoFar = (await traces.settle()).length;
    const cookie = (await page.context().cookies()).find((c) => c.name === 'sc_session')!;
    const baggage = encodeURIComponent(`flowtrace.test_id=${traces.testId}`);
    const ws = new WebSocket(`${baseURL!.replace('http', 'ws')}/ws/signal?room=${roomId}&baggage=${baggage}`, {
      headers: { cookie: `sc_session=${cookie.value}` },
    });
    const [code, reason] = await new Promise<[number, string]>((closed) => ws.once('close', (c, r) => closed([c, String(r)])));
    expect([code, reason]).toEqual([4409, FULL]);
    const upgrade = (await traces.settle({ minTraces: tracesSoFar + 1 })).flatMap((t) => t.spans).find((span) => span.name === 'upgrade /ws/signal')!;
    expect(upgrade).toMatchObject({
      status: { code: 'error', message: 'participant refused: room_full' },
      attributes: { 'simplycaster.participant.refused': 'room_full', 'simplycaster.room.participant_count': 2 },
    });

    // Once someone leaves, there is a place again.
    await first.close();
    await expect(host.locator('#participants')).toHaveText('You are alone in the room.');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(page.locator('#call-status')).toHaveText(/ as guest\. Waiting for a call\.$/);
    await expect(host.locator('#participants')).toHaveText('2 people are in the room.');
  } finally {
    await Promise.all([hostContext.close(), firstContext.close()]);
  }
});

test('an audio room records the microphone alone: audio/webm from the recorder, an audio-only file, and no video track accepted', async ({ page, traces }) => {
  await signUp(page.context(), 'Voice');
  const roomId = await createRoom(page.context(), unique('Radio hour'), { recordingMode: 'audio' });
  await joinRoomPage(page, roomId, 'host');
  await expect(page.locator('#room-settings')).toHaveText('This room: up to 4 people, records audio only.');

  const trackAdded = page.waitForResponse((response) => /\/api\/recordings\/[^/]+\/tracks$/.test(response.url()));
  await page.getByRole('button', { name: 'Start recording' }).click();
  const added = await trackAdded;
  expect(added.status()).toBe(201);
  expect(added.request().postDataJSON()).toEqual({ mimeType: expect.stringMatching(/^audio\/webm/) });
  await expect(page.locator('#recording-status')).toHaveText(/^Recording: ([3-9]|\d{2,}) chunks uploaded\.$/);
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.locator('#recording-status')).toHaveText('Your track is ready: download it below.');
  const link = page.getByRole('link', { name: /^Download the track of / });
  await expect(link).toHaveCount(1);

  const start = await traces.rootedAt('recording.start');
  const trackStart = start.find((span) => span.name === 'recording.track.start')!;
  expect(trackStart.attributes).toMatchObject({ 'simplycaster.room.recording_mode': 'audio', 'simplycaster.track.kinds': 'audio' });
  expect(start.find((span) => span.name === 'media.recording')?.attributes['recording.mime_type']).toMatch(/^audio\/webm/);

  // The assembled file is WebM with an Opus audio track and no video track (Matroska codec ids).
  const downloading = page.waitForEvent('download');
  await link.click();
  const file = await readFile((await (await downloading).path())!);
  expect(file.subarray(0, 4).toString('hex')).toBe('1a45dfa3');
  expect(file.includes('A_OPUS')).toBe(true);
  expect(file.includes('V_VP8') || file.includes('V_VP9')).toBe(false);

  // The API holds the room to it, whatever a client asks.
  const recordingId = added.url().split('/').at(-2)!;
  const video = await page.context().request.post(`/api/recordings/${recordingId}/tracks`, { data: { mimeType: 'video/webm' } });
  expect(video.status()).toBe(409);
  expect(await video.json()).toEqual({ error: 'This room records audio only: add an audio/webm track.' });
});
