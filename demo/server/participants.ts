/**
 * Room membership as the room page uses it: joining needs a signed-in account that is a member of
 * the room (its host, or a guest who accepted an invite link), and a free place in the room (its
 * `maxParticipants`). The join is recorded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { trace } from '@opentelemetry/api';
import type { Database } from './database.ts';
import { sendJson } from './json.ts';
import { checkCapacity, type RoomPresence } from './room-capacity.ts';
import type { RecordingMode } from './room-settings.ts';
import { currentUser, type SessionUser } from './sessions.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `value` is a UUID as the database writes them. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export type RoomRole = 'host' | 'guest';

/** A room as its members see it: its name and settings. */
export interface RoomInfo {
  name: string;
  maxParticipants: number;
  recordingMode: RecordingMode;
}

/** A signed-in member of a room, or why someone is not one. */
export type Membership =
  | { user: SessionUser; role: RoomRole; room: RoomInfo }
  | { refused: 'signed_out' | 'no_room' | 'not_member'; status: 401 | 403 | 404; error: string };

const REFUSALS = {
  signed_out: { status: 401, error: 'Sign in to join this room.' },
  no_room: { status: 404, error: 'There is no such room.' },
  not_member: { status: 403, error: 'You are not a member of this room: ask its host for an invite link.' },
} as const;

function refusal(refused: keyof typeof REFUSALS): Membership {
  return { refused, ...REFUSALS[refused] };
}

/** The request's user and their role in `roomId`; the reason (and HTTP status) when there is none. */
export async function membership(db: Database, req: IncomingMessage, roomId: string): Promise<Membership> {
  const user = await currentUser(db, req);
  if (!user) return refusal('signed_out');
  if (!isUuid(roomId)) return refusal('no_room');
  const { rows } = await db.query<{ name: string; max_participants: number; recording_mode: RecordingMode; role: RoomRole | null }>(
    `SELECT rooms.name, rooms.max_participants, rooms.recording_mode, room_members.role FROM rooms
     LEFT JOIN room_members ON room_members.room_id = rooms.id AND room_members.user_id = $2
     WHERE rooms.id = $1`,
    [roomId, user.id],
  );
  const row = rows[0];
  if (!row) return refusal('no_room');
  if (!row.role) return refusal('not_member');
  return { user, role: row.role, room: { name: row.name, maxParticipants: row.max_participants, recordingMode: row.recording_mode } };
}

/**
 * `POST /api/rooms/:id/participants`: 201 with the participant (role, the room's name and settings)
 * for a member; 401 signed out, 403 not a member, 404 no such room, 409 the room is full, each with
 * a sentence for the page and the reason on the request's span.
 */
export async function joinRoom(db: Database, presence: RoomPresence, req: IncomingMessage, res: ServerResponse, roomId: string): Promise<void> {
  const span = trace.getActiveSpan();
  span?.setAttribute('simplycaster.room.id', roomId);
  const member = await membership(db, req, roomId);
  if ('refused' in member) {
    span?.setAttribute('simplycaster.participant.refused', member.refused);
    return sendJson(res, member.status, { error: member.error, reason: member.refused });
  }
  span?.setAttributes({ 'enduser.id': member.user.id, 'simplycaster.room.max_participants': member.room.maxParticipants });
  const full = checkCapacity(presence, roomId, member.user.id, member.room.maxParticipants);
  if (full) {
    span?.setAttributes({ 'simplycaster.participant.refused': full.refused, 'simplycaster.room.participant_count': full.participants });
    return sendJson(res, 409, { error: full.error, reason: full.refused });
  }
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO participants (room_id, user_id, name) VALUES ($1, $2, $3) RETURNING id',
    [roomId, member.user.id, member.user.displayName],
  );
  sendJson(res, 201, {
    id: rows[0]!.id,
    roomId,
    roomName: member.room.name,
    maxParticipants: member.room.maxParticipants,
    recordingMode: member.room.recordingMode,
    role: member.role,
    user: member.user,
  });
}
