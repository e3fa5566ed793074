/** The demo's calls to its own API. Errors carry the server's message for the UI. */
export interface Room {
  id: string;
  name: string;
  hostId: string | null;
}

export interface User {
  id: string;
  displayName: string;
}

async function send<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  const body = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${path} answered ${response.status}`);
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
  createRoom: (name: string) => post<Room>('/api/rooms', { name }),
  listRooms: async () => (await send<{ rooms: Room[] }>('/api/rooms')).rooms,
  invite: (roomId: string) => post<{ token: string }>(`/api/rooms/${encodeURIComponent(roomId)}/invitations`, {}),
  acceptInvitation: (token: string) => post<{ room: Room }>('/api/invitations/accept', { token }),
};
