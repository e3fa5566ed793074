/**
 * Recording in the room page. The host's "Start recording" and "Stop recording" are flows; the
 * server broadcasts each to every participant's page over the signalling socket, inside the
 * flow's trace, and each page then records or completes its own track (`recording.track.start`,
 * `recording.track.complete` spans under the signal's `process` span).
 */
import type { Span } from '@opentelemetry/api';
import { clickFlow } from 'flowtrace/client';
import { api, type Participant } from './api.ts';
import type { RecordingsList } from './recordings-list.ts';
import type { SignallingChannel } from './signalling.ts';
import { inSpan } from './spans.ts';
import { errorMessage, showRefusal, showStatus } from './status.ts';
import { TrackRecorder } from './track-recorder.ts';

export interface RoomRecordingOptions {
  channel: SignallingChannel;
  participant: Participant;
  list: RecordingsList;
  /** The call's camera and microphone, when a call is on; otherwise the page asks for its own. */
  callMedia: () => MediaStream | undefined;
  /** Resolves once flowtrace's MediaRecorder instrumentation is in place. */
  tracingReady: Promise<void>;
}

const element = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

/**
 * Sets up the recording section for a participant who has joined. Resolves once a recording
 * already running has been caught up with (this page's track started), so the join's flow holds it.
 */
export function setUpRecording({ channel, participant, list, callMedia, tracingReady }: RoomRecordingOptions): Promise<void> {
  const section = element('#recording');
  const startButton = element<HTMLButtonElement>('#start-recording');
  const stopButton = element<HTMLButtonElement>('#stop-recording');
  const status = element('#recording-status');
  const problem = element('#recording-error');
  const participants = element('#participants');
  const isHost = participant.role === 'host';
  let running: string | undefined;
  let track: Promise<TrackRecorder | undefined> | undefined;
  // This browser's last track, and what the server said of it: the assembly may end before the
  // page has shown "being assembled", which must then not stay up.
  let ownTrack: { id: string; status?: string } | undefined;
  const showAssembly = () => {
    if (ownTrack?.status === 'ready') showStatus(status, 'Your track is ready: download it below.', 'ok');
    else if (ownTrack?.status === 'failed') showStatus(status, 'Your track could not be assembled.', 'error');
  };

  const showParticipants = (count: number) => (participants.textContent = count === 1 ? 'You are alone in the room.' : `${count} people are in the room.`);
  const showProblem = (message: string) => showStatus(problem, message, 'error');
  const setRunning = (recordingId: string | undefined) => {
    running = recordingId;
    startButton.disabled = running !== undefined;
    stopButton.disabled = running === undefined;
  };

  section.hidden = false;
  startButton.hidden = stopButton.hidden = !isHost;
  showParticipants(channel.welcome.participants);
  channel.on('presence', (signal) => showParticipants(signal.participants));

  async function recordTrack(recordingId: string, span: Span): Promise<TrackRecorder> {
    const mode = participant.recordingMode;
    span.setAttribute('simplycaster.room.recording_mode', mode);
    const callStream = callMedia();
    const own = callStream ? undefined : await navigator.mediaDevices.getUserMedia({ audio: true, video: mode === 'video' });
    const source = callStream ?? own!;
    // An audio room records the microphone alone, even while the call shows the camera.
    const stream = mode === 'audio' ? new MediaStream(source.getAudioTracks()) : source;
    span.setAttribute('simplycaster.track.kinds', [...new Set(stream.getTracks().map((media) => media.kind))].toSorted().join(','));
    await tracingReady;
    const recorder = await TrackRecorder.start(recordingId, stream, mode, {
      uploaded: (stored) => showStatus(status, `Recording: ${stored} chunk${stored === 1 ? '' : 's'} uploaded.`, 'ok'),
      problem: showProblem,
    });
    span.setAttribute('simplycaster.track.id', recorder.trackId);
    // A camera opened for the recording alone is closed with it; the call's stays on.
    if (own) void recorder.stopped.then(() => own.getTracks().forEach((media) => media.stop()));
    return recorder;
  }

  function startTrack(recordingId: string): void {
    setRunning(recordingId);
    problem.textContent = '';
    showStatus(status, 'Recording…', 'ok');
    track = inSpan('recording.track.start', { 'simplycaster.recording.id': recordingId }, (span) => recordTrack(recordingId, span)).then(
      (recorder) => {
        void list.refresh();
        return recorder;
      },
      (error: unknown) => {
        showProblem(`Could not record your track: ${errorMessage(error, 'unknown error')}`);
        return undefined;
      },
    );
  }

  channel.on('recording-start', ({ recordingId }) => startTrack(recordingId));
  // Someone who joins while a recording runs records too, from when they joined. An `await`, not
  // a `.then` callback: the flowtrace plugin carries the join's context across it.
  const caughtUp = (async () => {
    const recordings = await list.refresh();
    const runningNow = recordings.find((recording) => !recording.stoppedAt);
    if (runningNow && !track) startTrack(runningNow.id);
  })().catch(() => {
    // The list shows its own error; the join goes on.
  });

  channel.on('recording-stop', ({ recordingId }) => {
    setRunning(undefined);
    const recording = track;
    track = undefined;
    if (!recording) return;
    void inSpan('recording.track.complete', { 'simplycaster.recording.id': recordingId }, async (span) => {
      const recorder = await recording;
      if (!recorder) return;
      span.setAttribute('simplycaster.track.id', recorder.trackId);
      ownTrack = { id: recorder.trackId };
      showStatus(status, 'Finishing your track…', 'pending');
      const finished = await recorder.finish();
      span.setAttributes({ 'simplycaster.chunk.count': finished.chunkCount, 'simplycaster.recording.duration_ms': finished.durationMs });
      if (ownTrack.status) showAssembly();
      else showStatus(status, `Your track is uploaded (${finished.chunkCount} chunks) and being assembled.`, 'pending');
      await list.refresh();
    }).catch((error: unknown) => showProblem(`Your track could not be completed: ${errorMessage(error, 'unknown error')}`));
  });

  channel.on('recording-updated', (signal) => {
    if (ownTrack && signal.trackId === ownTrack.id) {
      const shown = ownTrack.status === undefined && status.dataset.state === 'pending' && status.textContent?.includes('being assembled');
      ownTrack.status = signal.status;
      if (shown) showAssembly();
    }
    void list.refresh();
  });

  startButton.addEventListener(
    'click',
    clickFlow('recording.start', async (_event, flow) => {
      flow.setAttributes({ 'simplycaster.room.id': participant.roomId });
      try {
        const started = await api.startRecording(participant.roomId);
        flow.setAttributes({ 'simplycaster.recording.id': started.id, 'simplycaster.room.participant_count': started.participants });
        setRunning(started.id);
      } catch (error) {
        showRefusal(flow, problem, error, 'Could not start the recording.');
      }
    }),
  );

  stopButton.addEventListener(
    'click',
    clickFlow('recording.stop', async (_event, flow) => {
      flow.setAttributes({ 'simplycaster.room.id': participant.roomId, ...(running ? { 'simplycaster.recording.id': running } : {}) });
      try {
        if (!running) throw new Error('No recording is running.');
        const stopped = await api.stopRecording(running);
        flow.setAttributes({ 'simplycaster.room.participant_count': stopped.participants });
        setRunning(undefined);
      } catch (error) {
        showRefusal(flow, problem, error, 'Could not stop the recording.');
      }
    }),
  );
  return caughtUp;
}
