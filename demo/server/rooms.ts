/**
 * The rooms API: create rooms with their settings (the signed-in creator becomes the host) and list
 * them. Creating one is traced step by step under the request's span: `auth.session` (who asks),
 * `room.validate` (the name and the settings), `room.create` (the rows).
 */
import type { Database } from './database.ts';
import { authenticate } from './auth-session.ts';
import { readJson, sendJson } from './json.ts';
import { checkRoomInput, isProblem, type RecordingMode, type RoomInput } from './room-settings.ts';
import type { RouteContext } from './router.ts';
import { inSpan, refuse } from './spans.ts';

const ATTR_ROOM_ID = 'simplycaster.room.id';
const ATTR_MAX_PARTICIPANTS = 'simplycaster.room.max_participants';
const ATTR_RECORDING_MODE = 'simplycaster.room.recording_mode';

interface RoomRow {
  id: string;
  name: string;
  host_id: string | null;
  max_participants: number;
  recording_mode: RecordingMode;
  created_at: string;
}

const COLUMNS = 'id, name, host_id, max_participants, recording_mode, created_at';

/** A room as the API answers it. */
function roomJson(row: RoomRow) {
  return {
    id: row.id,
    name: row.name,
    hostId: row.host_id,
    maxParticipants: row.max_participants,
    recordingMode: row.recording_mode,
    createdAt: row.created_at,
  };
}

/** The `room.validate` step: the checked room, or `undefined` once the 400 naming the field is sent. */
function validate(ctx: RouteContext, body: Record<string, unknown> | undefined): Promise<RoomInput | undefined> {
  return inSpan('room.validate', {}, async (span) => {
    const checked = checkRoomInput(body);
    if (isProblem(checked)) {
      span.setAttributes({ 'simplycaster.validation.field': checked.field, 'simplycaster.validation.failure': checked.failure });
      refuse(span, `room refused: ${checked.failure}`);
      sendJson(ctx.res, 400, { error: checked.error, field: checked.field });
      return undefined;
    }
    span.setAttributes({ [ATTR_MAX_PARTICIPANTS]: checked.maxParticipants, [ATTR_RECORDING_MODE]: checked.recordingMode });
    return checked;
  });
}

export function roomRoutes(db: Database) {
  return {
    /** `POST /api/rooms` `{name, maxParticipants?, recordingMode?}`: 201 with the room; 401 signed out; 400 naming a bad field. */
    async create(ctx: RouteContext): Promise<void> {
      const body = await readJson(ctx.req);
      const user = await authenticate(db, ctx.req);
      if (!user) return sendJson(ctx.res, 401, { error: 'Sign in to create a room.' });
      const room = await validate(ctx, body);
      if (!room) return;
      const created = await inSpan('room.create', { [ATTR_MAX_PARTICIPANTS]: room.maxParticipants, [ATTR_RECORDING_MODE]: room.recordingMode }, async (span) => {
        const { rows } = await db.query<RoomRow>(
          `INSERT INTO rooms (name, host_id, max_participants, recording_mode) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
          [room.name, user.id, room.maxParticipants, room.recordingMode],
        );
        const row = rows[0]!;
        span.setAttribute(ATTR_ROOM_ID, row.id);
        await db.query(`INSERT INTO room_members (room_id, user_id, role) VALUES ($1, $2, 'host')`, [row.id, user.id]);
        return row;
      });
      sendJson(ctx.res, 201, roomJson(created));
    },

    async list({ res }: RouteContext): Promise<void> {
      const { rows } = await db.query<RoomRow>(`SELECT ${COLUMNS} FROM rooms ORDER BY created_at DESC LIMIT 20`);
      sendJson(res, 200, { rooms: rows.map(roomJson) });
    },
  };
}
