/**
 * The call signalling relay on `ws`, traced by flowtrace: participants of a room connect to
 * `/ws/signal?room=…&participant=…`; each JSON message ({ type, to?, … }) is relayed to `to`, or
 * to everyone else in the room, stamped with `from`. Messages travel in flowtrace's envelope, so
 * the caller's flow continues through this relay into the callee's browser and back.
 *
 * `/ws/echo` is a diagnostics channel (flowtrace's own e2e tests use it): it echoes messages
 * through the traced send, `raw:<text>` sends `<text>` back as it is, and `close` closes the
 * connection with code 4000.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { traceWebSockets, type ServerTracing } from 'flowtrace/server';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isUuid } from './participants.ts';

const ATTR_SIGNAL_TYPE = 'simplycaster.signal.type';

export interface Signalling {
  /** The HTTP server's `upgrade` listener. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every connection. */
  close(): void;
}

function reject(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function createSignalling({ tracing }: { tracing: ServerTracing }): Signalling {
  const traced = traceWebSockets(tracing);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024, handleProtocols: traced.handleProtocols });
  const rooms = new Map<string, Map<string, WebSocket>>();

  function join(ws: WebSocket, roomId: string, participantId: string): void {
    let room = rooms.get(roomId);
    if (!room) rooms.set(roomId, (room = new Map()));
    room.get(participantId)?.close(4001, 'joined again elsewhere');
    room.set(participantId, ws);
    ws.once('close', () => {
      if (room.get(participantId) === ws) room.delete(participantId);
      if (room.size === 0) rooms.delete(roomId);
    });
    traced.onMessage(ws, (data: RawData, isBinary) => {
      if (isBinary) return;
      let signal: { type?: unknown; to?: unknown };
      try {
        signal = JSON.parse(String(data)) as typeof signal;
      } catch {
        return traced.send(ws, JSON.stringify({ type: 'error', reason: 'signals are JSON objects' }));
      }
      const type = typeof signal.type === 'string' ? signal.type.slice(0, 32) : 'unknown';
      trace.getActiveSpan()?.setAttribute(ATTR_SIGNAL_TYPE, type);
      const recipients = [...room.entries()].filter(([id]) => id !== participantId && (signal.to === undefined || signal.to === id));
      if (recipients.length === 0) {
        return traced.send(ws, JSON.stringify({ type: 'error', reason: 'nobody else is in the room' }));
      }
      const relayed = JSON.stringify({ ...signal, from: participantId });
      for (const [, peer] of recipients) traced.send(peer, relayed, { attributes: { [ATTR_SIGNAL_TYPE]: type } });
    });
  }

  function echo(ws: WebSocket): void {
    traced.onMessage(ws, (data: RawData, isBinary) => {
      const text = isBinary ? '' : String(data);
      if (text.startsWith('raw:')) ws.send(text.slice(4));
      else if (text === 'close') ws.close(4000, 'asked to close');
      else traced.send(ws, data as Buffer, { binary: isBinary });
    });
  }

  return {
    handleUpgrade(req, socket, head) {
      // Only the path is read here; the trace carrier in the query is flowtrace's to strip.
      const url = new URL(req.url ?? '/', 'http://localhost');
      const roomId = url.searchParams.get('room');
      const participantId = url.searchParams.get('participant');
      if (url.pathname === '/ws/echo') {
        traced.handleUpgrade(wss, req, socket, head, echo);
      } else if (url.pathname !== '/ws/signal') {
        reject(socket, '404 Not Found');
      } else if (!isUuid(roomId) || !isUuid(participantId)) {
        reject(socket, '400 Bad Request');
      } else {
        traced.handleUpgrade(wss, req, socket, head, (ws) => join(ws, roomId, participantId));
      }
    },
    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
