/** The demo's calls to its own API. */
export interface Room {
  id: string;
  name: string;
}

async function send<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  const body = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${path} answered ${response.status}`);
  return body;
}

export function createRoom(name: string): Promise<Room> {
  return send<Room>('/api/rooms', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
}

export async function listRooms(): Promise<Room[]> {
  return (await send<{ rooms: Room[] }>('/api/rooms')).rooms;
}
