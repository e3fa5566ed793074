import { expect, test } from './fixtures.ts';

test.beforeEach(async ({ page }) => {
  await page.goto('/sdk-harness.html');
  await expect(page.locator('#ready')).toHaveText('ready');
  await page.evaluate(() => globalThis.flowtraceInitForTest({ webrtc: true, recording: true }).ready);
});

test('a real recording: one span with mime type, timeslice, chunks and bytes; each chunk upload is its child', async ({ page, request, traces }) => {
  const id = `rec-${Date.now()}`;
  const { uploaded } = await page.evaluate((recordingId) => globalThis.flowtraceScenarios.recordAndUpload(recordingId, 100, 3), id);
  expect(uploaded.length).toBeGreaterThanOrEqual(3);
  expect(uploaded.every((status) => status === 201)).toBe(true);
  const stored = (await (await request.get(`/api/uploads/${id}`)).json()) as { chunks: number; bytes: number };
  expect(stored.chunks).toBe(uploaded.length);

  const trace = await traces.rootedAt('recording.session');
  const recording = trace.find((span) => span.name === 'media.recording')!;
  expect(recording.attributes).toMatchObject({
    'recording.mime_type': expect.stringMatching(/^video\/webm/),
    'recording.timeslice_ms': 100,
    'recording.chunk_count': uploaded.length,
    'recording.bytes': stored.bytes,
    'recording.state': 'stopped',
  });
  const uploads = trace.filter((span) => span.side === 'browser' && span.kind === 'client' && span.parentSpanId === recording.spanId);
  expect(uploads.length).toBe(uploaded.length);
  expect(trace).toHaveSpanTree({
    name: 'recording.session',
    children: [
      { name: 'webrtc.get_user_media' },
      {
        name: 'media.recording',
        children: [{ kind: 'client', children: [{ role: 'server', name: 'POST /api/uploads/:recording/chunks/:seq' }] }],
      },
    ],
  });
});

test('a failed chunk upload is recorded and retried under the recording', async ({ page, traces }) => {
  const { uploaded } = await page.evaluate(() => globalThis.flowtraceScenarios.recordAndUpload(`flaky-${Date.now()}`, 100, 2));
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
  const { uploaded } = await page.evaluate(() => globalThis.flowtraceScenarios.recordAndUpload(`broken-${Date.now()}`, 100, 2));
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
