/** The demo's calls to its own API. Errors carry the server's message for the UI. */
export type RecordingMode = 'audio' | 'video';

/** A room's settings, as its host chose them. */
export interface RoomSettings {
  /** How many people may be in the room at once (2 to 8). */
  maxParticipants: number;
  /** What each participant's recorder records: audio only, or video with audio. */
  recordingMode: RecordingMode;
}

export interface Room extends RoomSettings {
  id: string;
  name: string;
  hostId: string | null;
}

/** What a new room is made of; settings left out take the server's defaults (4 people, video). */
export interface NewRoom extends Partial<RoomSettings> {
  name: string;
}

export interface User {
  id: string;
  displayName: string;
}

/** A signed-in member who joined a room page. */
export interface Participant extends RoomSettings {
  id: string;
  roomId: string;
  roomName: string;
  role: 'host' | 'guest';
  user: User;
}

export interface RecordingTrack {
  trackId: string;
  userId: string;
  displayName: string;
  status: 'recording' | 'assembling' | 'ready' | 'failed';
  bytes: number | null;
  durationMs: number | null;
  sha256: string | null;
  download: string | null;
}

export interface Recording {
  id: string;
  roomId: string;
  startedAt: string;
  stoppedAt: string | null;
  tracks: RecordingTrack[];
}

/** The API's refusal: its sentence, and the request field it is about when there is one. */
export class ApiError extends Error {
  readonly status: number;
  readonly field: string | undefined;

  constructor(message: string, status: number, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.field = field;
  }
}

async function send<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  const body = (await response.json().catch(() => ({}))) as T & { error?: string; field?: string };
  if (!response.ok) throw new ApiError(body.error ?? `${path} answered ${response.status}`, response.status, body.field);
  return body;
}

function post<T>(path: string, body: unknown): Promise<T> {
  return send<T>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export const api = {
  register: (displayName: string, email: string, password: string) =>
    post<{ user: User }>('/api/auth/register', { displayName, email, password }),
  login: (email: string, password: string) => post<{ user: User }>('/api/auth/login', { email, password }),
  logout: () => post<{ ok: true }>('/api/auth/logout', {}),
  me: () => send<{ user: User | null }>('/api/auth/me'),
  createRoom: (room: NewRoom) => post<Room>('/api/rooms', room),
  listRooms: async () => (await send<{ rooms: Room[] }>('/api/rooms')).rooms,
  invite: (roomId: string) => post<{ token: string }>(`/api/rooms/${encodeURIComponent(roomId)}/invitations`, {}),
  acceptInvitation: (token: string) => post<{ room: Room }>('/api/invitations/accept', { token }),
  joinRoom: (roomId: string) => post<Participant>(`/api/rooms/${encodeURIComponent(roomId)}/participants`, {}),
  startRecording: (roomId: string) => post<{ id: string; participants: number }>(`/api/rooms/${encodeURIComponent(roomId)}/recordings`, {}),
  stopRecording: (recordingId: string) => post<{ id: string; participants: number }>(`/api/recordings/${recordingId}/stop`, {}),
  addTrack: (recordingId: string, mimeType: string) => post<{ trackId: string }>(`/api/recordings/${recordingId}/tracks`, { mimeType }),
  chunkUrl: (recordingId: string, trackId: string, seq: number) => `/api/recordings/${recordingId}/tracks/${trackId}/chunks/${seq}`,
  completeTrack: (recordingId: string, trackId: string, chunkCount: number, durationMs: number) =>
    post<{ status: string }>(`/api/recordings/${recordingId}/tracks/${trackId}/complete`, { chunkCount, durationMs }),
  listRecordings: async (roomId: string) =>
    (await send<{ recordings: Recording[] }>(`/api/recordings?room=${encodeURIComponent(roomId)}`)).recordings,
};
