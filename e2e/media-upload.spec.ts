import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { expect, test as base } from './fixtures.ts';

/** A signed-in host with a room, a recording and a track, all over the real HTTP API. */
async function recordingTrack(request: APIRequestContext) {
  const registered = await request.post('/api/auth/register', {
    data: { displayName: 'Host', email: `host-${randomUUID()}@example.test`, password: `pw-${randomUUID()}` },
  });
  expect(registered.status()).toBe(201);
  const room = await (await request.post('/api/rooms', { data: { name: 'Upload test' } })).json();
  const recording = await request.post(`/api/rooms/${room.id}/recordings`);
  expect(recording.status()).toBe(201);
  const { id } = await recording.json();
  const track = await request.post(`/api/recordings/${id}/tracks`, { data: { mimeType: 'video/webm;codecs=vp8,opus' } });
  expect(track.status()).toBe(201);
  const { trackId } = await track.json();
  const trackPath = `/api/recordings/${id}/tracks/${trackId}`;
  return {
    trackId,
    upload: (seq: number, bytes: Buffer) => request.put(`${trackPath}/chunks/${seq}`, { data: bytes, headers: { 'content-type': 'video/webm' } }),
    complete: (chunkCount: number) => request.post(`${trackPath}/complete`, { data: { chunkCount, durationMs: chunkCount * 1000 } }),
    ready: async () => {
      const listed = async () => {
        const { recordings } = await (await request.get(`/api/recordings?room=${room.id}`)).json();
        return recordings.flatMap((r: { tracks: Array<{ trackId: string; status: string }> }) => r.tracks).find((t: { trackId: string }) => t.trackId === trackId);
      };
      await expect.poll(async () => (await listed())?.status).toBe('ready');
      return listed();
    },
  };
}

/** An API client tagged with the test id, as a page under the fixture is. */
const test = base.extend<{ api: APIRequestContext }>({
  api: async ({ playwright, baseURL, traces }, use) => {
    const request = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { baggage: `flowtrace.test_id=${traces.testId}` },
    });
    await use(request);
    await request.dispose();
  },
});

test('uploaded chunks are assembled in the background into a download with a matching checksum', async ({ api, traces }) => {
  const track = await recordingTrack(api);
  const chunks = [randomBytes(70_000), randomBytes(50_000), randomBytes(1_234)];
  for (const [seq, bytes] of chunks.entries()) expect((await track.upload(seq, bytes)).status()).toBe(201);
  expect((await track.complete(chunks.length)).status()).toBe(202);

  const ready = await track.ready();
  const whole = Buffer.concat(chunks);
  expect(ready).toMatchObject({ bytes: whole.length, durationMs: 3000, sha256: createHash('sha256').update(whole).digest('hex') });
  const download = await api.get(ready.download);
  expect(Buffer.from(await download.body()).equals(whole)).toBe(true);

  const settled = await traces.settle();
  const completeSpan = settled.flatMap((t) => t.spans).find((span) => span.name === 'POST /api/recordings/:id/tracks/:trackId/complete')!;
  const job = settled.find((t) => t.spans.some((span) => span.name === 'recording.assemble'))!;
  expect(job.traceId).not.toBe(completeSpan.traceId);
  expect(job.spans).toHaveSpanTree({
    role: 'server',
    name: 'recording.assemble',
    attributes: { 'simplycaster.chunk.count': 3, 'simplycaster.recording.bytes': whole.length },
    children: [{ name: 'media.concatenate' }, { role: 'db', name: 'UPDATE recording_tracks' }],
  });
  // runInBackground links the job's new trace to the request that asked for it.
  expect(job.spans.find((span) => span.name === 'recording.assemble')!.links).toEqual([
    expect.objectContaining({ traceId: completeSpan.traceId, spanId: completeSpan.spanId }),
  ]);
});

test('a missing chunk is named in the error, nothing stored is lost, and the gap can be filled', async ({ api, traces }) => {
  const track = await recordingTrack(api);
  const chunks = [randomBytes(1000), randomBytes(1000), randomBytes(1000)];
  await track.upload(0, chunks[0]!);
  await track.upload(2, chunks[2]!);
  const incomplete = await track.complete(3);
  expect(incomplete.status()).toBe(400);
  expect(await incomplete.json()).toMatchObject({ error: 'The track is incomplete: chunk(s) 1 missing.', missing: [1] });

  expect((await track.upload(1, chunks[1]!)).status()).toBe(201);
  expect((await track.complete(3)).status()).toBe(202);
  const ready = await track.ready();
  expect(Buffer.from(await (await api.get(ready.download)).body()).equals(Buffer.concat(chunks))).toBe(true);

  const refused = (await traces.settle()).flatMap((t) => t.spans).find((span) => span.events.some((e) => e.name === 'recording.chunks_incomplete'));
  expect(refused?.events[0]?.attributes).toEqual({ 'simplycaster.chunk.missing': '1', 'simplycaster.chunk.extra': '' });
});

test('a duplicated chunk is refused and the stored chunk is kept', async ({ api }) => {
  const track = await recordingTrack(api);
  const first = randomBytes(2000);
  expect((await track.upload(0, first)).status()).toBe(201);
  const duplicate = await track.upload(0, randomBytes(3000));
  expect(duplicate.status()).toBe(409);
  expect((await duplicate.json()).error).toBe('Chunk 0 was uploaded already; the stored one is kept.');
  expect((await track.complete(1)).status()).toBe(202);
  const ready = await track.ready();
  expect(Buffer.from(await (await api.get(ready.download)).body()).equals(first)).toBe(true);
});

test('a chunk over the size limit is refused with 413 and the server keeps taking chunks', async ({ api }) => {
  const track = await recordingTrack(api);
  const tooBig = await track.upload(0, Buffer.alloc(8 * 1024 * 1024 + 1));
  expect(tooBig.status()).toBe(413);
  expect((await tooBig.json()).error).toMatch(/at most 8388608 bytes/);
  expect((await track.upload(0, randomBytes(100))).status()).toBe(201);
});
