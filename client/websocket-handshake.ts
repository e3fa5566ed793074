/**
 * The CLIENT `connect` span of a WebSocket handshake and the carrier it puts in the handshake:
 * the URL query (default) or a `Sec-WebSocket-Protocol` entry, since browsers cannot set
 * handshake headers. Each connection, reconnects included, injects the context active when it is
 * made; a reconnect (a new connection after the last one to the same origin and path closed)
 * links to that connection.
 */
import { context, diag, propagation, SpanKind, trace, type Span, type SpanContext } from '@opentelemetry/api';
import { ATTR_NETWORK_PROTOCOL_NAME, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_FULL } from '@opentelemetry/semantic-conventions';
import {
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_WS_CARRIER,
  ATTR_WS_CONNECTION_ATTEMPT,
  ATTR_WS_ENVELOPE,
} from '../shared/attributes.ts';
import { redactUrl } from '../shared/redact.ts';
import { addCarrierToUrl, carrierSetter, carrierToProtocol, type WsCarrier } from '../shared/ws-carrier.ts';

/** Where the handshake carries context. */
export type HandshakeCarrier = 'query' | 'protocol' | 'none';

/** A handshake ready for the native constructor. */
export interface PreparedHandshake {
  url: string | URL;
  protocols: string | string[] | undefined;
  channel: string;
  span: Span | undefined;
  /** Call when the connection closes: a later connection to the same URL is then a reconnect. */
  closed: () => void;
}

const MAX_REMEMBERED = 32;
interface Connection {
  attempt: number;
  spanContext: SpanContext;
  closed: boolean;
}

/** The last connection per origin and path, so a reconnect can link to it. */
const previous = new Map<string, Connection>();

/** Forgets earlier connections (for tests). */
export function resetConnectionAttempts(): void {
  previous.clear();
}

/** The earlier connection this one replaces, if it has closed (one still open is a parallel connection). */
function replaced(key: string): Connection | undefined {
  const before = previous.get(key);
  return before?.closed ? before : undefined;
}

function remember(key: string, connection: Connection): void {
  previous.delete(key);
  previous.set(key, connection);
  if (previous.size > MAX_REMEMBERED) previous.delete(previous.keys().next().value!);
}

const NOTHING_TO_CLOSE = () => {};
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Starts the connect span and adds the carrier. Never throws: on any failure the handshake goes
 * out as the app wrote it, so the native constructor raises exactly what it would have.
 */
export function prepareHandshake(
  url: string | URL,
  protocols: string | string[] | undefined,
  options: { carrier: HandshakeCarrier; envelope: boolean; channel: string | undefined },
): PreparedHandshake {
  let span: Span | undefined;
  try {
    const resolved = new URL(String(url), globalThis.location?.href);
    const offered = protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : [...protocols];
    // What the browser would refuse gets no span (it would never end): other schemes, and
    // subprotocols that are not unique HTTP tokens (RFC 6455 §4.1).
    const acceptable = offered.every((entry) => TOKEN.test(entry)) && new Set(offered).size === offered.length;
    if (!/^(wss?|https?):$/.test(resolved.protocol) || !acceptable) return untraced(url, protocols, options.channel);
    const channel = options.channel ?? resolved.pathname;
    const key = resolved.origin + resolved.pathname;
    const before = replaced(key);
    span = trace.getTracer('flowtrace').startSpan(`connect ${channel}`, {
      kind: SpanKind.CLIENT,
      links: before ? [{ context: before.spanContext }] : [],
      attributes: {
        [ATTR_URL_FULL]: redactUrl(resolved.href),
        [ATTR_SERVER_ADDRESS]: resolved.hostname,
        [ATTR_SERVER_PORT]: Number(resolved.port) || (resolved.protocol === 'wss:' || resolved.protocol === 'https:' ? 443 : 80),
        [ATTR_NETWORK_PROTOCOL_NAME]: 'websocket',
        [ATTR_MESSAGING_DESTINATION_NAME]: channel,
        [ATTR_WS_CARRIER]: options.carrier,
        [ATTR_WS_ENVELOPE]: options.envelope,
      },
    });
    const connection: Connection = { attempt: (before?.attempt ?? 0) + 1, spanContext: span.spanContext(), closed: false };
    span.setAttribute(ATTR_WS_CONNECTION_ATTEMPT, connection.attempt);
    remember(key, connection);
    const closed = () => {
      connection.closed = true;
    };
    const carrier: WsCarrier = {};
    if (options.carrier !== 'none') propagation.inject(trace.setSpan(context.active(), span), carrier, carrierSetter);
    if (options.carrier === 'protocol') {
      const entry = carrierToProtocol(carrier, options.envelope);
      // Last, so a server that knows nothing of flowtrace still picks the app's own protocol.
      return { url: resolved.href, protocols: entry ? [...offered, entry] : protocols, channel, span, closed };
    }
    return { url: addCarrierToUrl(resolved.href, carrier, options.envelope), protocols, channel, span, closed };
  } catch (error) {
    diag.warn('flowtrace: could not trace a WebSocket handshake; connecting untraced', error);
    span?.end();
    return untraced(url, protocols, options.channel);
  }
}

function untraced(url: string | URL, protocols: string | string[] | undefined, channel: string | undefined): PreparedHandshake {
  return { url, protocols, channel: channel ?? '', span: undefined, closed: NOTHING_TO_CLOSE };
}
