/**
 * `/ws/echo`, a traced WebSocket channel for flowtrace's own e2e tests (TracedWebSocket, the
 * server's upgrade and message spans): it echoes messages through the traced send,
 * `raw:<text>` sends `<text>` back as it is, and `close` closes the connection with code 4000.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { traceWebSockets, type ServerTracing } from 'flowtrace/server';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/** An `upgrade` handler for `/ws/echo`; returns `false` for any other path. */
export function createEchoSocket(tracing: ServerTracing) {
  const traced = traceWebSockets(tracing);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024, handleProtocols: traced.handleProtocols });

  function echo(ws: WebSocket): void {
    traced.onMessage(ws, (data: RawData, isBinary) => {
      const text = isBinary ? '' : String(data);
      if (text.startsWith('raw:')) ws.send(text.slice(4));
      else if (text === 'close') ws.close(4000, 'asked to close');
      else traced.send(ws, data as Buffer, { binary: isBinary });
    });
  }

  return function echoUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    // Only the path is read here; the trace carrier in the query is flowtrace's to strip.
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/ws/echo') return false;
    traced.handleUpgrade(wss, req, socket, head, echo);
    return true;
  };
}
