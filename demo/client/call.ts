/**
 * A one-to-one call over a plain RTCPeerConnection, set up through the signalling relay. Offers
 * and answers carry every ICE candidate (gathering completes first), so one signal each way
 * sets up the call. `call.connect` spans mark the wait for the connection on both sides.
 */
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { ICE_CONFIGURATION } from './ice.ts';
import type { SignallingChannel } from './signalling.ts';

/** How long a call may take to connect before it is given up. */
const CONNECT_TIMEOUT_MS = 20_000;

function untilState(pc: RTCPeerConnection, event: 'icegatheringstatechange' | 'connectionstatechange', done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (done()) return resolve();
    const check = () => {
      if (!done()) return;
      pc.removeEventListener(event, check);
      resolve();
    };
    pc.addEventListener(event, check);
  });
}

/**
 * Resolves when `pc` is connected, rejects when it fails or after the timeout; a `call.connect`
 * span under the active context covers the wait.
 */
function traceConnect(pc: RTCPeerConnection, role: 'caller' | 'callee'): Promise<void> {
  const span = trace.getTracer('simplycaster').startSpan('call.connect', { attributes: { 'simplycaster.call.role': role } }, context.active());
  const connected = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the call did not connect in time')), CONNECT_TIMEOUT_MS);
    const check = () => {
      if (pc.connectionState === 'connected') resolve();
      else if (pc.connectionState === 'failed' || pc.connectionState === 'closed') reject(new Error(`the call ${pc.connectionState}`));
      else return;
      clearTimeout(timer);
      pc.removeEventListener('connectionstatechange', check);
    };
    pc.addEventListener('connectionstatechange', check);
  });
  connected.then(
    () => {
      span.setAttribute('simplycaster.call.connection_state', 'connected');
      span.end();
    },
    (error: Error) => {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      span.end();
    },
  );
  return connected;
}

async function withLocalMedia(pc: RTCPeerConnection): Promise<MediaStream> {
  const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  for (const track of media.getTracks()) pc.addTrack(track, media);
  return media;
}

async function describeLocally(pc: RTCPeerConnection, description: RTCSessionDescriptionInit): Promise<RTCSessionDescriptionInit> {
  await pc.setLocalDescription(description);
  await untilState(pc, 'icegatheringstatechange', () => pc.iceGatheringState === 'complete');
  return pc.localDescription!.toJSON() as RTCSessionDescriptionInit;
}

/** A call in progress. */
export interface Call {
  pc: RTCPeerConnection;
  media: MediaStream;
  connected: Promise<void>;
}

/** Calls everyone else in the room (the first to answer gets the call); resolves when connected. */
export async function startCall(channel: SignallingChannel): Promise<Call> {
  const pc = new RTCPeerConnection(ICE_CONFIGURATION);
  const connected = traceConnect(pc, 'caller');
  const failed = new Promise<never>((_resolve, reject) => channel.on('error', (signal) => reject(new Error(signal.reason))));
  const media = await withLocalMedia(pc);
  channel.on('answer', (signal) => {
    channel.on('answer', () => {});
    void pc.setRemoteDescription(signal.description!);
  });
  channel.send({ type: 'offer', description: await describeLocally(pc, await pc.createOffer()) });
  await Promise.race([connected, failed]);
  return { pc, media, connected };
}

/** Answers an offer; runs inside the offer's `process` span, so the answer joins the caller's trace. */
export async function answerCall(channel: SignallingChannel, offer: { from?: string; description?: RTCSessionDescriptionInit }): Promise<Call> {
  const pc = new RTCPeerConnection(ICE_CONFIGURATION);
  const connected = traceConnect(pc, 'callee');
  const media = await withLocalMedia(pc);
  await pc.setRemoteDescription(offer.description!);
  channel.send({ type: 'answer', to: offer.from, description: await describeLocally(pc, await pc.createAnswer()) });
  await connected;
  return { pc, media, connected };
}
