/**
 * ws.message_overhead_us_median: server-side time flowtrace adds to each relayed message — the
 * envelope read, a `process` and a `send` span (sampled context, default options), the new
 * envelope written — against a raw `ws` relay of the same payload, in the same run and process.
 *
 * Time is taken inside the server, from the first to the last `message` listener of the sending
 * socket, so client work and the network are not counted. Raw and traced blocks alternate so
 * drift (JIT, GC) falls on both alike. Each mode's figure is its lowest block median: on a shared
 * machine a loaded moment only adds time (the process is descheduled mid-message), so the
 * calmest block is the closest to the code's own cost.
 */
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { createServerTracing } from '../server/tracing.ts';
import { traceWebSockets } from '../server/ws.ts';
import { wrapEnvelope } from '../shared/ws-envelope.ts';
import { median } from './stats.ts';

// Inside the checkout's private port range (FLOWTRACE_E2E_PORT), clear of the e2e servers.
const PORT = Number(process.env.FLOWTRACE_E2E_PORT ?? 4310) + 40;
const WARMUP = 500;
const BLOCK = 200;
const BLOCKS = 16;

// An SDP offer's worth of text, as the demo relays.
const PAYLOAD = JSON.stringify({ type: 'offer', description: { type: 'offer', sdp: 'a=candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host\r\n'.repeat(24) } });
const CARRIER = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', baggage: 'session=bench' };

type Mode = 'raw' | 'traced';

const round = (us: number) => Math.round(us * 10) / 10;

async function open(path: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${PORT}${path}`);
  await new Promise((opened, failed) => {
    ws.once('open', opened);
    ws.once('error', failed);
  });
  return ws;
}

export default async function wsRelay(): Promise<Record<string, number>> {
  const tracing = createServerTracing({ serviceName: 'ws-bench' });
  const traced = traceWebSockets(tracing);
  const wss = new WebSocketServer({ noServer: true });
  const samples: Record<Mode, number[]> = { raw: [], traced: [] };
  const blockMedians: Record<Mode, number[]> = { raw: [], traced: [] };
  const everySample: Record<Mode, number[]> = { raw: [], traced: [] };
  const peers: Record<Mode, WebSocket[]> = { raw: [], traced: [] };
  let recording = false;

  function accept(mode: Mode, ws: WebSocket): void {
    const [sender] = peers[mode];
    peers[mode].push(ws);
    if (sender) return; // the second socket of a mode only receives
    let started = 0;
    ws.prependListener('message', () => (started = performance.now()));
    const relay = () => peers[mode][1]!;
    if (mode === 'raw') ws.on('message', (data, isBinary) => relay().send(data, { binary: isBinary }));
    else traced.onMessage(ws, (data, isBinary) => traced.send(relay(), data as Buffer, { binary: isBinary }));
    ws.on('message', () => recording && samples[mode].push((performance.now() - started) * 1000));
  }

  const server = createServer();
  server.on('upgrade', (req, socket, head) => {
    const mode: Mode = req.url?.startsWith('/traced') ? 'traced' : 'raw';
    if (mode === 'traced') traced.handleUpgrade(wss, req, socket, head, (ws) => accept(mode, ws));
    else wss.handleUpgrade(req, socket, head, (ws) => accept(mode, ws));
  });
  await new Promise<void>((listening) => server.listen(PORT, '127.0.0.1', listening));

  const clients: Record<Mode, { sender: WebSocket; receiver: WebSocket }> = {
    raw: { sender: await open('/raw'), receiver: await open('/raw') },
    traced: { sender: await open('/traced'), receiver: await open('/traced?flowtrace-envelope=1') },
  };
  const message: Record<Mode, string> = { raw: PAYLOAD, traced: wrapEnvelope(CARRIER, PAYLOAD) };

  // One message in flight at a time: each is relayed and received before the next is sent.
  async function run(mode: Mode, count: number): Promise<void> {
    const { sender, receiver } = clients[mode];
    samples[mode] = [];
    for (let i = 0; i < count; i++) {
      const received = new Promise((got) => receiver.once('message', got));
      sender.send(message[mode]);
      await received;
    }
    if (!recording) return;
    blockMedians[mode].push(median(samples[mode]));
    everySample[mode].push(...samples[mode]);
  }

  try {
    await run('raw', WARMUP);
    await run('traced', WARMUP);
    recording = true;
    for (let block = 0; block < BLOCKS; block++) {
      await run('raw', BLOCK);
      await run('traced', BLOCK);
    }
    await tracing.forceFlush();
    const spans = tracing.store!.recent(100_000).reduce((sum, trace) => sum + trace.spanCount, 0);
    if (spans < BLOCK * BLOCKS * 2) throw new Error(`expected the traced relay to record spans, found ${spans}`);
  } finally {
    for (const { sender, receiver } of Object.values(clients)) {
      sender.terminate();
      receiver.terminate();
    }
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
    await tracing.shutdown();
  }

  const raw = Math.min(...blockMedians.raw);
  const enveloped = Math.min(...blockMedians.traced);
  return {
    'ws.message_overhead_us_median': round(enveloped - raw),
    'ws.relay_raw_us_median': round(raw),
    'ws.relay_traced_us_median': round(enveloped),
    // The same difference over every sample, loaded moments included: what a busy machine sees.
    'ws.message_overhead_us_median_all_samples': round(median(everySample.traced) - median(everySample.raw)),
  };
}
