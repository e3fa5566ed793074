/**
 * The CLIENT `connect` span of a WebSocket handshake and the carrier it puts in the handshake:
 * the URL query (default) or a `Sec-WebSocket-Protocol` entry, since browsers cannot set
 * handshake headers. Each connection, reconnects included, injects the context active when it is
 * made; a reconnect links to the previous connection to the same URL.
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
}

const MAX_REMEMBERED = 32;
/** The last connection per origin and path, so a reconnect can link to it. */
const previous = new Map<string, { attempt: number; spanContext: SpanContext }>();

/** Forgets earlier connections (for tests). */
export function resetConnectionAttempts(): void {
  previous.clear();
}

function remember(key: string, spanContext: SpanContext): number {
  const attempt = (previous.get(key)?.attempt ?? 0) + 1;
  previous.delete(key);
  previous.set(key, { attempt, spanContext });
  if (previous.size > MAX_REMEMBERED) previous.delete(previous.keys().next().value!);
  return attempt;
}

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
    if (!/^(wss?|https?):$/.test(resolved.protocol)) return { url, protocols, channel: options.channel ?? '', span: undefined };
    const channel = options.channel ?? resolved.pathname;
    const key = resolved.origin + resolved.pathname;
    const before = previous.get(key);
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
    span.setAttribute(ATTR_WS_CONNECTION_ATTEMPT, remember(key, span.spanContext()));
    const carrier: WsCarrier = {};
    if (options.carrier !== 'none') propagation.inject(trace.setSpan(context.active(), span), carrier, carrierSetter);
    if (options.carrier === 'protocol') {
      const entry = carrierToProtocol(carrier, options.envelope);
      const offered = protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : [...protocols];
      // Last, so a server that knows nothing of flowtrace still picks the app's own protocol.
      return { url: resolved.href, protocols: entry ? [...offered, entry] : protocols, channel, span };
    }
    return { url: addCarrierToUrl(resolved.href, carrier, options.envelope), protocols, channel, span };
  } catch (error) {
    diag.warn('flowtrace: could not trace a WebSocket handshake; connecting untraced', error);
    span?.end();
    return { url, protocols, channel: options.channel ?? '', span: undefined };
  }
}
