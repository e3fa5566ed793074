/**
 * WebRTC setup spans, under the flow that started the call:
 *
 * - `webrtc.get_user_media`: the constraints asked for, the permission outcome, the tracks got;
 * - `webrtc.peer_connection`: from `new RTCPeerConnection()` until `connected` (ok, with
 *   `webrtc.connection.time_to_connected_ms`), `failed` (error, with the reason) or `close()`;
 *   ICE candidate counts by type, and every state change as an event;
 * - `webrtc.create_offer`, `webrtc.create_answer`, `webrtc.set_local_description`,
 *   `webrtc.set_remote_description`: children of the connection's span.
 *
 * The connection's listeners are removed when its setup span ends, at the latest on close.
 * Loaded lazily (`createClientTracing({ webrtc: true })`).
 */
import { context, diag, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import {
  ATTR_MEDIA_AUDIO,
  ATTR_MEDIA_CONSTRAINTS,
  ATTR_MEDIA_PERMISSION,
  ATTR_MEDIA_TRACKS,
  ATTR_MEDIA_VIDEO,
  ATTR_PC_CANDIDATES_PREFIX,
  ATTR_PC_CONNECTED_MS,
  ATTR_PC_ICE_SERVERS,
  ATTR_PC_STATE,
  ATTR_SDP_TYPE,
  EVENT_ICE_GATHERING,
  EVENT_ICE_STATE,
  EVENT_PC_STATE,
  EVENT_SIGNALING,
} from './attributes.ts';
import { tracePromise } from './trace-promise.ts';

const tracer = () => trace.getTracer('flowtrace');

interface Setup {
  span: Span;
  ctx: Context;
  started: number;
  candidates: Record<string, number>;
  detach: () => void;
  ended: boolean;
}

const setups = new WeakMap<RTCPeerConnection, Setup>();

function endSetup(setup: Setup, state: string, failure?: string): void {
  if (setup.ended) return;
  setup.ended = true;
  setup.detach();
  for (const [type, count] of Object.entries(setup.candidates)) setup.span.setAttribute(ATTR_PC_CANDIDATES_PREFIX + type, count);
  setup.span.setAttribute(ATTR_PC_STATE, state);
  if (failure) setup.span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
  setup.span.end();
}

function attach(pc: RTCPeerConnection, config: RTCConfiguration | undefined): void {
  const span = tracer().startSpan('webrtc.peer_connection', {
    attributes: { [ATTR_PC_ICE_SERVERS]: config?.iceServers?.length ?? 0 },
  });
  const setup: Setup = {
    span,
    ctx: trace.setSpan(context.active(), span),
    started: performance.now(),
    candidates: { host: 0, srflx: 0, prflx: 0, relay: 0 },
    detach: () => {},
    ended: false,
  };
  const listeners: Array<[string, (event: Event) => void]> = [
    [
      'icecandidate',
      (event) => {
        const type = (event as RTCPeerConnectionIceEvent).candidate?.type;
        if (type) setup.candidates[type] = (setup.candidates[type] ?? 0) + 1;
      },
    ],
    [
      'connectionstatechange',
      () => {
        const state = pc.connectionState;
        span.addEvent(EVENT_PC_STATE, { [ATTR_PC_STATE]: state });
        if (state === 'connected') {
          span.setAttribute(ATTR_PC_CONNECTED_MS, Math.round(performance.now() - setup.started));
          endSetup(setup, state);
        } else if (state === 'failed') {
          endSetup(setup, state, `connection failed (ICE state ${pc.iceConnectionState}, no candidate pair succeeded)`);
        } else if (state === 'closed') {
          endSetup(setup, state);
        }
      },
    ],
    ['iceconnectionstatechange', () => span.addEvent(EVENT_ICE_STATE, { 'webrtc.ice.state': pc.iceConnectionState })],
    ['icegatheringstatechange', () => span.addEvent(EVENT_ICE_GATHERING, { 'webrtc.ice.gathering_state': pc.iceGatheringState })],
    ['signalingstatechange', () => span.addEvent(EVENT_SIGNALING, { 'webrtc.signaling_state': pc.signalingState })],
  ];
  for (const [type, listener] of listeners) pc.addEventListener(type, listener);
  setup.detach = () => {
    for (const [type, listener] of listeners) pc.removeEventListener(type, listener);
  };
  setups.set(pc, setup);
}

type Method = 'createOffer' | 'createAnswer' | 'setLocalDescription' | 'setRemoteDescription';
const SPAN_NAMES: Record<Method, string> = {
  createOffer: 'webrtc.create_offer',
  createAnswer: 'webrtc.create_answer',
  setLocalDescription: 'webrtc.set_local_description',
  setRemoteDescription: 'webrtc.set_remote_description',
};

/** Patches getUserMedia and RTCPeerConnection; returns the undo. */
export function instrumentWebRTC(): () => void {
  const undo: Array<() => void> = [];
  const devices = globalThis.navigator?.mediaDevices;
  if (devices && typeof devices.getUserMedia === 'function') {
    const original = devices.getUserMedia;
    devices.getUserMedia = function flowtraceGetUserMedia(this: MediaDevices, constraints?: MediaStreamConstraints) {
      const attributes = {
        [ATTR_MEDIA_AUDIO]: Boolean(constraints?.audio),
        [ATTR_MEDIA_VIDEO]: Boolean(constraints?.video),
        [ATTR_MEDIA_CONSTRAINTS]: safeJson(constraints),
      };
      return tracePromise('webrtc.get_user_media', attributes, context.active(), () => original.call(this, constraints), {
        onOk: (span, stream) => {
          span.setAttribute(ATTR_MEDIA_PERMISSION, 'granted');
          span.setAttribute(ATTR_MEDIA_TRACKS, stream.getTracks().length);
        },
        onError: (span, error) => {
          const name = (error as { name?: string } | null)?.name;
          span.setAttribute(ATTR_MEDIA_PERMISSION, name === 'NotAllowedError' ? 'denied' : 'error');
        },
      });
    };
    undo.push(() => {
      devices.getUserMedia = original;
    });
  }

  const Original = globalThis.RTCPeerConnection;
  if (typeof Original === 'function') {
    class TracedRTCPeerConnection extends Original {
      constructor(config?: RTCConfiguration) {
        super(config);
        try {
          attach(this, config);
        } catch (error) {
          diag.warn('flowtrace: could not trace an RTCPeerConnection', error);
        }
      }

      override close(): void {
        const setup = setups.get(this);
        if (setup) endSetup(setup, 'closed');
        super.close();
      }
    }
    for (const method of Object.keys(SPAN_NAMES) as Method[]) {
      const original = Original.prototype[method] as (...args: unknown[]) => Promise<unknown>;
      Object.defineProperty(TracedRTCPeerConnection.prototype, method, {
        configurable: true,
        writable: true,
        value: function flowtraceRtcMethod(this: RTCPeerConnection, ...args: unknown[]) {
          const setup = setups.get(this);
          // Legacy callback forms, and connections created before instrumentation, pass through.
          if (!setup || args.some((arg) => typeof arg === 'function')) return original.apply(this, args);
          const description = args[0] as { type?: string } | undefined;
          const attributes = description?.type ? { [ATTR_SDP_TYPE]: description.type } : {};
          return tracePromise(SPAN_NAMES[method], attributes, setup.ctx, () => original.apply(this, args), {
            onOk: (span, result) => {
              const type = (result as { type?: string } | undefined)?.type;
              if (type) span.setAttribute(ATTR_SDP_TYPE, type);
            },
          });
        },
      });
    }
    globalThis.RTCPeerConnection = TracedRTCPeerConnection;
    undo.push(() => {
      globalThis.RTCPeerConnection = Original;
    });
  }
  return function uninstrumentWebRTC() {
    for (const step of undo.splice(0)) step();
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value ?? {}).slice(0, 512);
  } catch {
    return '';
  }
}
