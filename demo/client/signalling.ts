/**
 * The page's end of the signalling relay: a TracedWebSocket with the flowtrace envelope on, so
 * every signal sent or received is a span in the trace of the flow that caused it.
 */
import { TracedWebSocket } from 'flowtrace/client';

export interface Signal {
  type: 'offer' | 'answer' | 'error';
  from?: string;
  to?: string;
  description?: RTCSessionDescriptionInit;
  reason?: string;
}

type SignalHandler = (signal: Signal) => void;

function signalType(data: string): string {
  try {
    const type = (JSON.parse(data) as { type?: unknown }).type;
    return typeof type === 'string' ? type : 'unknown';
  } catch {
    return 'unknown';
  }
}

export class SignallingChannel {
  readonly #socket: WebSocket;
  readonly #handlers = new Map<Signal['type'], SignalHandler>();

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener('message', (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      const signal = JSON.parse(event.data) as Signal;
      this.#handlers.get(signal.type)?.(signal);
    });
  }

  /** Connects as `participantId` of `roomId`; resolves once the connection is open. */
  static open(roomId: string, participantId: string): Promise<SignallingChannel> {
    const url = new URL('/ws/signal', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = new URLSearchParams({ room: roomId, participant: participantId }).toString();
    const socket = new TracedWebSocket(url, undefined, {
      envelope: true,
      messageAttributes: (data) => ({ 'simplycaster.signal.type': signalType(data) }),
    });
    return new Promise((resolve, reject) => {
      socket.addEventListener('open', () => resolve(new SignallingChannel(socket)), { once: true });
      socket.addEventListener('close', (event) => reject(new Error(`signalling closed (${event.code})`)), { once: true });
    });
  }

  /** Handles signals of one type (the last handler set wins). */
  on(type: Signal['type'], handler: SignalHandler): void {
    this.#handlers.set(type, handler);
  }

  send(signal: Signal): void {
    this.#socket.send(JSON.stringify(signal));
  }
}
