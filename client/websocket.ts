/**
 * `TracedWebSocket`: a drop-in WebSocket whose handshake carries the active trace context and,
 * opt-in, whose text messages carry it per message in the flowtrace envelope: a PRODUCER `send`
 * span per message sent, a CONSUMER `process` span per message received (DESIGN.md §2).
 *
 * Never throws into the page and never breaks a connection: if tracing fails, it behaves as a
 * plain WebSocket. Binary and non-envelope messages reach the app untouched.
 */
import {
  context,
  diag,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import {
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_BODY_SIZE,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_WS_CLOSE_CODE,
  ATTR_WS_CONTEXT,
  ATTR_WS_ENVELOPE,
} from '../shared/attributes.ts';
import { carrierGetter, carrierSetter, isCarrierProtocol, type WsCarrier } from '../shared/ws-carrier.ts';
import { decodeEnvelope, wrapEnvelope } from '../shared/ws-envelope.ts';
import { prepareHandshake, type HandshakeCarrier } from './websocket-handshake.ts';
import { MessageListeners } from './websocket-listeners.ts';

export interface TracedWebSocketOptions {
  /**
   * Where the handshake carries `traceparent`, `tracestate` and `baggage`: the URL query, a
   * `Sec-WebSocket-Protocol` entry (the server must echo it or pick the app's protocol), or nowhere.
   * @default 'query'
   */
  carrier?: HandshakeCarrier;
  /**
   * Wrap text messages in the flowtrace envelope and read envelopes from the server. Only for a
   * server traced with flowtrace/server's `traceWebSockets`, which strips them.
   * @default false
   */
  envelope?: boolean;
  /**
   * Names the channel in span names and `messaging.destination.name`.
   * @default the URL's path
   */
  channel?: string;
  /** Domain attributes for a message's span (its type…); what it throws is ignored. */
  messageAttributes?: (data: string, operation: 'send' | 'process') => Attributes;
}

const tracer = () => trace.getTracer('flowtrace');

export class TracedWebSocket extends WebSocket {
  readonly #envelope: boolean;
  readonly #channel: string;
  readonly #messageAttributes: TracedWebSocketOptions['messageAttributes'];
  readonly #listeners = new MessageListeners();
  #connecting: Span | undefined;
  #handshake: SpanContext | undefined;

  /** Same as `new WebSocket(url, protocols)`, with tracing options. */
  constructor(url: string | URL, protocols?: string | string[], options: TracedWebSocketOptions = {}) {
    const { carrier = 'query', envelope = false, channel, messageAttributes } = options;
    // A URL the browser would refuse gets no span, and the native error reaches the app unchanged.
    const handshake = prepareHandshake(url, protocols, { carrier, envelope, channel });
    super(handshake.url, handshake.protocols);
    this.#envelope = envelope;
    this.#channel = handshake.channel;
    this.#messageAttributes = messageAttributes;
    this.#connecting = handshake.span;
    this.#handshake = handshake.span?.spanContext();
    super.addEventListener('open', () => this.#connected());
    super.addEventListener('close', (event) => {
      handshake.closed();
      this.#connected(event.code);
    });
    if (envelope) super.addEventListener('message', (event) => this.#receive(event));
  }

  #connected(closeCode?: number): void {
    const span = this.#connecting;
    if (!span) return;
    this.#connecting = undefined;
    if (closeCode !== undefined) {
      span.setAttribute(ATTR_WS_CLOSE_CODE, closeCode);
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the connection closed before it opened' });
    }
    span.end();
  }

  #attributes(data: string, operation: 'send' | 'process'): Attributes {
    try {
      return this.#messageAttributes?.(data, operation) ?? {};
    } catch (error) {
      diag.warn('flowtrace: messageAttributes threw; the message is traced without them', error);
      return {};
    }
  }

  #messageSpan(operation: 'send' | 'process', data: string, parent: Context, extra: Attributes, links: SpanContext[]): Span {
    return tracer().startSpan(
      `${operation} ${this.#channel}`,
      {
        kind: operation === 'send' ? SpanKind.PRODUCER : SpanKind.CONSUMER,
        links: links.map((spanContext) => ({ context: spanContext })),
        attributes: {
          ...this.#attributes(data, operation),
          ...extra,
          [ATTR_MESSAGING_OPERATION_TYPE]: operation,
          [ATTR_MESSAGING_OPERATION_NAME]: operation,
          [ATTR_MESSAGING_DESTINATION_NAME]: this.#channel,
          [ATTR_MESSAGING_MESSAGE_BODY_SIZE]: new Blob([data]).size,
          [ATTR_WS_ENVELOPE]: true,
        },
      },
      parent,
    );
  }

  /** Sends `data`; a text message goes in an envelope with the active context when `envelope` is on. */
  override send(data: Parameters<WebSocket['send']>[0]): void {
    if (!this.#envelope || typeof data !== 'string' || this.readyState !== WebSocket.OPEN) return super.send(data);
    let out = data;
    let span: Span | undefined;
    try {
      const active = context.active();
      if (trace.getSpanContext(active)) span = this.#messageSpan('send', data, active, {}, []);
      const carrier: WsCarrier = {};
      propagation.inject(span ? trace.setSpan(active, span) : active, carrier, carrierSetter);
      if (Object.keys(carrier).length > 0) out = wrapEnvelope(carrier, data);
    } catch (error) {
      diag.warn('flowtrace: could not trace a WebSocket send; sending it untraced', error);
    }
    try {
      super.send(out);
    } finally {
      span?.end();
    }
  }

  #receive(event: MessageEvent): void {
    let delivered: MessageEvent = event;
    let messageContext: Context | undefined;
    let span: Span | undefined;
    try {
      const envelope = typeof event.data === 'string' ? decodeEnvelope(event.data) : undefined;
      if (envelope) {
        const payload = (event.data as string).slice(envelope.payloadStart);
        delivered = new MessageEvent('message', { data: payload, origin: event.origin, lastEventId: event.lastEventId });
        Object.defineProperties(delivered, { target: { value: this }, currentTarget: { value: this }, srcElement: { value: this } });
        const parent = propagation.extract(ROOT_CONTEXT, envelope.carrier, carrierGetter);
        const valid = trace.getSpanContext(parent) !== undefined;
        const state = envelope.state !== 'valid' ? envelope.state : valid ? 'valid' : envelope.carrier.traceparent ? 'invalid' : 'missing';
        span = this.#messageSpan('process', payload, parent, { [ATTR_WS_CONTEXT]: state }, this.#handshake ? [this.#handshake] : []);
        messageContext = trace.setSpan(parent, span);
      }
    } catch (error) {
      diag.warn('flowtrace: could not read a WebSocket message envelope; delivering it as it came', error);
    }
    this.#listeners.dispatch(this, delivered, messageContext);
    span?.end();
  }

  override addEventListener<K extends keyof WebSocketEventMap>(
    type: K,
    listener: (this: WebSocket, event: WebSocketEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void {
    if (type === 'message' && this.#envelope) this.#listeners.add(listener, options);
    else super.addEventListener(type, listener, options);
  }

  override removeEventListener<K extends keyof WebSocketEventMap>(
    type: K,
    listener: (this: WebSocket, event: WebSocketEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void {
    if (type === 'message' && this.#envelope) this.#listeners.remove(listener);
    else super.removeEventListener(type, listener, options);
  }

  static {
    const nativeOnMessage = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
    const nativeProtocol = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'protocol');
    // Accessors defined here, not as class members: the DOM typings declare them as plain properties.
    Object.defineProperties(this.prototype, {
      onmessage: {
        configurable: true,
        enumerable: true,
        get(this: TracedWebSocket) {
          return this.#envelope ? this.#listeners.handler : nativeOnMessage?.get?.call(this);
        },
        set(this: TracedWebSocket, handler: EventListener | null) {
          if (this.#envelope) this.#listeners.handler = handler;
          else nativeOnMessage?.set?.call(this, handler);
        },
      },
      protocol: {
        configurable: true,
        enumerable: true,
        // The server's chosen subprotocol; '' when it echoed flowtrace's carrier entry.
        get(this: TracedWebSocket) {
          const chosen = String(nativeProtocol?.get?.call(this) ?? '');
          return isCarrierProtocol(chosen) ? '' : chosen;
        },
      },
    });
  }
}
