/**
 * The browser SDK's recording instrumentation with a real MediaRecorder, uploading to the demo's
 * real recordings API, where real faults are caused: a duplicated chunk (409), an oversized one
 * (413), a missing one (400 at completion).
 *
 * Retries need a server that fails and then recovers (5xx), which the recordings API never does
 * on purpose; the two retry tests use the e2e server's fault-injecting sink `/api/uploads` (e2e/harness/upload-sink.ts).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { signUp } from './members.ts';

test.beforeEach(async ({ page }) => {
  await page.goto('/sdk-harness.html');
  await expect(page.locator('#ready')).toHaveText('ready');
  await page.evaluate(() => globalThis.flowtraceInitForTest({ webrtc: true, recording: true }).ready);
});

const CHUNK_ROUTE = 'PUT /api/recordings/:id/tracks/:trackId/chunks/:seq';
const COMPLETE_ROUTE = 'POST /api/recordings/:id/tracks/:trackId/complete';

/** A signed-in host with a room, a recording and a track, over the real API in the page's cookie jar. */
async function recordingTrack(page: Page) {
  const { request } = page.context();
  await signUp(page.context(), 'Recorder');
  const room = (await (await request.post('/api/rooms', { data: { name: 'SDK recording' } })).json()) as { id: string };
  const { id: recordingId } = (await (await request.post(`/api/rooms/${room.id}/recordings`)).json()) as { id: string };
  const added = await request.post(`/api/recordings/${recordingId}/tracks`, { data: { mimeType: 'video/webm' } });
  expect(added.status()).toBe(201);
  const { trackId } = (await added.json()) as { trackId: string };
  const trackPath = `/api/recordings/${recordingId}/tracks/${trackId}`;
  return {
    /** What the page records: `chunks` chunks of 100 ms, uploaded with PUT, then the track completed. */
    options: (more: { chunks?: number; skip?: number[]; pad?: number } = {}) => ({
      recordingId,
      chunkUrl: `${trackPath}/chunks/{seq}`,
      method: 'PUT',
      timeslice: 100,
      chunks: 3,
      completeUrl: `${trackPath}/complete`,
      ...more,
    }),
    put: (seq: number, data: string | Buffer) => request.put(`${trackPath}/chunks/${seq}`, { data }),
    /** The track once assembled, as the recordings list shows it, and its file. */
    ready: async () => {
      const listed = async () => {
        const { recordings } = (await (await request.get(`/api/recordings?room=${room.id}`)).json()) as {
          recordings: Array<{ tracks: Array<{ trackId: string; status: string; bytes: number; download: string }> }>;
        };
        return recordings.flatMap((recording) => recording.tracks).find((track) => track.trackId === trackId);
      };
      await expect.poll(async () => (await listed())?.status).toBe('ready');
      const track = (await listed())!;
      return { ...track, file: Buffer.from(await (await request.get(track.download)).body()) };
    },
  };
}

/** The fault-injecting sink's options, for the retry tests. */
const sink = (recordingId: string) => ({ recordingId, chunkUrl: `/api/uploads/${recordingId}/chunks/{seq}`, timeslice: 100, chunks: 2 });

test('a real recording: one span with mime type, timeslice, chunks and bytes; each chunk upload is its child', async ({ page, traces }) => {
  const track = await recordingTrack(page);
  const { uploaded, completed } = await page.evaluate((options) => globalThis.flowtraceScenarios.recordAndUpload(options), track.options());
  expect(uploaded.length).toBeGreaterThanOrEqual(3);
  expect(uploaded.every((status) => status === 201)).toBe(true);
  expect(completed).toBe(202);
  const stored = await track.ready();

  const trace = await traces.rootedAt('recording.session');
  const recording = trace.find((span) => span.name === 'media.recording')!;
  expect(recording.attributes).toMatchObject({
    'recording.mime_type': expect.stringMatching(/^video\/webm/),
    'recording.timeslice_ms': 100,
    'recording.chunk_count': uploaded.length,
    'recording.bytes': stored.bytes,
    'recording.state': 'stopped',
  });
  expect(stored.file.length).toBe(stored.bytes);
  expect(recording.status.code).toBe('unset');
  const uploads = trace.filter((span) => span.side === 'browser' && span.kind === 'client' && span.parentSpanId === recording.spanId);
  expect(uploads.length).toBe(uploaded.length);
  expect(trace).toHaveSpanTree({
    name: 'recording.session',
    children: [
      { name: 'webrtc.get_user_media' },
      {
        name: 'media.recording',
        children: [
          {
            kind: 'client',
            attributes: { 'http.request.method': 'PUT' },
            children: [{ role: 'server', name: CHUNK_ROUTE, attributes: { 'http.response.status_code': 201 }, children: [{ role: 'db', name: 'INSERT recording_chunks' }] }],
          },
        ],
      },
      { kind: 'client', children: [{ role: 'server', name: COMPLETE_ROUTE, attributes: { 'http.response.status_code': 202 } }] },
    ],
  });
});

test('a duplicated chunk is refused, not retried, and ends the recording in error with the reason; the stored chunk is kept', async ({ page, traces }) => {
  const track = await recordingTrack(page);
  expect((await track.put(1, 'stored first')).status()).toBe(201);
  const { uploaded, completed } = await page.evaluate((options) => globalThis.flowtraceScenarios.recordAndUpload(options), track.options());
  expect(uploaded[1]).toBe(409);
  expect(uploaded.filter((status) => status === 201).length).toBe(uploaded.length - 1);
  expect(completed).toBe(202);
  expect((await track.ready()).file.includes('stored first')).toBe(true);

  const trace = await traces.rootedAt('recording.session');
  const recording = trace.find((span) => span.name === 'media.recording')!;
  expect(recording.status).toEqual({ code: 'error', message: 'chunk upload refused: HTTP 409' });
  expect(recording.events.filter((event) => event.name.startsWith('recording.upload_')).map((event) => [event.name, event.attributes])).toEqual([
    ['recording.upload_failed', { attempt: 1, reason: 'HTTP 409', final: true }],
  ]);
  const attempts = trace.filter((span) => span.side === 'browser' && span.kind === 'client' && span.parentSpanId === recording.spanId);
  expect(attempts.length).toBe(uploaded.length);
  const refused = trace.find((span) => span.name === CHUNK_ROUTE && span.attributes['http.response.status_code'] === 409)!;
  expect(refused.attributes['simplycaster.chunk.seq']).toBe(1);
  expect(refused.events.map((event) => [event.name, event.attributes])).toEqual([['recording.chunk_refused', { 'simplycaster.chunk.refused': 'duplicate' }]]);
});

test('an oversized chunk is refused with 413 and the reason; completing then names it missing', async ({ page, traces }) => {
  const track = await recordingTrack(page);
  const options = track.options({ pad: 8 * 1024 * 1024 });
  const { uploaded, completed } = await page.evaluate((o) => globalThis.flowtraceScenarios.recordAndUpload(o), options);
  expect(uploaded[0]).toBe(413);
  expect(completed).toBe(400);

  const trace = await traces.rootedAt('recording.session');
  const recording = trace.find((span) => span.name === 'media.recording')!;
  expect(recording.status).toEqual({ code: 'error', message: 'chunk upload refused: HTTP 413' });
  const refused = trace.find((span) => span.name === CHUNK_ROUTE && span.attributes['http.response.status_code'] === 413)!;
  expect(refused.events.map((event) => event.attributes)).toEqual([{ 'simplycaster.chunk.refused': 'too_large' }]);
  const complete = trace.find((span) => span.name === COMPLETE_ROUTE)!;
  expect(complete.events.find((event) => event.name === 'recording.chunks_incomplete')?.attributes).toMatchObject({ 'simplycaster.chunk.missing': '0' });
});

test('a chunk never uploaded is named at completion, in the answer and in the trace', async ({ page, traces }) => {
  const track = await recordingTrack(page);
  const { uploaded, completed } = await page.evaluate((o) => globalThis.flowtraceScenarios.recordAndUpload(o), track.options({ skip: [1] }));
  expect(uploaded.every((status) => status === 201)).toBe(true);
  expect(completed).toBe(400);

  const trace = await traces.rootedAt('recording.session');
  expect(trace).toHaveSpanTree({
    name: 'recording.session',
    children: [
      { name: 'webrtc.get_user_media' },
      { name: 'media.recording', status: 'unset' },
      {
        kind: 'client',
        status: 'error',
        children: [
          {
            role: 'server',
            name: COMPLETE_ROUTE,
            attributes: { 'http.response.status_code': 400 },
            events: ['recording.chunks_incomplete'],
            children: [{ role: 'db', name: 'SELECT recording_chunks' }],
          },
        ],
      },
    ],
  });
  const complete = trace.find((span) => span.name === COMPLETE_ROUTE)!;
  expect(complete.events[0]?.attributes).toEqual({ 'simplycaster.chunk.missing': '1', 'simplycaster.chunk.extra': '' });
});

test('a failed chunk upload is recorded and retried under the recording', async ({ page, traces }) => {
  const { uploaded } = await page.evaluate((o) => globalThis.flowtraceScenarios.recordAndUpload(o), sink(`flaky-${Date.now()}`));
  expect(uploaded.every((status) => status === 201)).toBe(true);
  const trace = await traces.rootedAt('recording.session');
  const recording = trace.find((span) => span.name === 'media.recording')!;
  const events = recording.events.map((e) => e.name);
  expect(events.filter((name) => name === 'recording.upload_failed').length).toBe(uploaded.length);
  expect(events.filter((name) => name === 'recording.upload_retry').length).toBe(uploaded.length);
  const attempts = trace.filter((span) => span.side === 'browser' && span.kind === 'client' && span.parentSpanId === recording.spanId);
  expect(attempts.length).toBe(uploaded.length * 2);
  expect(attempts.filter((span) => span.status.code === 'error').length).toBe(uploaded.length);
});

test('uploads that keep failing end the recording in error with the reason; the app keeps working', async ({ page, traces }) => {
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  const { uploaded } = await page.evaluate((o) => globalThis.flowtraceScenarios.recordAndUpload(o), sink(`broken-${Date.now()}`));
  expect(uploaded.every((status) => status === 500)).toBe(true);
  const trace = await traces.rootedAt('recording.session');
  const recording = trace.find((span) => span.name === 'media.recording')!;
  expect(recording.status).toEqual({ code: 'error', message: 'chunk upload failed after 2 attempts: HTTP 500' });
  expect(await page.evaluate(async () => (await fetch('/api/rooms')).status)).toBe(200);
  expect(pageErrors).toEqual([]);
});

test('a recorder error ends the recording span in error with the reason, and the flow goes on', async ({ page, traces }) => {
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  const outcome = await page.evaluate(async () => {
    const flow = globalThis.flowtraceSdk.startFlow('recording.session');
    const stream = await flow.run(() => navigator.mediaDevices.getUserMedia({ audio: true, video: true }));
    const recorder = flow.run(() => new MediaRecorder(stream));
    const errored = new Promise<string>((resolve) => recorder.addEventListener('error', (event) => resolve((event as ErrorEvent).error?.name ?? 'error')));
    const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve()));
    flow.run(() => recorder.start(100));
    // A real recorder error: Chromium's MediaRecorder fails when the recorded stream gains a track.
    const extra = await navigator.mediaDevices.getUserMedia({ video: true });
    stream.addTrack(extra.getVideoTracks()[0]!);
    const name = await errored;
    await stopped;
    flow.end();
    for (const track of [...stream.getTracks(), ...extra.getTracks()]) track.stop();
    return name;
  });
  expect(outcome).toBeTruthy();
  const trace = await traces.rootedAt('recording.session');
  const recording = trace.find((span) => span.name === 'media.recording')!;
  expect(recording.status.code).toBe('error');
  expect(recording.status.message).toMatch(/^recorder error/);
  expect(recording.attributes['recording.state']).toBe('failed');
  expect(pageErrors).toEqual([]);
});
