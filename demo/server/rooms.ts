/** The rooms API: create rooms (the signed-in creator becomes the host) and list them. */
import { trace } from '@opentelemetry/api';
import type { Database } from './database.ts';
import { readJson, sendJson } from './json.ts';
import type { RouteContext } from './router.ts';
import { currentUser } from './sessions.ts';
import { inSpan } from './spans.ts';

interface RoomRow {
  id: string;
  name: string;
  host_id: string | null;
  created_at: string;
}

export function roomRoutes(db: Database) {
  return {
    async create({ req, res }: RouteContext): Promise<void> {
      const body = await readJson(req);
      const name = typeof body?.name === 'string' ? body.name.trim() : '';
      if (name.length < 1 || name.length > 120) {
        return sendJson(res, 400, { error: 'The room name needs 1 to 120 characters.' });
      }
      const user = await currentUser(db, req);
      if (user) trace.getActiveSpan()?.setAttribute('enduser.id', user.id);
      const room = await inSpan('room.create', {}, async (span) => {
        const { rows } = await db.query<RoomRow>(
          'INSERT INTO rooms (name, host_id) VALUES ($1, $2) RETURNING id, name, host_id, created_at',
          [name, user?.id ?? null],
        );
        const created = rows[0]!;
        span.setAttribute('simplycaster.room.id', created.id);
        if (user) {
          await db.query(`INSERT INTO room_members (room_id, user_id, role) VALUES ($1, $2, 'host')`, [created.id, user.id]);
        }
        return created;
      });
      sendJson(res, 201, { id: room.id, name: room.name, hostId: room.host_id, createdAt: room.created_at });
    },

    async list({ res }: RouteContext): Promise<void> {
      const { rows } = await db.query<RoomRow>('SELECT id, name, host_id, created_at FROM rooms ORDER BY created_at DESC LIMIT 20');
      sendJson(res, 200, {
        rooms: rows.map((row) => ({ id: row.id, name: row.name, hostId: row.host_id, createdAt: row.created_at })),
      });
    },
  };
}
