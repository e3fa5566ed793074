import { randomBytes, randomUUID } from 'node:crypto';
import { expect, test } from './fixtures.ts';

test('planted secrets (password, session cookie, invite token, bearer token) appear in no exported span, recording flow included', async ({ playwright, baseURL, traces }) => {
  const password = `pw-${randomUUID()}`;
  const bearer = `sk_live_${randomBytes(18).toString('hex')}`;
  const email = `sweep-${randomUUID()}@example.test`;
  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { baggage: `flowtrace.test_id=${traces.testId}`, authorization: `Bearer ${bearer}` },
  });
  try {
    expect((await api.post('/api/auth/register', { data: { displayName: 'Sweep', email, password } })).status()).toBe(201);
    const cookie = (await api.storageState()).cookies.find((c) => c.name === 'sc_session')!.value;
    const room = await (await api.post('/api/rooms', { data: { name: 'Sweep room' } })).json();
    const { token } = await (await api.post(`/api/rooms/${room.id}/invitations`, { data: {} })).json();
    // A secret in a query string, too: the redaction list covers `token`.
    expect((await api.get(`/api/rooms?token=${token}`)).ok()).toBe(true);
    // The recording flow with the same credentials: start, a track, a chunk, completion, assembly.
    const recording = await (await api.post(`/api/rooms/${room.id}/recordings`)).json();
    const { trackId } = await (await api.post(`/api/recordings/${recording.id}/tracks`, { data: { mimeType: 'audio/webm' } })).json();
    const trackPath = `/api/recordings/${recording.id}/tracks/${trackId}`;
    expect((await api.put(`${trackPath}/chunks/0`, { data: randomBytes(512) })).status()).toBe(201);
    expect((await api.post(`${trackPath}/complete`, { data: { chunkCount: 1, durationMs: 500 } })).status()).toBe(202);

    const settled = await traces.settle({ minTraces: 9 });
    expect(settled.some((trace) => trace.spans.some((span) => span.name === 'recording.assemble'))).toBe(true);
    const spans = settled.flatMap((trace) => trace.spans);
    expect(spans).toBeFreeOfSecrets([password, email, cookie, token, bearer]);
    // Redaction, not omission: the headers and the query were recorded, with their values replaced.
    const register = spans.find((span) => span.name === 'POST /api/auth/register')!;
    expect(register.attributes['http.request.header.authorization']).toEqual(['REDACTED']);
    expect(register.attributes['http.response.header.set-cookie']).toEqual(['REDACTED']);
    const list = spans.find((span) => span.name === 'GET /api/rooms')!;
    expect(list.attributes['url.query']).toBe('token=REDACTED');
  } finally {
    await api.dispose();
  }
});
