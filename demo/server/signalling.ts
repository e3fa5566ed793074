/**
 * The room's signalling relay on `ws`, traced by flowtrace. A signed-in member of a room connects
 * to `/ws/signal?room=…` (the session cookie comes with the handshake); the upgrade admits them
 * once the session and the membership check out and the room has a place (its
 * `maxParticipants`), then says `welcome`. Call signals (`offer`, `answer`) are relayed to `to`,
 * or to everyone else in the room, stamped with `from` (the sender's user id). The server itself broadcasts room events (`presence`, `recording-start`,
 * `recording-stop`, `recording-updated`) to everyone in the room. Messages travel in flowtrace's
 * envelope, so a flow continues through this relay into every browser it reaches.
 *
 * With a {@link RoomBus} (several instances), participants connected to other instances are reached
 * through it, and count as present here.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { traceWebSockets, type ServerTracing } from 'flowtrace/server';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Database } from './database.ts';
import { isUuid, membership } from './participants.ts';
import { checkCapacity, type RoomPresence } from './room-capacity.ts';
import type { RoomBus } from './room-bus.ts';
import { refuse } from './spans.ts';

const ATTR_SIGNAL_TYPE = 'simplycaster.signal.type';
const ATTR_ROOM_ID = 'simplycaster.room.id';
const ATTR_PARTICIPANT_COUNT = 'simplycaster.room.participant_count';
/** What participants may send each other; everything else comes from the server. */
const RELAYED = new Set(['offer', 'answer']);
/** Close codes (the 4000s are the application's) for a refused connection; the reason says why. */
const REFUSED_CLOSE_CODES = { signed_out: 4401, not_member: 4403, no_room: 4404, room_full: 4409 } as const;

/** Room events sent by the server to everyone connected to a room. */
export interface RoomBroadcast {
  /**
   * Sends `signal` to every participant connected to `roomId`, under the active trace context
   * (each recipient's browser continues it); returns how many participants it reached.
   */
  broadcast(roomId: string, signal: { type: string } & Record<string, unknown>): number;
}

export interface Signalling extends RoomBroadcast, RoomPresence {
  /** The HTTP server's `upgrade` listener. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every connection. */
  close(): void;
}

/** Relayed signals go to `to`, or to everyone in the room but the sender. */
function isRecipient(id: string, from: string, to: unknown): boolean {
  return id !== from && (to === undefined || to === id);
}

function reject(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Whether a browser's handshake comes from a page of this server (clients without Origin are not browsers). */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** The room relay and the room broadcast, on one `ws` server traced with flowtrace. */
export function createSignalling({ tracing, db, bus }: { tracing: ServerTracing; db: Database; bus?: RoomBus }): Signalling {
  const traced = traceWebSockets(tracing);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024, handleProtocols: traced.handleProtocols });
  const rooms = new Map<string, Map<string, WebSocket>>();
  const nobody: ReadonlySet<string> = new Set();

  function send(ws: WebSocket, signal: { type: string } & Record<string, unknown>): void {
    traced.send(ws, JSON.stringify(signal), { attributes: { [ATTR_SIGNAL_TYPE]: signal.type } });
  }

  /** Sends to this instance's sockets in the room; `broadcast` also tells the other instances. */
  function broadcastHere(roomId: string, signal: { type: string } & Record<string, unknown>, except?: string): number {
    const room = rooms.get(roomId);
    if (!room) return 0;
    let reached = 0;
    for (const [participantId, peer] of room) {
      if (participantId === except) continue;
      try {
        send(peer, signal);
        reached++;
      } catch (error) {
        // One page's broken socket must not fail the request that tells the others.
        trace.getActiveSpan()?.recordException(error as Error);
      }
    }
    return reached;
  }

  function broadcast(roomId: string, signal: { type: string } & Record<string, unknown>, except?: string): number {
    if (!bus) return broadcastHere(roomId, signal, except);
    void bus.publish({ kind: 'broadcast', room: roomId, signal, ...(except === undefined ? {} : { except }) });
    const elsewhere = [...bus.remoteOccupants(roomId)].filter((id) => id !== except && !rooms.get(roomId)?.has(id)).length;
    return broadcastHere(roomId, signal, except) + elsewhere;
  }

  function relay(ws: WebSocket, roomId: string, room: Map<string, WebSocket>, participantId: string, data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    let signal: { type?: unknown; to?: unknown };
    try {
      signal = JSON.parse(String(data)) as typeof signal;
    } catch {
      return send(ws, { type: 'error', reason: 'signals are JSON objects' });
    }
    const type = typeof signal.type === 'string' ? signal.type.slice(0, 32) : 'unknown';
    trace.getActiveSpan()?.setAttribute(ATTR_SIGNAL_TYPE, type);
    if (!RELAYED.has(type)) return send(ws, { type: 'error', reason: `signals of type ${type} are not relayed` });
    const recipients = [...room.entries()].filter(([id]) => isRecipient(id, participantId, signal.to));
    const elsewhere = bus ? [...bus.remoteOccupants(roomId)].some((id) => !room.has(id) && isRecipient(id, participantId, signal.to)) : false;
    if (recipients.length === 0 && !elsewhere) return send(ws, { type: 'error', reason: 'nobody else is in the room' });
    const relayed = JSON.stringify({ ...signal, from: participantId });
    for (const [, peer] of recipients) traced.send(peer, relayed, { attributes: { [ATTR_SIGNAL_TYPE]: type } });
    if (elsewhere) {
      const to = typeof signal.to === 'string' ? { to: signal.to } : {};
      void bus!.publish({ kind: 'relay', room: roomId, from: participantId, type, data: relayed, ...to });
    }
  }

  function join(ws: WebSocket, roomId: string, participantId: string): Map<string, WebSocket> {
    let room = rooms.get(roomId);
    if (!room) rooms.set(roomId, (room = new Map()));
    room.get(participantId)?.close(4001, 'joined again elsewhere');
    room.set(participantId, ws);
    void bus?.publish({ kind: 'presence', room: roomId, user: participantId, present: true });
    ws.once('close', () => {
      if (room.get(participantId) !== ws) return;
      room.delete(participantId);
      if (room.size === 0) rooms.delete(roomId);
      // Not traced: a close is no user's flow, and whatever context the socket's events carry is stale.
      context.with(ROOT_CONTEXT, () => {
        void bus?.publish({ kind: 'presence', room: roomId, user: participantId, present: false });
        broadcast(roomId, { type: 'presence', participants: presence.occupants(roomId).size });
      });
    });
    traced.onMessage(ws, (data: RawData, isBinary) => relay(ws, roomId, room, participantId, data, isBinary));
    return room;
  }

  /** Runs inside the upgrade span: admits a signed-in member of the room, or closes with the reason. */
  async function admit(ws: WebSocket, req: IncomingMessage, roomId: string): Promise<void> {
    const span = trace.getActiveSpan();
    span?.setAttribute(ATTR_ROOM_ID, roomId);
    const member = await membership(db, req, roomId);
    if ('refused' in member) {
      span?.setAttribute('simplycaster.participant.refused', member.refused);
      if (span) refuse(span, `participant refused: ${member.refused}`);
      ws.close(REFUSED_CLOSE_CODES[member.refused], member.error);
      return;
    }
    // The browser may have gone while the check ran.
    if (ws.readyState !== ws.OPEN) return;
    span?.setAttribute('enduser.id', member.user.id);
    // Checked again here, where it is decided: two people may pass the join API for the last place.
    const full = checkCapacity(presence, roomId, member.user.id, member.room.maxParticipants);
    if (full) {
      span?.setAttributes({ 'simplycaster.participant.refused': full.refused, [ATTR_PARTICIPANT_COUNT]: full.participants });
      if (span) refuse(span, `participant refused: ${full.refused}`);
      ws.close(REFUSED_CLOSE_CODES.room_full, full.error);
      return;
    }
    join(ws, roomId, member.user.id);
    // Everyone in the room, on this instance and (with a bus) on the others.
    const participants = presence.occupants(roomId).size;
    span?.setAttribute(ATTR_PARTICIPANT_COUNT, participants);
    send(ws, { type: 'welcome', participant: member.user.id, role: member.role, participants });
    broadcast(roomId, { type: 'presence', participants }, member.user.id);
  }

  const presence: RoomPresence = {
    occupants: (roomId) => new Set([...(rooms.get(roomId)?.keys() ?? nobody), ...(bus?.remoteOccupants(roomId) ?? nobody)]),
  };
  bus?.subscribe({
    deliver(message) {
      if (message.kind === 'broadcast') return void broadcastHere(message.room, message.signal, message.except);
      for (const [id, peer] of rooms.get(message.room) ?? []) {
        if (isRecipient(id, message.from, message.to)) traced.send(peer, message.data, { attributes: { [ATTR_SIGNAL_TYPE]: message.type } });
      }
    },
    *localPresence() {
      for (const [roomId, room] of rooms) for (const user of room.keys()) yield [roomId, user];
    },
  });

  return {
    handleUpgrade(req, socket, head) {
      // Only the path is read here; the trace carrier in the query is flowtrace's to strip.
      const url = new URL(req.url ?? '/', 'http://localhost');
      const roomId = url.searchParams.get('room');
      if (url.pathname !== '/ws/signal') {
        reject(socket, '404 Not Found');
      } else if (!isUuid(roomId)) {
        reject(socket, '400 Bad Request');
      } else if (!sameOrigin(req)) {
        // The socket trusts the session cookie, so another site's page must not open it for you.
        reject(socket, '403 Forbidden');
      } else {
        traced.handleUpgrade(wss, req, socket, head, (ws) => admit(ws, req, roomId));
      }
    },
    broadcast: (roomId, signal) => broadcast(roomId, signal),
    occupants: presence.occupants,
    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
