/**
 * A fault-injecting upload sink, kept only for faults the real recordings API cannot produce:
 * a server that fails and then recovers, which the browser SDK's retry tests need
 * (e2e/recording-upload.spec.ts), and an endpoint that always answers 500 (e2e/client-sdk.spec.ts
 * points the trace export at it). Every fault the real API can cause (a duplicate, oversized or
 * missing chunk) is tested against the real API.
 *
 * `POST /api/uploads/{recording}/chunks/{seq}` counts a chunk's bytes (no media is kept),
 * `GET /api/uploads/{recording}` reports what arrived. The fault is chosen by the recording id:
 * `flaky-…` answers 503 to the first attempt of each chunk, `broken-…` answers 500 to every attempt.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../demo/server/json.ts';

const MAX_CHUNK = 8 * 1024 * 1024;
const MAX_RECORDINGS = 1000;
const ID = /^[\w-]{1,64}$/;

interface Received {
  chunks: number;
  bytes: number;
  attempts: Map<string, number>;
}

const recordings = new Map<string, Received>();

function received(id: string): Received {
  let entry = recordings.get(id);
  if (!entry) {
    if (recordings.size >= MAX_RECORDINGS) recordings.delete(recordings.keys().next().value!);
    entry = { chunks: 0, bytes: 0, attempts: new Map() };
    recordings.set(id, entry);
  }
  return entry;
}

export async function handleUpload(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const [, , , recording = '', , seq = ''] = path.split('/');
  if (!ID.test(recording) || (req.method === 'POST' && !ID.test(seq))) return sendJson(res, 400, { error: 'recording and seq must be 1-64 word characters' });
  if (req.method === 'GET') {
    const entry = recordings.get(recording);
    return sendJson(res, entry ? 200 : 404, entry ? { chunks: entry.chunks, bytes: entry.bytes } : { error: 'no such recording' });
  }
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_CHUNK) return sendJson(res, 413, { error: `a chunk may be at most ${MAX_CHUNK} bytes` });
  }
  const entry = received(recording);
  const attempt = (entry.attempts.get(seq) ?? 0) + 1;
  entry.attempts.set(seq, attempt);
  if (recording.startsWith('broken-')) return sendJson(res, 500, { error: 'storage unavailable (broken- recording)' });
  if (recording.startsWith('flaky-') && attempt === 1) return sendJson(res, 503, { error: 'try again (flaky- recording)' });
  entry.chunks++;
  entry.bytes += bytes;
  sendJson(res, 201, { seq, bytes });
}
