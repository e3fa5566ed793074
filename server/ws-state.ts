/** Types shared by the WebSocket tracing files (kept apart so no two files import each other). */
import type { IncomingMessage } from 'node:http';
import type { SpanContext } from '@opentelemetry/api';
import type { WebSocket } from 'ws';
import type { ServerTracing } from './tracing.ts';
import type { TrustDecision, TrustPolicy } from './trust.ts';

/**
 * Which messages get a CONSUMER (`process`) span and, when sent on (unless `sendSpans` is off), a
 * PRODUCER `send` span:
 * - `off`: none; context still passes through a relay
 * - `sampled`: messages whose envelope carries a sampled context (user flows); other chatter records nothing
 * - `all`: every message; one without context starts a new trace linked to the handshake
 */
export type MessageSpans = 'off' | 'sampled' | 'all';

/** @internal */
export interface ResolvedWebSocketTracing {
  tracing: ServerTracing;
  trust: TrustPolicy<IncomingMessage>;
  messageSpans: MessageSpans;
  sendSpans: boolean;
  channel: (req: IncomingMessage) => string;
  maxCarrierLength: number;
  sockets: WeakMap<WebSocket, SocketState>;
}

/** @internal What is kept per traced connection. */
export interface SocketState {
  channel: string;
  decision: TrustDecision;
  /** The upgrade span, linked from every message span. */
  handshake: SpanContext | undefined;
  /** The client reads envelopes, so sends to it carry context. */
  envelope: boolean;
}
