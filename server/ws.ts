/**
 * WebSocket tracing for the `ws` library: the upgrade continues the browser's handshake context
 * (under the trust policy), and messages in the flowtrace envelope continue the context of each
 * message, so a signalling relay joins caller and callee in one trace (DESIGN.md §2).
 *
 * No module patching: the app hands its upgrades, message listeners and sends to the functions
 * returned here. `ws` stays an optional peer: only its types are imported.
 */
import type { IncomingMessage } from 'node:http';
import { DEFAULT_MAX_CARRIER_LENGTH } from '../shared/ws-carrier.ts';
import type { ServerTracing } from './tracing.ts';
import type { TrustPolicy } from './trust.ts';
import type { MessageSpans, ResolvedWebSocketTracing } from './ws-state.ts';
import { createUpgradeHandler, handleProtocols } from './ws-upgrade.ts';
import { createMessageListener, createSend } from './ws-messages.ts';

export type { MessageSpans } from './ws-state.ts';

export interface WebSocketTracingOptions {
  /**
   * What to do with the client's handshake and message context.
   * @default 'continue'
   */
  trust?: TrustPolicy<IncomingMessage>;
  /** @default 'sampled' */
  messageSpans?: MessageSpans;
  /**
   * A PRODUCER `send` span for each traced send (per recipient of a relay), under the same rule
   * as `messageSpans`. Turn off to save a span per recipient: the relay's `process` span then
   * parents what it sends.
   * @default true
   */
  sendSpans?: boolean;
  /**
   * Names the channel in span names and `messaging.destination.name`; keep it low-cardinality.
   * @default the upgrade URL's path
   */
  channel?: (req: IncomingMessage) => string;
  /**
   * Longest carrier read, in characters; a longer one is ignored whole (a new trace starts).
   * @default 8192
   */
  maxCarrierLength?: number;
}

/** The functions an app uses to trace its `ws` server. */
export interface WebSocketTracing {
  /** Call from the HTTP server's `upgrade` event instead of `wss.handleUpgrade`. */
  handleUpgrade: ReturnType<typeof createUpgradeHandler>;
  /** Pass as the `WebSocketServer`'s `handleProtocols` option when clients carry context in a subprotocol. */
  handleProtocols: typeof handleProtocols;
  /** Adds a message listener that gets the payload without the envelope, inside the message's context. */
  onMessage: ReturnType<typeof createMessageListener>;
  /** Sends to a client, with the active context in an envelope when the client reads envelopes. */
  send: ReturnType<typeof createSend>;
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/**
 * Sets up WebSocket tracing on a server tracing setup.
 * @throws TypeError for invalid options, saying how to fix them.
 */
export function traceWebSockets(tracing: ServerTracing, options: WebSocketTracingOptions = {}): WebSocketTracing {
  const { trust = 'continue', messageSpans = 'sampled', sendSpans = true, channel = pathOf, maxCarrierLength = DEFAULT_MAX_CARRIER_LENGTH } = options;
  if (!['off', 'sampled', 'all'].includes(messageSpans)) {
    throw new TypeError(`flowtrace: messageSpans must be 'off', 'sampled' or 'all', got ${JSON.stringify(messageSpans)}`);
  }
  if (!Number.isInteger(maxCarrierLength) || maxCarrierLength < 64) {
    throw new TypeError(`flowtrace: maxCarrierLength must be an integer of at least 64 characters, got ${JSON.stringify(maxCarrierLength)}`);
  }
  const resolved: ResolvedWebSocketTracing = { tracing, trust, messageSpans, sendSpans, channel, maxCarrierLength, sockets: new WeakMap() };
  return {
    handleUpgrade: createUpgradeHandler(resolved),
    handleProtocols,
    onMessage: createMessageListener(resolved),
    send: createSend(resolved),
  };
}
