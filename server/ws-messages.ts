/**
 * Message spans for `ws`: a CONSUMER `process` span per received message (continuing the context
 * in its envelope, linked to the handshake) and a PRODUCER `send` span per traced send (unless
 * `sendSpans` is off), whose context goes out in a new envelope so the receiving browser
 * continues the same trace.
 *
 * Binary and non-envelope messages reach the app untouched; an envelope with a bad context still
 * delivers its payload; when tracing itself fails, the message is delivered untraced.
 */
import {
  context,
  diag,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Context,
  type Link,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import type { RawData, WebSocket } from 'ws';
import {
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_BODY_SIZE,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_WS_CONTEXT,
  ATTR_WS_ENVELOPE,
} from '../shared/attributes.ts';
import { carrierGetter, carrierSetter, type CarrierState, type WsCarrier } from '../shared/ws-carrier.ts';
import { decodeEnvelopeBytes, envelopeHeader, type DecodedEnvelope } from '../shared/ws-envelope.ts';
import { incomingContext } from './trust.ts';
import type { ResolvedWebSocketTracing, SocketState } from './ws-state.ts';

/** A `ws` message listener. */
export type MessageListener = (data: RawData, isBinary: boolean) => unknown;

const isSampled = (spanContext: SpanContext | undefined) =>
  spanContext !== undefined && (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;

interface Delivery {
  payload: RawData;
  parent: Context;
  span?: Span;
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, chunk) => sum + chunk.length, 0);
  return data.byteLength;
}

function prepare(resolved: ResolvedWebSocketTracing, state: SocketState, data: RawData, isBinary: boolean): Delivery {
  const text = !isBinary && Buffer.isBuffer(data) ? data : undefined;
  const envelope: DecodedEnvelope | undefined = text && decodeEnvelopeBytes(text, resolved.maxCarrierLength);
  // A view of the frame, not a copy: the payload is never decoded or parsed here.
  const payload = envelope && text ? text.subarray(envelope.payloadStart) : data;
  const { messageSpans } = resolved;
  if (!envelope && messageSpans !== 'all') return { payload, parent: context.active() };

  let parent: Context = ROOT_CONTEXT;
  let links: Link[] = [];
  let carried: SpanContext | undefined;
  let contextState: CarrierState = 'missing';
  if (envelope) {
    ({ parent, links } = incomingContext(envelope.carrier, carrierGetter, state.decision));
    carried = trace.getSpanContext(parent) ?? links[0]?.context;
    contextState = envelope.state !== 'valid' ? envelope.state : carried ? 'valid' : envelope.carrier.traceparent ? 'invalid' : 'missing';
  }
  if (messageSpans === 'off' || (messageSpans === 'sampled' && !isSampled(carried))) return { payload, parent };

  if (state.handshake) links = [...links, { context: state.handshake }];
  const span = resolved.tracing.tracer.startSpan(
    `process ${state.channel}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        [ATTR_MESSAGING_OPERATION_TYPE]: 'process',
        [ATTR_MESSAGING_OPERATION_NAME]: 'process',
        [ATTR_MESSAGING_DESTINATION_NAME]: state.channel,
        [ATTR_MESSAGING_MESSAGE_BODY_SIZE]: byteLength(payload),
        [ATTR_WS_ENVELOPE]: envelope !== undefined,
        [ATTR_WS_CONTEXT]: contextState,
      },
    },
    parent,
  );
  return { payload, parent: trace.setSpan(parent, span), span };
}

/** Creates `onMessage(ws, listener)`; it returns a function that removes the listener. */
export function createMessageListener(resolved: ResolvedWebSocketTracing) {
  return function flowtraceOnMessage(ws: WebSocket, listener: MessageListener): () => void {
    function flowtraceMessage(data: RawData, isBinary: boolean): void {
      const state = resolved.sockets.get(ws);
      let delivery: Delivery = { payload: data, parent: context.active() };
      if (state) {
        try {
          delivery = prepare(resolved, state, data, isBinary);
        } catch (error) {
          diag.warn('flowtrace: could not trace a WebSocket message; delivering it untraced', error);
        }
      }
      const { payload, parent, span } = delivery;
      try {
        const result = context.with(parent, listener, undefined, payload, isBinary);
        if (span && typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
          (result as PromiseLike<unknown>).then(
            () => span.end(),
            (error: unknown) => fail(span, error),
          );
          return;
        }
        span?.end();
      } catch (error) {
        if (span) fail(span, error);
        throw error;
      }
    }
    ws.on('message', flowtraceMessage);
    return () => ws.off('message', flowtraceMessage);
  };
}

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.end();
}

export interface TracedSendOptions {
  /** Send as a binary frame (never enveloped). @default true for a Buffer, false for a string */
  binary?: boolean;
  /** Domain attributes for the `send` span, such as the message type. */
  attributes?: Record<string, string | number | boolean>;
}

/** The last context a header was made for: a relay to many recipients injects once. */
const lastHeader = new WeakMap<ResolvedWebSocketTracing, { context: Context; header: string | undefined }>();

function headerFor(active: Context, resolved: ResolvedWebSocketTracing): string | undefined {
  const last = lastHeader.get(resolved);
  // Contexts are immutable, so the same object always injects the same carrier.
  if (last?.context === active) return last.header;
  const carrier: WsCarrier = {};
  propagation.inject(active, carrier, carrierSetter);
  const header = Object.keys(carrier).length > 0 ? envelopeHeader(carrier) : undefined;
  lastHeader.set(resolved, { context: active, header });
  return header;
}

function envelopeFor(resolved: ResolvedWebSocketTracing, state: SocketState, bodySize: number, options: TracedSendOptions) {
  const active = context.active();
  const { messageSpans, sendSpans } = resolved;
  const record = sendSpans && (messageSpans === 'all' || (messageSpans === 'sampled' && isSampled(trace.getSpanContext(active))));
  if (!record) return { span: undefined, header: headerFor(active, resolved) };
  const span = resolved.tracing.tracer.startSpan(
    `send ${state.channel}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        ...options.attributes,
        [ATTR_MESSAGING_OPERATION_TYPE]: 'send',
        [ATTR_MESSAGING_OPERATION_NAME]: 'send',
        [ATTR_MESSAGING_DESTINATION_NAME]: state.channel,
        [ATTR_MESSAGING_MESSAGE_BODY_SIZE]: bodySize,
        [ATTR_WS_ENVELOPE]: true,
      },
    },
    active,
  );
  return { span, header: headerFor(trace.setSpan(active, span), resolved) };
}

/** Creates `send(ws, data, options)`: `ws.send`, with context for clients that read envelopes. */
export function createSend(resolved: ResolvedWebSocketTracing) {
  return function flowtraceSend(ws: WebSocket, data: string | Buffer, options: TracedSendOptions = {}): void {
    const binary = options.binary ?? typeof data !== 'string';
    const state = resolved.sockets.get(ws);
    let traced: ReturnType<typeof envelopeFor> | undefined;
    if (state?.envelope && !binary) {
      try {
        traced = envelopeFor(resolved, state, typeof data === 'string' ? Buffer.byteLength(data) : data.length, options);
      } catch (error) {
        diag.warn('flowtrace: could not trace a WebSocket send; sending it untraced', error);
      }
    }
    const header = traced?.header;
    try {
      if (header === undefined) ws.send(data, { binary });
      else if (typeof data === 'string') ws.send(header + data, { binary: false });
      else ws.send(Buffer.concat([Buffer.from(header, 'latin1'), data]), { binary: false });
    } catch (error) {
      if (traced?.span) fail(traced.span, error);
      throw error;
    }
    traced?.span?.end();
  };
}
