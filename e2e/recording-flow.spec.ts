/**
 * Multi-participant recording through the room page: two signed-in people in two browsers, a
 * real MediaRecorder in each, the start and the stop broadcast over the signalling WebSocket, the
 * tracks uploaded to the real recordings API, assembled in the background and downloaded.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { BrowserContext } from '@playwright/test';
import type { SpanExpectation } from 'flowtrace/testing';
import { newAccount, register, type Account } from './accounts.ts';
import { expect, test } from './fixtures.ts';
import { addGuest, createRoom, joinRoomPage, signUp, unique } from './members.ts';

const CHUNK_ROUTE = 'PUT /api/recordings/:id/tracks/:trackId/chunks/:seq';
const COMPLETE_ROUTE = 'POST /api/recordings/:id/tracks/:trackId/complete';
const isCount = (atLeast: number) => (value: unknown) => typeof value === 'number' && value >= atLeast;

async function userId(context: BrowserContext): Promise<string> {
  return ((await (await context.request.get('/api/auth/me')).json()) as { user: { id: string } }).user.id;
}

/** A server `send` of a room signal reaching one browser (`enduser.id`) as its `process` span. */
const reaches = (type: string, user: string, children: SpanExpectation[] = []): SpanExpectation => ({
  role: 'server',
  kind: 'producer',
  name: 'send /ws/signal',
  attributes: { 'simplycaster.signal.type': type },
  children: [{ role: 'browser', kind: 'consumer', name: 'process /ws/signal', attributes: { 'simplycaster.signal.type': type, 'enduser.id': user }, children }],
});

/** One participant's part of the start: their track added, their recorder's chunks uploaded. */
const recordsTrack = (user: string, recordingId: string): SpanExpectation =>
  reaches('recording-start', user, [
    {
      role: 'browser',
      name: 'recording.track.start',
      status: 'unset',
      attributes: { 'simplycaster.recording.id': recordingId, 'simplycaster.track.id': /^[0-9a-f-]{36}$/ },
      children: [
        { kind: 'client', children: [{ role: 'server', name: 'POST /api/recordings/:id/tracks', children: [{ role: 'db', name: 'INSERT recording_tracks' }] }] },
        {
          role: 'browser',
          name: 'media.recording',
          status: 'unset',
          attributes: { 'recording.state': 'stopped', 'recording.chunk_count': isCount(3), 'recording.mime_type': /^video\/webm/ },
          children: [
            {
              kind: 'client',
              attributes: { 'http.request.method': 'PUT' },
              children: [
                {
                  role: 'server',
                  name: CHUNK_ROUTE,
                  attributes: { 'http.response.status_code': 201, 'enduser.id': user, 'simplycaster.chunk.bytes': isCount(1) },
                  children: [{ role: 'db', name: 'INSERT recording_chunks' }],
                },
              ],
            },
          ],
        },
      ],
    },
  ]);

/** One participant's part of the stop: their track completed. */
const completesTrack = (user: string, recordingId: string): SpanExpectation =>
  reaches('recording-stop', user, [
    {
      role: 'browser',
      name: 'recording.track.complete',
      status: 'unset',
      attributes: { 'simplycaster.recording.id': recordingId, 'simplycaster.chunk.count': isCount(3), 'simplycaster.recording.duration_ms': isCount(1) },
      children: [
        {
          kind: 'client',
          children: [
            {
              role: 'server',
              name: COMPLETE_ROUTE,
              attributes: { 'http.response.status_code': 202, 'enduser.id': user },
              children: [{ role: 'db', name: 'SELECT recording_chunks' }, { role: 'db', name: 'UPDATE recording_tracks' }],
            },
          ],
        },
      ],
    },
  ]);

test('a recording across two browsers: the host starts, both record and upload, the host stops, both tracks are assembled and downloadable', async ({
  page: host,
  newTracedContext,
  traces,
}) => {
  // The host registers, creates the room and invites; the guest accepts the link: all in the UI.
  const hostAccount = newAccount('Host');
  const guestAccount = newAccount('Guest');
  const roomName = unique('Recording session');
  await host.goto('/');
  await register(host, hostAccount);
  await host.getByLabel('Room name').fill(roomName);
  await host.getByRole('button', { name: 'Create room' }).click();
  const roomId = (await host.locator('li', { hasText: roomName }).getAttribute('data-room-id'))!;
  await host.getByRole('button', { name: `Invite to ${roomName}` }).click();
  const link = await host.getByLabel(`Invite link for ${roomName}`).inputValue();
  const guestContext = await newTracedContext();
  const guest = await guestContext.newPage();
  await guest.goto(link);
  await register(guest, guestAccount);
  await guest.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(guest.locator('#invitation-status')).toHaveText(`You joined “${roomName}”.`);
  const [hostId, guestId] = [await userId(host.context()), await userId(guestContext)];

  await joinRoomPage(host, roomId, 'host');
  await joinRoomPage(guest, roomId, 'guest');
  await expect(host.locator('#participants')).toHaveText('2 people are in the room.');
  await expect(guest.getByRole('button', { name: 'Start recording' })).toBeHidden();

  const started = host.waitForResponse((response) => response.url().endsWith(`/api/rooms/${roomId}/recordings`));
  await host.getByRole('button', { name: 'Start recording' }).click();
  const recordingId = ((await (await started).json()) as { id: string }).id;
  for (const page of [host, guest]) await expect(page.locator('#recording-status')).toHaveText(/^Recording: ([3-9]|\d{2,}) chunks uploaded\.$/);
  await host.getByRole('button', { name: 'Stop recording' }).click();
  for (const page of [host, guest]) {
    await expect(page.locator('#recording-status')).toHaveText('Your track is ready: download it below.');
    // Refreshed when the server says a track is assembled: no reload, no timer.
    await expect(page.getByRole('link', { name: /^Download the track of / })).toHaveCount(2);
    await expect(page.locator('#recording-error')).toBeEmpty();
  }

  // Both downloads are real WebM files (EBML magic number) with the checksum the list shows.
  const files = new Map<string, Buffer>();
  for (const account of [hostAccount, guestAccount]) {
    const downloading = host.waitForEvent('download');
    await host.getByRole('link', { name: `Download the track of ${account.displayName}` }).click();
    const file = await readFile((await (await downloading).path())!);
    expect(file.length).toBeGreaterThan(1000);
    expect(file.subarray(0, 4).toString('hex')).toBe('1a45dfa3');
    files.set(account.displayName, file);
  }

  // Start: the host's click, through the server and its INSERT, into both browsers, each of which
  // adds its track and uploads its chunks: one trace.
  const start = await traces.rootedAt('recording.start');
  expect(start).toHaveSpanTree({
    role: 'browser',
    name: 'recording.start',
    attributes: {
      'flowtrace.flow.outcome': 'ok',
      'simplycaster.room.id': roomId,
      'simplycaster.recording.id': recordingId,
      'simplycaster.room.participant_count': 2,
    },
    children: [
      {
        role: 'browser',
        kind: 'client',
        attributes: { 'http.request.method': 'POST' },
        children: [
          {
            role: 'server',
            name: 'POST /api/rooms/:id/recordings',
            attributes: { 'http.response.status_code': 201, 'simplycaster.room.id': roomId },
            children: [
              {
                role: 'server',
                name: 'recording.start',
                attributes: { 'simplycaster.room.id': roomId, 'simplycaster.recording.id': recordingId, 'simplycaster.room.participant_count': 2 },
                children: [{ role: 'db', name: 'INSERT recordings' }, recordsTrack(hostId, recordingId), recordsTrack(guestId, recordingId)],
              },
            ],
          },
        ],
      },
    ],
  });

  // Stop: the host's click reaches both browsers, each completes its own track.
  const stop = await traces.rootedAt('recording.stop');
  expect(stop).toHaveSpanTree({
    role: 'browser',
    name: 'recording.stop',
    attributes: { 'flowtrace.flow.outcome': 'ok', 'simplycaster.recording.id': recordingId, 'simplycaster.room.participant_count': 2 },
    children: [
      {
        kind: 'client',
        children: [
          {
            role: 'server',
            name: 'POST /api/recordings/:id/stop',
            attributes: { 'http.response.status_code': 200 },
            children: [
              {
                role: 'server',
                name: 'recording.stop',
                attributes: { 'simplycaster.recording.id': recordingId, 'simplycaster.room.participant_count': 2 },
                children: [{ role: 'db', name: 'UPDATE recordings' }, completesTrack(hostId, recordingId), completesTrack(guestId, recordingId)],
              },
            ],
          },
        ],
      },
    ],
  });

  // Assembly: one background trace per track, linked to the request that completed it, with the
  // bytes, checksum and duration of the file downloaded above; it tells both browsers.
  const settled = await traces.settle();
  const completes = stop.filter((span) => span.name === COMPLETE_ROUTE);
  for (const [account, id] of [
    [hostAccount, hostId],
    [guestAccount, guestId],
  ] as Array<[Account, string]>) {
    const completed = completes.find((span) => span.attributes['enduser.id'] === id)!;
    const job = settled.find((t) => t.spans.some((span) => span.name === 'recording.assemble' && span.links[0]?.spanId === completed.spanId))!;
    expect(job.traceId).not.toBe(completed.traceId);
    const file = files.get(account.displayName)!;
    const recorded = start.find((span) => span.name === 'media.recording' && span.attributes['enduser.id'] === id)!;
    expect(recorded.attributes['recording.bytes']).toBe(file.length);
    expect(job.spans).toHaveSpanTree({
      role: 'server',
      name: 'recording.assemble',
      attributes: {
        'simplycaster.recording.id': recordingId,
        'simplycaster.recording.bytes': file.length,
        'simplycaster.recording.sha256': createHash('sha256').update(file).digest('hex'),
        'simplycaster.recording.duration_ms': isCount(1),
        'simplycaster.chunk.count': recorded.attributes['recording.chunk_count']!,
      },
      links: [{ traceId: completed.traceId, spanId: completed.spanId }],
      children: [
        { name: 'media.concatenate' },
        { role: 'db', name: 'UPDATE recording_tracks' },
        reaches('recording-updated', hostId),
        reaches('recording-updated', guestId),
      ],
    });
  }

  // Ids and counts only: no password, e-mail address, session cookie or invite token anywhere.
  const cookies = [...(await host.context().cookies()), ...(await guestContext.cookies())].filter((cookie) => cookie.name === 'sc_session');
  expect(cookies).toHaveLength(2);
  expect(settled.flatMap((t) => t.spans)).toBeFreeOfSecrets([
    hostAccount.password,
    guestAccount.password,
    hostAccount.email,
    guestAccount.email,
    link.split('#invite=')[1]!,
    ...cookies.map((cookie) => cookie.value),
  ]);
});

test('someone who joins while a recording runs records too, and the stop completes both tracks', async ({ page: host, newTracedContext, traces }) => {
  await signUp(host.context(), 'Early');
  const roomId = await createRoom(host.context(), unique('Late join'));
  const guestContext = await newTracedContext();
  const guestMember = await signUp(guestContext, 'Late');
  await addGuest(host.context(), guestContext, roomId);

  await joinRoomPage(host, roomId, 'host');
  const started = host.waitForResponse((response) => response.url().endsWith(`/api/rooms/${roomId}/recordings`));
  await host.getByRole('button', { name: 'Start recording' }).click();
  const recordingId = ((await (await started).json()) as { id: string }).id;
  await expect(host.locator('#recording-status')).toHaveText(/^Recording: ([2-9]|\d{2,}) chunks uploaded\.$/);

  const guest = await guestContext.newPage();
  await joinRoomPage(guest, roomId, 'guest');
  await expect(guest.locator('#recording-status')).toHaveText(/^Recording: ([3-9]|\d{2,}) chunks uploaded\.$/);
  await host.getByRole('button', { name: 'Stop recording' }).click();
  for (const page of [host, guest]) {
    await expect(page.locator('#recording-status')).toHaveText('Your track is ready: download it below.');
    await expect(page.getByRole('link', { name: /^Download the track of / })).toHaveCount(2);
    await expect(page.locator('#recording-error')).toBeEmpty();
  }

  // The late track belongs to the guest's join: the click that brought them in started it.
  const settled = await traces.settle();
  const lateJoin = settled.filter((t) => t.spans.some((span) => span.name === 'room.join') && t.spans.some((span) => span.name === 'recording.track.start'));
  expect(lateJoin).toHaveLength(1);
  expect(lateJoin[0]!.spans).toHaveSpanTree({
    role: 'browser',
    name: 'room.join',
    children: [
      {
        role: 'browser',
        name: 'recording.track.start',
        attributes: { 'simplycaster.recording.id': recordingId },
        children: [
          {
            kind: 'client',
            children: [{ role: 'server', name: 'POST /api/recordings/:id/tracks', attributes: { 'enduser.id': guestMember.id }, children: [{ role: 'db', name: 'INSERT recording_tracks' }] }],
          },
          { role: 'browser', name: 'media.recording', attributes: { 'recording.state': 'stopped', 'recording.chunk_count': isCount(3) } },
        ],
      },
    ],
  });
  const stop = await traces.rootedAt('recording.stop');
  expect(stop.filter((span) => span.name === COMPLETE_ROUTE).map((span) => span.attributes['http.response.status_code'])).toEqual([202, 202]);
});
