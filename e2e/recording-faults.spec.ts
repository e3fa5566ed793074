/**
 * What a recording participant sees, and what the trace shows, when the recordings API refuses
 * their upload: real faults caused through the real API while the page records (a chunk planted
 * first is a duplicate; a chunk beyond the count makes completion fail).
 */
import type { Page } from '@playwright/test';
import type { SpanRecord } from 'flowtrace/testing';
import { expect, test } from './fixtures.ts';
import { createRoom, joinRoomPage, signUp, unique } from './members.ts';

const CHUNK_ROUTE = 'PUT /api/recordings/:id/tracks/:trackId/chunks/:seq';
const COMPLETE_ROUTE = 'POST /api/recordings/:id/tracks/:trackId/complete';

/** A host alone in a room page, recording; resolves with the ids once the page has added its track. */
async function hostRecordingAlone(page: Page): Promise<{ roomId: string; recordingId: string; trackId: string; put: (seq: number) => Promise<number> }> {
  await signUp(page.context(), 'Solo');
  const roomId = await createRoom(page.context(), unique('Solo take'));
  await joinRoomPage(page, roomId, 'host');
  const trackAdded = page.waitForResponse((response) => /\/api\/recordings\/[^/]+\/tracks$/.test(response.url()));
  await page.getByRole('button', { name: 'Start recording' }).click();
  const response = await trackAdded;
  const recordingId = response.url().split('/').at(-2)!;
  const { trackId } = (await response.json()) as { trackId: string };
  const put = async (seq: number) =>
    (await page.context().request.put(`/api/recordings/${recordingId}/tracks/${trackId}/chunks/${seq}`, { data: `planted chunk ${seq}` })).status();
  return { roomId, recordingId, trackId, put };
}

/** The one span of `spans` named `name` (whose attributes match `attributes`). */
function only(spans: SpanRecord[], name: string, attributes: Record<string, unknown> = {}): SpanRecord {
  const found = spans.filter((span) => span.name === name && Object.entries(attributes).every(([key, value]) => span.attributes[key] === value));
  expect(found, `one span ${name} ${JSON.stringify(attributes)}`).toHaveLength(1);
  return found[0]!;
}

test('a chunk the server refuses is named in the UI and in the trace, and the track still completes', async ({ page, traces }) => {
  const { put } = await hostRecordingAlone(page);
  // A real refusal: chunk 10 is stored before the page sends its own. The page sends one every
  // 250 ms, so the plant has 2.5 s to land, ample even on a loaded machine.
  expect(await put(10)).toBe(201);
  await expect(page.locator('#recording-error')).toHaveText('Chunk 10 was refused: Chunk 10 was uploaded already; the stored one is kept.');
  await expect(page.locator('#recording-status')).toHaveText(/^Recording: (1[1-9]|[2-9]\d|\d{3,}) chunks uploaded\.$/);
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.locator('#recording-status')).toHaveText('Your track is ready: download it below.');
  await expect(page.getByRole('link', { name: /^Download the track of / })).toHaveCount(1);

  const start = await traces.rootedAt('recording.start');
  const recording = only(start, 'media.recording');
  expect(recording.status).toEqual({ code: 'error', message: 'chunk upload refused: HTTP 409' });
  expect(recording.events.find((event) => event.name === 'recording.upload_failed')?.attributes).toEqual({ attempt: 1, reason: 'HTTP 409', final: true });
  const refused = only(start, CHUNK_ROUTE, { 'http.response.status_code': 409 });
  expect(refused.attributes['simplycaster.chunk.seq']).toBe(10);
  expect(refused.events.map((event) => event.attributes)).toEqual([{ 'simplycaster.chunk.refused': 'duplicate' }]);
});

test('a track the server cannot complete says why in the UI and in the trace; nothing stored is lost', async ({ page, traces }) => {
  const { put, recordingId, trackId } = await hostRecordingAlone(page);
  // A real gap in the numbering: a chunk far beyond what the page will send.
  expect(await put(500)).toBe(201);
  await expect(page.locator('#recording-status')).toHaveText(/^Recording: ([3-9]|\d{2,}) chunks uploaded\.$/);
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.locator('#recording-error')).toHaveText('Your track could not be completed: The track is incomplete: chunk(s) 500 beyond the count.');

  const stop = await traces.rootedAt('recording.stop');
  const complete = only(stop, 'recording.track.complete');
  expect(complete.status).toEqual({ code: 'error', message: 'The track is incomplete: chunk(s) 500 beyond the count.' });
  expect(only(stop, COMPLETE_ROUTE).events.map((event) => [event.name, event.attributes])).toEqual([
    ['recording.chunks_incomplete', { 'simplycaster.chunk.missing': '', 'simplycaster.chunk.extra': '500' }],
  ]);
  // The track is still open with its chunks, so it can be put right and completed.
  const { recordings } = (await (await page.context().request.get(`/api/recordings`)).json()) as {
    recordings: Array<{ id: string; tracks: Array<{ trackId: string; status: string }> }>;
  };
  expect(recordings.find((r) => r.id === recordingId)?.tracks).toEqual([expect.objectContaining({ trackId, status: 'recording' })]);
});
