/**
 * The load both ingest benches send: browser-shaped OTLP/JSON export requests of {@link BATCH}
 * spans (ids, parent, timings, six attributes, status), POSTed over loopback keep-alive HTTP with
 * {@link IN_FLIGHT} requests in flight.
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';

export const BATCH = 100;
export const IN_FLIGHT = 8;

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** One export request body of {@link BATCH} spans of a new trace. */
export function ingestBody(): string {
  const traceId = randomBytes(16).toString('hex');
  const root = randomBytes(8).toString('hex');
  const start = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: BATCH }, (_, i) => ({
    traceId,
    spanId: i === 0 ? root : randomBytes(8).toString('hex'),
    ...(i === 0 ? {} : { parentSpanId: root }),
    name: i === 0 ? 'room.create' : 'POST',
    kind: i === 0 ? 1 : 3,
    startTimeUnixNano: String(start + BigInt(i) * 1000n),
    endTimeUnixNano: String(start + BigInt(i) * 1000n + 500_000n),
    attributes: [
      attr('http.request.method', 'POST'),
      attr('url.full', 'http://127.0.0.1:3000/api/rooms'),
      attr('flowtrace.test_id', 'bench'),
      attr('flowtrace.flow.name', 'room.create'),
      { key: 'http.response.status_code', value: { intValue: 201 } },
      attr('user_agent.original', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0'),
    ],
    status: { code: 0 },
  }));
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [attr('service.name', 'simplycaster-web')] }, scopeSpans: [{ scope: { name: 'flowtrace' }, spans }] }],
  });
}

/**
 * POSTs every body to `url`, {@link IN_FLIGHT} at a time. A 429 is retried after its Retry-After,
 * as OTLP exporters do (a forwarding ingest answers so while its upstream queue is full); any
 * other answer but 200 rejects. Resolves to the number of 429s.
 */
export async function postAll(url: string, payloads: string[]): Promise<number> {
  // node:http with keep-alive: lighter per request than fetch, so the client does not dominate.
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  let throttled = 0;
  const send = (payload: string): Promise<void> =>
    new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (res.statusCode === 200) resolve(0);
          else if (res.statusCode === 429) resolve(Number(res.headers['retry-after'] ?? 1) * 1000);
          else reject(new Error(`ingest answered ${res.statusCode}: ${Buffer.concat(chunks)}`));
        });
      });
      req.on('error', reject);
      req.end(payload);
    }).then(async (retryAfterMs) => {
      if (!retryAfterMs) return;
      throttled++;
      await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
      return send(payload);
    });
  let next = 0;
  try {
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next < payloads.length) await send(payloads[next++]!);
    }));
  } finally {
    agent.destroy();
  }
  return throttled;
}
