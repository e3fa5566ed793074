/**
 * The room's recordings, each with its tracks: who recorded it, status, size, duration, checksum
 * and, once assembled, a download link. The page refreshes it when something changes (its own
 * track added or completed, the server's `recording-updated` signal), never on a timer.
 */
import { api, type Recording, type RecordingTrack } from './api.ts';

const time = (iso: string) => new Date(iso).toLocaleTimeString();

function describeTrack(track: RecordingTrack): string {
  const parts: string[] = [track.status];
  if (track.bytes !== null) parts.push(`${track.bytes.toLocaleString('en')} bytes`);
  if (track.durationMs !== null) parts.push(`${(track.durationMs / 1000).toFixed(1)} s`);
  if (track.sha256) parts.push(`SHA-256 ${track.sha256.slice(0, 12)}…`);
  return `${track.displayName}: ${parts.join(' · ')}`;
}

function trackItem(track: RecordingTrack): HTMLLIElement {
  const item = document.createElement('li');
  item.dataset.trackId = track.trackId;
  item.dataset.status = track.status;
  item.append(describeTrack(track));
  if (track.download) {
    const link = document.createElement('a');
    link.href = track.download;
    link.download = `${track.displayName}-${track.trackId.slice(0, 8)}.webm`;
    link.textContent = 'Download';
    link.setAttribute('aria-label', `Download the track of ${track.displayName}`);
    item.append(' ', link);
  }
  return item;
}

function recordingItem(recording: Recording): HTMLLIElement {
  const item = document.createElement('li');
  item.dataset.recordingId = recording.id;
  const when = recording.stoppedAt ? `${time(recording.startedAt)} to ${time(recording.stoppedAt)}` : `${time(recording.startedAt)}, recording now`;
  item.append(`Recording of ${when}`);
  const tracks = document.createElement('ul');
  tracks.append(...recording.tracks.map(trackItem));
  if (recording.tracks.length === 0) tracks.append(Object.assign(document.createElement('li'), { textContent: 'No tracks yet.' }));
  item.append(tracks);
  return item;
}

/** The room's recordings list in `element`. */
export class RecordingsList {
  readonly #element: HTMLElement;
  readonly #roomId: string;
  #loading: Promise<Recording[]> | undefined;
  #again = false;
  /** The recordings as last loaded. */
  recordings: Recording[] = [];

  constructor(element: HTMLElement, roomId: string) {
    this.#element = element;
    this.#roomId = roomId;
  }

  /** Loads and renders the list; a refresh asked for while one runs is done once, after it. */
  refresh(): Promise<Recording[]> {
    if (this.#loading) {
      this.#again = true;
      return this.#loading;
    }
    this.#loading = this.#load().finally(() => {
      this.#loading = undefined;
      if (this.#again) {
        this.#again = false;
        void this.refresh();
      }
    });
    return this.#loading;
  }

  async #load(): Promise<Recording[]> {
    try {
      this.recordings = await api.listRecordings(this.#roomId);
      this.#element.replaceChildren(...this.recordings.map(recordingItem));
      if (this.recordings.length === 0) this.#element.replaceChildren(Object.assign(document.createElement('li'), { textContent: 'No recordings yet.' }));
    } catch (error) {
      const item = document.createElement('li');
      item.textContent = `Could not load the recordings: ${error instanceof Error ? error.message : String(error)}`;
      this.#element.replaceChildren(item);
    }
    return this.recordings;
  }
}
