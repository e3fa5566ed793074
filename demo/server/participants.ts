/** The participants API: joining a room records the participant. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from './database.ts';
import { readJson, sendJson } from './json.ts';

export interface ParticipantRow {
  id: string;
  room_id: string;
  name: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `value` is a UUID as the database writes them. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** `POST /api/rooms/:id/participants` with `{ name }`: 201 with the participant, 404 for no such room. */
export async function joinRoom(db: Database, req: IncomingMessage, res: ServerResponse, roomId: string): Promise<void> {
  const body = await readJson(req);
  const name = typeof body?.name === 'string' ? body.name.trim() : '';
  if (name.length < 1 || name.length > 80) return sendJson(res, 400, { error: 'name must be 1 to 80 characters' });
  if (!isUuid(roomId)) return sendJson(res, 404, { error: `no room ${roomId}` });
  // One statement: the room check and the insert cannot race with a room being deleted.
  const { rows } = await db.query<ParticipantRow>(
    'INSERT INTO participants (room_id, name) SELECT id, $2 FROM rooms WHERE id = $1 RETURNING id, room_id, name',
    [roomId, name],
  );
  if (rows.length === 0) return sendJson(res, 404, { error: `no room ${roomId}` });
  sendJson(res, 201, rows[0]);
}
