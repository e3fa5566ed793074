/** The rooms API: create and list rooms. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from './database.ts';
import { readJson, sendJson } from './json.ts';

interface RoomRow {
  id: string;
  name: string;
  created_at: string;
}

export async function createRoom(db: Database, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  const name = typeof body?.name === 'string' ? body.name.trim() : '';
  if (name.length < 1 || name.length > 120) {
    return sendJson(res, 400, { error: 'name must be 1 to 120 characters' });
  }
  const { rows } = await db.query<RoomRow>('INSERT INTO rooms (name) VALUES ($1) RETURNING id, name, created_at', [name]);
  sendJson(res, 201, rows[0]);
}

export async function listRooms(db: Database, _req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { rows } = await db.query<RoomRow>('SELECT id, name, created_at FROM rooms ORDER BY created_at DESC LIMIT 20');
  sendJson(res, 200, { rooms: rows });
}
