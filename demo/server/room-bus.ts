/**
 * The room bus: how the signalling relays of several demo instances reach each other's sockets, on
 * the PostgreSQL they already share (LISTEN/NOTIFY), so two people in one room may be connected to
 * different instances.
 *
 * Why a bus and not sticky sessions: stickiness keeps one *user* on one instance, but a room's
 * participants are different users, and room events start from HTTP requests that land anywhere.
 * Why PostgreSQL and not Redis: the instances share it already, so the bus adds no service to run;
 * a relay's signal is only worth delivering to whoever is connected now, which is NOTIFY's promise.
 * NOTIFY payloads stop at 8000 bytes and an SDP offer comes close, so a message is a row of
 * `room_bus` and the notification carries its id.
 *
 * The trace crosses the bus like any message: a producer span injects the W3C context (and the
 * baggage with the test id) into the message, and the receiving instance continues it in a
 * consumer span, under which it sends into its own sockets.
 */
import { randomUUID } from 'node:crypto';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ServerTracing } from 'flowtrace/server';
import type { Database, Listener } from './database.ts';

const CHANNEL = 'simplycaster_room_bus';
/** How long a message stays readable after its NOTIFY; receivers read it within milliseconds. */
const KEEP = '1 minute';
const CLEANUP_EVERY_MS = 30_000;

/** What instances tell each other. */
export type BusMessage =
  /** A call signal for the participants of `room` on other instances (all but `from`, or `to`). */
  | { kind: 'relay'; room: string; from: string; to?: string; type: string; data: string }
  /** A room event for everyone connected to `room` (but `except`). */
  | { kind: 'broadcast'; room: string; except?: string; signal: { type: string } & Record<string, unknown> }
  /** `user` connected to (or left) `room` on the sending instance. */
  | { kind: 'presence'; room: string; user: string; present: boolean }
  /** A new instance asks the others for their presence. */
  | { kind: 'hello' };

/** The messages a subscriber delivers into its sockets. */
export type Delivery = Extract<BusMessage, { kind: 'relay' | 'broadcast' }>;

/** The signalling relay, as the bus sees it. */
export interface BusSubscriber {
  /** Sends a message from another instance into this instance's sockets (inside its consumer span). */
  deliver(message: Delivery): void;
  /** Who is connected here, as `[room, user]` pairs: the answer to a new instance's hello. */
  localPresence(): Iterable<[string, string]>;
}

interface Envelope {
  instance: string;
  carrier: Record<string, string>;
  message: BusMessage;
}

export interface RoomBus {
  /** This instance's id on the bus. */
  readonly instance: string;
  /** Sends to every other instance, continuing the active trace. Never rejects. */
  publish(message: BusMessage): Promise<void>;
  /** Hands every relay and broadcast from another instance to `subscriber`. */
  subscribe(subscriber: BusSubscriber): void;
  /** Who is connected to `roomId` on the other instances. */
  remoteOccupants(roomId: string): ReadonlySet<string>;
  close(): Promise<void>;
}

/** Joins the bus on `db` (PostgreSQL). */
export async function openRoomBus(db: Database, tracing: ServerTracing): Promise<RoomBus> {
  if (!db.listen) throw new Error('SIMPLYCASTER_ROOM_BUS=postgres needs DATABASE_URL (PostgreSQL): PGlite is one process');
  const instance = randomUUID();
  let subscriber: BusSubscriber | undefined;
  // instance -> room -> users
  const remote = new Map<string, Map<string, Set<string>>>();
  let queue = Promise.resolve();

  function remember({ room, user, present }: Extract<BusMessage, { kind: 'presence' }>, from: string): void {
    const rooms = remote.get(from) ?? remote.set(from, new Map()).get(from)!;
    const users = rooms.get(room) ?? rooms.set(room, new Set()).get(room)!;
    if (present) users.add(user);
    else users.delete(user);
  }

  async function receive(listener: Listener, id: string): Promise<void> {
    const { rows } = await listener.query<{ payload: string }>('SELECT payload FROM room_bus WHERE id = $1', [id]);
    if (!rows[0]) return;
    const { instance: from, carrier, message } = JSON.parse(rows[0].payload) as Envelope;
    if (from === instance) return;
    if (message.kind === 'presence') return remember(message, from);
    if (message.kind === 'hello') {
      for (const [room, user] of subscriber?.localPresence() ?? []) void publish({ kind: 'presence', room, user, present: true }, false);
      return;
    }
    const parent = propagation.extract(ROOT_CONTEXT, carrier);
    const span = tracing.tracer.startSpan(
      `process ${CHANNEL}`,
      { kind: SpanKind.CONSUMER, attributes: { 'messaging.operation.type': 'process', 'messaging.destination.name': CHANNEL, 'simplycaster.bus.kind': message.kind } },
      parent,
    );
    try {
      context.with(trace.setSpan(parent, span), () => subscriber?.deliver(message));
    } finally {
      span.end();
    }
  }

  const listener = await db.listen(CHANNEL, (id) => {
    // In order, one at a time: a relay's offer must not overtake the presence before it.
    queue = queue.then(() => receive(listener, id)).catch((error: unknown) => console.error('room bus: a message was lost', error));
  });
  const cleanup = setInterval(() => {
    listener.query(`DELETE FROM room_bus WHERE created_at < now() - interval '${KEEP}'`).catch(() => {});
  }, CLEANUP_EVERY_MS);
  cleanup.unref();

  async function publish(message: BusMessage, traced = true): Promise<void> {
    const insert = `WITH m AS (INSERT INTO room_bus (payload) VALUES ($1) RETURNING id) SELECT pg_notify('${CHANNEL}', m.id::text) FROM m`;
    if (!traced) {
      await listener.query(insert, [JSON.stringify({ instance, carrier: {}, message })]).catch(() => {});
      return;
    }
    const attributes = { 'messaging.operation.type': 'send', 'messaging.destination.name': CHANNEL, 'simplycaster.bus.kind': message.kind };
    await tracing.tracer.startActiveSpan(`send ${CHANNEL}`, { kind: SpanKind.PRODUCER, attributes }, async (span) => {
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      try {
        await db.query(insert, [JSON.stringify({ instance, carrier, message } satisfies Envelope)]);
      } catch (error) {
        // The bus is down: the local room still works, and the trace says what the others missed.
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'room bus unreachable' });
      } finally {
        span.end();
      }
    });
  }

  void publish({ kind: 'hello' }, false);
  return {
    instance,
    publish: (message) => publish(message),
    subscribe(next) {
      subscriber = next;
    },
    remoteOccupants(roomId) {
      const users = new Set<string>();
      for (const rooms of remote.values()) for (const user of rooms.get(roomId) ?? []) users.add(user);
      return users;
    },
    async close() {
      clearInterval(cleanup);
      await listener.close();
    },
  };
}
