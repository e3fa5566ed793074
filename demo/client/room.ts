/**
 * The room page, for a signed-in member of the room (its host, or a guest who accepted an invite
 * link): join to wait for a call, or join and call whoever is in the room; then record. Each
 * button is one flow; the call's and the recording's flows reach every browser in the room.
 */
import { clickFlow, type Flow } from 'flowtrace/client';
import { api, ApiError, type Participant } from './api.ts';
import { answerCall, startCall, type Call } from './call.ts';
import { RecordingsList } from './recordings-list.ts';
import { describeSettings } from './room-settings.ts';
import { setUpRecording } from './room-recording.ts';
import { SignallingChannel } from './signalling.ts';
import { errorMessage } from './status.ts';
import { startTracing } from './tracing.ts';

const tracing = startTracing({ recording: true });

const roomId = new URLSearchParams(location.search).get('room') ?? '';
const who = document.querySelector<HTMLElement>('#who')!;
const joinButton = document.querySelector<HTMLButtonElement>('#join')!;
const callButton = document.querySelector<HTMLButtonElement>('#join-and-call')!;
const status = document.querySelector<HTMLElement>('#call-status')!;
const localVideo = document.querySelector<HTMLVideoElement>('#local-video')!;
const remoteVideo = document.querySelector<HTMLVideoElement>('#remote-video')!;
const list = new RecordingsList(document.querySelector<HTMLElement>('#recordings')!, roomId);
let call: Call | undefined;

function showStatus(text: string, state: 'ok' | 'error' | 'busy'): void {
  status.textContent = text;
  status.dataset.state = state;
}

/** Joins as the signed-in user: recorded by the API, admitted by the room's signalling relay. */
async function join(): Promise<{ participant: Participant; channel: SignallingChannel }> {
  joinButton.disabled = callButton.disabled = true;
  try {
    const participant = await api.joinRoom(roomId);
    document.querySelector<HTMLElement>('#room-settings')!.textContent = `This room: ${describeSettings(participant)}.`;
    const channel = await SignallingChannel.open(roomId);
    await setUpRecording({ channel, participant, list, callMedia: () => call?.media, tracingReady: tracing.ready });
    return { participant, channel };
  } catch (error) {
    joinButton.disabled = callButton.disabled = false;
    throw error;
  }
}

function show(started: Call): void {
  call = started;
  document.querySelector<HTMLElement>('#call')!.hidden = false;
  localVideo.srcObject = started.media;
  remoteVideo.srcObject = new MediaStream(started.pc.getReceivers().map((receiver) => receiver.track));
}

/** Shows why joining or calling failed; a refusal the API explained is handled (see status.ts's showRefusal). */
function failed(flow: Flow, error: unknown): void {
  showStatus(errorMessage(error, 'Something went wrong.'), 'error');
  if (!(error instanceof ApiError)) throw error;
  flow.setAttributes({ 'simplycaster.api.status': error.status });
  flow.fail(error.message);
}

/** What the room is, shown before joining (the public room list has it). */
async function describeRoom(): Promise<void> {
  const room = (await api.listRooms()).find((listed) => listed.id === roomId);
  if (!room) return;
  document.querySelector<HTMLElement>('#room-name')!.textContent = room.name;
  document.title = `${room.name} — SimplyCaster`;
  document.querySelector<HTMLElement>('#room-settings')!.textContent = `This room: ${describeSettings(room)}.`;
}

joinButton.addEventListener(
  'click',
  clickFlow('room.join', async (_event, flow) => {
    flow.setAttributes({ 'simplycaster.room.id': roomId });
    showStatus('Joining…', 'busy');
    try {
      const { participant, channel } = await join();
      flow.setAttributes({ 'simplycaster.room.participant_count': channel.welcome.participants });
      channel.on('offer', (offer) => {
        showStatus('Answering…', 'busy');
        answerCall(channel, offer).then(
          (answered) => {
            show(answered);
            showStatus('Connected.', 'ok');
          },
          (error: unknown) => showStatus(errorMessage(error, 'The call failed.'), 'error'),
        );
      });
      showStatus(`You joined “${participant.roomName}” as ${participant.role}. Waiting for a call.`, 'ok');
    } catch (error) {
      failed(flow, error);
    }
  }),
);

callButton.addEventListener(
  'click',
  clickFlow('call.start', async (_event, flow) => {
    flow.setAttributes({ 'simplycaster.room.id': roomId });
    showStatus('Joining…', 'busy');
    try {
      const { channel } = await join();
      flow.setAttributes({ 'simplycaster.room.participant_count': channel.welcome.participants });
      showStatus('Calling…', 'busy');
      show(await startCall(channel));
      showStatus('Connected.', 'ok');
    } catch (error) {
      failed(flow, error);
    }
  }),
);

// Who is here: the room page is for signed-in members; anyone else is told what to do.
api.me().then(
  ({ user }) => {
    if (!user) {
      who.innerHTML = 'You are signed out: <a href="/">sign in on the studio page</a>, then come back.';
      return;
    }
    tracing.setUser(user.id);
    who.textContent = `Signed in as ${user.displayName}.`;
    joinButton.disabled = callButton.disabled = false;
    describeRoom().catch(() => undefined);
  },
  () => (who.textContent = 'Could not reach the studio; reload the page.'),
);
