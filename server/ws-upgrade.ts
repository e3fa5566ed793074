/**
 * The SERVER span of a WebSocket upgrade: continues the context the browser put in the handshake
 * URL or subprotocol, after the trust policy. The carrier is taken out of `req.url` before anything
 * records or logs it; a malformed, oversized or missing carrier starts a new trace and the
 * connection is accepted all the same.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { context, diag, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_NETWORK_PROTOCOL_NAME,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import type { WebSocket, WebSocketServer } from 'ws';
import { ATTR_MESSAGING_DESTINATION_NAME, ATTR_WS_CARRIER, ATTR_WS_CONTEXT, ATTR_WS_ENVELOPE } from '../shared/attributes.ts';
import { redactQuery } from '../shared/redact.ts';
import {
  carrierFromProtocols,
  carrierGetter,
  isCarrierProtocol,
  stripCarrierFromUrl,
  type CarrierState,
  type ParsedCarrier,
} from '../shared/ws-carrier.ts';
import { recordError } from './record-error.ts';
import { decideTrust, incomingContext } from './trust.ts';
import type { ResolvedWebSocketTracing, SocketState } from './ws-state.ts';

function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  return typeof header === 'string' ? header.split(',').map((entry) => entry.trim()).filter(Boolean) : [];
}

/**
 * Picks the subprotocol to answer with: the first the app offered, else the carrier entry
 * itself (a browser fails a handshake that offered protocols and got none back).
 */
export function handleProtocols(protocols: Set<string>, _req: IncomingMessage): string | false {
  let carrierEntry: string | false = false;
  for (const protocol of protocols) {
    if (!isCarrierProtocol(protocol)) return protocol;
    carrierEntry ||= protocol;
  }
  return carrierEntry;
}

/** Whether a carrier that parsed holds a context the propagators accept. */
function contextState(parsed: ParsedCarrier): CarrierState {
  if (parsed.state !== 'valid') return parsed.state;
  if (trace.getSpanContext(propagation.extract(ROOT_CONTEXT, parsed.carrier, carrierGetter))) return 'valid';
  return parsed.carrier.traceparent === undefined ? 'missing' : 'invalid';
}

interface Started {
  span: Span;
  state: SocketState;
  parent: ReturnType<typeof incomingContext>['parent'];
}

function startUpgradeSpan(resolved: ResolvedWebSocketTracing, req: IncomingMessage): Started {
  const { maxCarrierLength } = resolved;
  const fromUrl = stripCarrierFromUrl(req.url ?? '/', maxCarrierLength);
  // App code and its logs only ever see the URL without the carrier.
  req.url = fromUrl.url;
  const fromProtocol = carrierFromProtocols(offeredProtocols(req), maxCarrierLength);
  const source = fromUrl.state !== 'missing' ? 'query' : fromProtocol.state !== 'missing' ? 'protocol' : 'none';
  const parsed = source === 'protocol' ? fromProtocol : fromUrl;
  const decision = decideTrust(resolved.trust, req);
  const { parent, links } = incomingContext(parsed.carrier, carrierGetter, decision);
  const channel = resolved.channel(req);
  const q = fromUrl.url.indexOf('?');
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const span = resolved.tracing.tracer.startSpan(
    `upgrade ${channel}`,
    {
      kind: SpanKind.SERVER,
      links,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: 'GET',
        [ATTR_URL_PATH]: q < 0 ? fromUrl.url : fromUrl.url.slice(0, q),
        [ATTR_URL_SCHEME]: encrypted ? 'https' : 'http',
        [ATTR_NETWORK_PROTOCOL_NAME]: 'websocket',
        [ATTR_MESSAGING_DESTINATION_NAME]: channel,
        [ATTR_WS_CARRIER]: source,
        [ATTR_WS_CONTEXT]: contextState(parsed),
        [ATTR_WS_ENVELOPE]: parsed.envelope,
        ...(q >= 0 ? { [ATTR_URL_QUERY]: redactQuery(fromUrl.url.slice(q + 1)) } : {}),
        ...(req.headers['user-agent'] ? { [ATTR_USER_AGENT_ORIGINAL]: req.headers['user-agent'] } : {}),
        ...(req.socket.remoteAddress ? { [ATTR_CLIENT_ADDRESS]: req.socket.remoteAddress } : {}),
      },
    },
    parent,
  );
  return { span, parent, state: { channel, decision, handshake: span.spanContext(), envelope: parsed.envelope } };
}

function failAdmission(span: Span, error: unknown): void {
  recordError(span, error);
  span.end();
}

/**
 * Creates the traced replacement for `wss.handleUpgrade`. The callback may return a promise (an
 * asynchronous admission check): the upgrade span then ends when it settles, in error if it rejects.
 */
export function createUpgradeHandler(resolved: ResolvedWebSocketTracing) {
  return function flowtraceHandleUpgrade(
    wss: WebSocketServer,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    callback: (ws: WebSocket, req: IncomingMessage) => unknown,
  ): void {
    let started: Started | undefined;
    try {
      started = startUpgradeSpan(resolved, req);
    } catch (error) {
      // Tracing failed: the connection is served untraced rather than refused.
      diag.warn('flowtrace: could not trace a WebSocket upgrade', error);
      wss.handleUpgrade(req, socket, head, (ws, request) => callback(ws, request));
      return;
    }
    const { span, state, parent } = started;
    const failed = () => {
      span.setAttribute(ATTR_ERROR_TYPE, 'handshake_failed');
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the connection closed before the handshake completed' });
      span.end();
    };
    socket.once('close', failed);
    context.with(trace.setSpan(parent, span), () =>
      wss.handleUpgrade(req, socket, head, (ws, request) => {
        socket.off('close', failed);
        resolved.sockets.set(ws, state);
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, 101);
        let result: unknown;
        try {
          result = callback(ws, request);
        } catch (error) {
          failAdmission(span, error);
          throw error;
        }
        // An app that admits the connection asynchronously (a session or membership check) keeps
        // the span open until it is done, so that work is inside the handshake's span.
        if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
          (result as PromiseLike<unknown>).then(() => span.end(), (error: unknown) => failAdmission(span, error));
        } else {
          span.end();
        }
      }),
    );
  };
}
