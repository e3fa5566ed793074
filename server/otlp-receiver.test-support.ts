/**
 * A real OTLP/HTTP receiver for tests (not shipped): a node:http server on this checkout's port range that
 * un-gzips and decodes every protobuf export it gets, and answers as each test scripts it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { otlpProtobufToJson } from '../otlp/otlp-protobuf.ts';
import type { OtlpJson } from '../otlp/forwarded-span.ts';
import { close, listen } from './test-support.ts';

export interface ReceivedExport {
  at: number;
  headers: IncomingMessage['headers'];
  body: { resourceSpans: OtlpJson[] };
}

/** How to answer the n-th request (0-based): a status (and headers), 'reset', or 'hang'. */
export type Answer = { status: number; headers?: Record<string, string> } | 'reset' | 'hang';

export interface Receiver {
  url: string;
  received: ReceivedExport[];
  /** Every span received so far, in the OTLP/JSON form the protobuf decoded to. */
  spans(): OtlpJson[];
  /** Resolves once `count` requests have arrived. */
  requests(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(answer: (n: number) => Answer = () => ({ status: 200 })): Promise<Receiver> {
  const received: ReceivedExport[] = [];
  const waiters: Array<() => void> = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const bytes = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const n = received.length;
      received.push({ at: Date.now(), headers: req.headers, body: otlpProtobufToJson(bytes) });
      for (const wake of waiters.splice(0)) wake();
      const reply = answer(n);
      if (reply === 'reset') return req.socket.destroy();
      if (reply === 'hang') return void hanging.push(res);
      res.writeHead(reply.status, { 'content-type': 'application/x-protobuf', ...reply.headers }).end();
    });
  });
  const base = await listen(server);
  return {
    url: `${base}/v1/traces`,
    received,
    spans: () =>
      received.flatMap((r) => r.body.resourceSpans.flatMap((rs) => (rs.scopeSpans as OtlpJson[]).flatMap((ss) => ss.spans as OtlpJson[]))),
    async requests(count) {
      while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    async close() {
      for (const res of hanging) res.socket?.destroy();
      await close(server);
    },
  };
}
