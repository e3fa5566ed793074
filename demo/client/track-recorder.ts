/**
 * This participant's track of a recording: a real MediaRecorder on the page's camera and
 * microphone (the microphone alone, as audio/webm, in a room that records audio), each chunk
 * uploaded as it comes (numbered 0, 1, 2, …) to the recordings API, and the track completed once
 * the recorder has stopped and every upload has finished. flowtrace's recording instrumentation
 * makes the recorder a `media.recording` span and each upload its child.
 */
import { uploadWithRetry } from 'flowtrace/client';
import { api, type RecordingMode } from './api.ts';

/** How often the recorder hands over a chunk. */
const TIMESLICE_MS = 250;
/** What the recorder asks for, best first, by the room's recording mode. */
const MIME_TYPES: Record<RecordingMode, string[]> = {
  video: ['video/webm;codecs=vp8,opus', 'video/webm', 'audio/webm'],
  audio: ['audio/webm;codecs=opus', 'audio/webm'],
};

/** What the page hears while the track records. */
export interface TrackReport {
  /** A chunk was stored; `stored` counts them so far. */
  uploaded(stored: number): void;
  /** A chunk was refused or lost, in a sentence for the user. */
  problem(message: string): void;
}

export interface FinishedTrack {
  chunkCount: number;
  durationMs: number;
}

async function refusal(seq: number, response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  return `Chunk ${seq} was refused: ${body.error ?? `the server answered ${response.status}`}`;
}

/** One participant's track being recorded and uploaded. */
export class TrackRecorder {
  readonly recordingId: string;
  readonly trackId: string;
  readonly #recorder: MediaRecorder;
  readonly #report: TrackReport;
  /** Resolves once the recorder has stopped. */
  readonly stopped: Promise<void>;
  readonly #uploads: Array<Promise<void>> = [];
  readonly #startedAt = performance.now();
  #next = 0;
  #stored = 0;

  /**
   * Adds this participant's track to the recording, then starts recording `stream` into it, as
   * audio only or as video by the room's `mode`.
   */
  static async start(recordingId: string, stream: MediaStream, mode: RecordingMode, report: TrackReport): Promise<TrackRecorder> {
    const mimeType = MIME_TYPES[mode].find((type) => MediaRecorder.isTypeSupported(type)) ?? `${mode}/webm`;
    const { trackId } = await api.addTrack(recordingId, mimeType);
    return new TrackRecorder(recordingId, trackId, new MediaRecorder(stream, { mimeType }), report);
  }

  private constructor(recordingId: string, trackId: string, recorder: MediaRecorder, report: TrackReport) {
    this.recordingId = recordingId;
    this.trackId = trackId;
    this.#recorder = recorder;
    this.#report = report;
    this.stopped = new Promise((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }));
    recorder.addEventListener('dataavailable', (event) => this.#upload(event.data));
    recorder.start(TIMESLICE_MS);
  }

  #upload(chunk: Blob): void {
    // The last hand-over after stop() can be empty; an empty chunk would only be a gap to explain.
    if (chunk.size === 0) return;
    const seq = this.#next++;
    const url = api.chunkUrl(this.recordingId, this.trackId, seq);
    const init = { method: 'PUT', headers: { 'content-type': chunk.type || 'video/webm' } };
    this.#uploads.push(
      uploadWithRetry(url, chunk, { attempts: 3, init }).then(
        async (response) => {
          if (response.ok) return this.#report.uploaded(++this.#stored);
          this.#report.problem(await refusal(seq, response));
        },
        (error: unknown) => this.#report.problem(`Chunk ${seq} could not be uploaded: ${error instanceof Error ? error.message : String(error)}`),
      ),
    );
  }

  /**
   * Stops recording, waits for every upload, and completes the track, which the server then
   * assembles. Rejects with the server's sentence when it refuses (a chunk missing, say).
   */
  async finish(): Promise<FinishedTrack> {
    if (this.#recorder.state !== 'inactive') this.#recorder.stop();
    await this.stopped;
    const durationMs = Math.round(performance.now() - this.#startedAt);
    // `dataavailable` comes before `stop`, so every upload has been started by now.
    await Promise.all(this.#uploads);
    if (this.#next === 0) throw new Error('Nothing was recorded: the recorder produced no data.');
    await api.completeTrack(this.recordingId, this.trackId, this.#next, durationMs);
    return { chunkCount: this.#next, durationMs };
  }
}
