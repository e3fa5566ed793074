/**
 * The last step of creating a room: getting this browser ready for the room's calls. A real
 * RTCPeerConnection with the studio's ICE configuration makes an offer (with a data channel, so no
 * camera or microphone is needed) and gathers its local ICE candidates, which is what a call needs
 * first; then it is closed. The `webrtc.init` span records how many candidates of which type and
 * how long gathering took. It never throws: a browser without WebRTC, or one that fails here, ends
 * the span in error and gets the reason back, and the room stays created.
 */
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { ICE_CONFIGURATION } from './ice.ts';

/** Gathering with no STUN or TURN server takes milliseconds; a browser that takes longer is stuck. */
const GATHERING_TIMEOUT_MS = 5_000;
const CANDIDATE_TYPES = ['host', 'srflx', 'prflx', 'relay'] as const;

/** What the check found: whether this browser can set up calls, and why not when it cannot. */
export type WebRtcReadiness = { ok: true; candidates: number } | { ok: false; reason: string };

interface Gathered {
  state: RTCIceGatheringState;
  byType: Record<string, number>;
  total: number;
  ms: number;
}

/** Offers on `pc` and counts the local candidates until gathering completes or times out. */
function gather(pc: RTCPeerConnection): Promise<Gathered> {
  const started = performance.now();
  const byType: Record<string, number> = Object.fromEntries(CANDIDATE_TYPES.map((type) => [type, 0]));
  let total = 0;
  return new Promise<Gathered>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      resolve({ state: pc.iceGatheringState, byType, total, ms: Math.round(performance.now() - started) });
    };
    const timer = setTimeout(done, GATHERING_TIMEOUT_MS);
    pc.addEventListener('icecandidate', (event) => {
      // The end of gathering is an event without a candidate.
      if (!event.candidate) return done();
      total++;
      const type = event.candidate.type;
      if (type) byType[type] = (byType[type] ?? 0) + 1;
    });
    pc.createDataChannel('studio');
    pc.createOffer()
      .then((offer) => pc.setLocalDescription(offer))
      .catch((error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
  });
}

function fail(span: Span, reason: string): WebRtcReadiness {
  span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
  return { ok: false, reason };
}

function check(span: Span): Promise<WebRtcReadiness> {
  if (typeof RTCPeerConnection !== 'function') return Promise.resolve(fail(span, 'this browser has no WebRTC (RTCPeerConnection)'));
  const pc = new RTCPeerConnection(ICE_CONFIGURATION);
  return gather(pc)
    .then(({ state, byType, total, ms }): WebRtcReadiness => {
      span.setAttributes({ 'webrtc.ice.candidate_count': total, 'webrtc.ice.gathering_ms': ms, 'webrtc.ice.gathering_state': state });
      for (const [type, count] of Object.entries(byType)) span.setAttribute(`webrtc.ice.candidates.${type}`, count);
      if (state !== 'complete') return fail(span, `ICE gathering did not complete in ${GATHERING_TIMEOUT_MS / 1000} s`);
      if (total === 0) return fail(span, 'no local ICE candidate: this browser cannot reach anyone');
      return { ok: true, candidates: total };
    })
    .finally(() => pc.close());
}

/**
 * Runs the `webrtc.init` step under the active context (the `room.create` flow) and resolves with
 * what it found; never rejects.
 */
export function initWebRtc(): Promise<WebRtcReadiness> {
  const attributes = { 'webrtc.ice.server_count': ICE_CONFIGURATION.iceServers?.length ?? 0 };
  return trace.getTracer('simplycaster').startActiveSpan('webrtc.init', { attributes }, async (span) => {
    try {
      return await check(span);
    } catch (error) {
      return fail(span, error instanceof Error ? error.message : String(error));
    } finally {
      span.end();
    }
  });
}
