/**
 * The page's end of the room's signalling relay: a TracedWebSocket with the flowtrace envelope on,
 * so every signal sent or received is a span in the trace of the flow that caused it. The session
 * cookie goes with the handshake; the server admits members of the room only.
 */
import { TracedWebSocket } from 'flowtrace/client';

/** Call signals, which participants send each other through the relay. */
export interface CallSignal {
  type: 'offer' | 'answer';
  from?: string;
  to?: string;
  description?: RTCSessionDescriptionInit;
}

/** Signals only the server sends. */
export type ServerSignal =
  | { type: 'welcome'; participant: string; role: 'host' | 'guest'; participants: number }
  | { type: 'presence'; participants: number }
  | { type: 'recording-start' | 'recording-stop'; recordingId: string }
  | { type: 'recording-updated'; recordingId: string; trackId: string; status: string }
  | { type: 'error'; reason: string };

export type Signal = CallSignal | ServerSignal;
/** The signal whose `type` admits `T` (a member's `type` may be a union, as in CallSignal). */
type SignalOf<T extends Signal['type'], S extends Signal = Signal> = S extends { type: infer U } ? (T extends U ? S : never) : never;

function signalType(data: string): string {
  try {
    const type = (JSON.parse(data) as { type?: unknown }).type;
    return typeof type === 'string' ? type : 'unknown';
  } catch {
    return 'unknown';
  }
}

function parse(data: unknown): Signal | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(data) as Signal;
  } catch {
    return undefined;
  }
}

/** The page's connection to the room's relay. */
export class SignallingChannel {
  readonly #socket: WebSocket;
  readonly #handlers = new Map<Signal['type'], (signal: Signal) => void>();
  /** What the server said on admitting this page. */
  readonly welcome: SignalOf<'welcome'>;

  private constructor(socket: WebSocket, welcome: SignalOf<'welcome'>) {
    this.#socket = socket;
    this.welcome = welcome;
    socket.addEventListener('message', (event: MessageEvent) => {
      const signal = parse(event.data);
      if (signal) this.#handlers.get(signal.type)?.(signal);
    });
  }

  /**
   * Connects to the room's relay as the signed-in user; resolves once the server has admitted
   * this page (its `welcome`), rejects with the server's reason when it refuses.
   */
  static open(roomId: string): Promise<SignallingChannel> {
    const url = new URL('/ws/signal', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = new URLSearchParams({ room: roomId }).toString();
    const socket = new TracedWebSocket(url, undefined, {
      envelope: true,
      messageAttributes: (data) => ({ 'simplycaster.signal.type': signalType(data) }),
    });
    return new Promise((resolve, reject) => {
      const welcomed = (event: MessageEvent) => {
        const signal = parse(event.data);
        if (signal?.type !== 'welcome') return;
        socket.removeEventListener('message', welcomed);
        socket.removeEventListener('close', refused);
        resolve(new SignallingChannel(socket, signal));
      };
      const refused = (event: CloseEvent) => reject(new Error(event.reason || `The room's connection closed (${event.code}).`));
      socket.addEventListener('message', welcomed);
      socket.addEventListener('close', refused, { once: true });
    });
  }

  /** Handles signals of one type (the last handler set wins). */
  on<T extends Signal['type']>(type: T, handler: (signal: SignalOf<T>) => void): void {
    this.#handlers.set(type, handler as (signal: Signal) => void);
  }

  send(signal: CallSignal): void {
    this.#socket.send(JSON.stringify(signal));
  }
}
