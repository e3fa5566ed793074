/**
 * The room page: join to wait for a call, or join and call whoever is in the room. Each button is
 * one flow; the call's flow spans both browsers, the server and the database.
 */
import { clickFlow } from 'flowtrace/client';
import { answerCall, startCall, type Call } from './call.ts';
import { SignallingChannel } from './signalling.ts';
import { startTracing } from './tracing.ts';

startTracing();

const roomId = new URLSearchParams(location.search).get('room') ?? '';
const nameInput = document.querySelector<HTMLInputElement>('#participant-name')!;
const joinButton = document.querySelector<HTMLButtonElement>('#join')!;
const callButton = document.querySelector<HTMLButtonElement>('#join-and-call')!;
const status = document.querySelector<HTMLElement>('#call-status')!;
const localVideo = document.querySelector<HTMLVideoElement>('#local-video')!;
const remoteVideo = document.querySelector<HTMLVideoElement>('#remote-video')!;

function showStatus(text: string, state: 'ok' | 'error' | 'busy'): void {
  status.textContent = text;
  status.dataset.state = state;
}

async function join(): Promise<SignallingChannel> {
  const name = nameInput.value.trim();
  if (!name) throw new Error('Give your name first.');
  const response = await fetch(`/api/rooms/${encodeURIComponent(roomId)}/participants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  const body = (await response.json().catch(() => ({}))) as { id?: string; error?: string };
  if (!response.ok || !body.id) throw new Error(body.error ?? `joining answered ${response.status}`);
  joinButton.disabled = callButton.disabled = true;
  return SignallingChannel.open(roomId, body.id);
}

function show(call: Call): void {
  localVideo.srcObject = call.media;
  remoteVideo.srcObject = new MediaStream(call.pc.getReceivers().map((receiver) => receiver.track));
}

function failed(error: unknown): never {
  showStatus(error instanceof Error ? error.message : 'Something went wrong.', 'error');
  throw error;
}

joinButton.addEventListener(
  'click',
  clickFlow('room.join', async () => {
    try {
      const channel = await join();
      channel.on('offer', (offer) => {
        showStatus('Answering…', 'busy');
        answerCall(channel, offer).then(
          (call) => {
            show(call);
            showStatus('Connected.', 'ok');
          },
          (error: unknown) => showStatus(error instanceof Error ? error.message : 'The call failed.', 'error'),
        );
      });
      showStatus('Waiting for a call.', 'ok');
    } catch (error) {
      failed(error);
    }
  }),
);

callButton.addEventListener(
  'click',
  clickFlow('call.start', async (_event, flow) => {
    flow.setAttributes({ 'simplycaster.room.id': roomId });
    try {
      const channel = await join();
      showStatus('Calling…', 'busy');
      const call = await startCall(channel);
      show(call);
      showStatus('Connected.', 'ok');
    } catch (error) {
      failed(error);
    }
  }),
);
