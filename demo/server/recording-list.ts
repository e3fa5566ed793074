/**
 * `GET /api/recordings[?room=…]`: the recordings of the rooms you are a member of (the 20 latest),
 * each with its tracks: who recorded it, status, bytes, duration, SHA-256 and, once assembled, a
 * download link.
 */
import { trace } from '@opentelemetry/api';
import type { Database } from './database.ts';
import { sendJson } from './json.ts';
import { isUuid } from './participants.ts';
import type { RouteContext } from './router.ts';
import { currentUser } from './sessions.ts';

interface RecordingRow {
  id: string;
  room_id: string;
  started_at: string | Date;
  stopped_at: string | Date | null;
}

interface TrackRow {
  recording_id: string;
  track_id: string;
  user_id: string;
  display_name: string;
  mime_type: string;
  status: string;
  bytes: string | number | null;
  duration_ms: number | null;
  sha256: string | null;
}

const iso = (value: string | Date | null) => (value === null ? null : new Date(value).toISOString());

/** The `GET /api/recordings` handler. */
export function recordingListRoute(db: Database) {
  return async function listRecordings(ctx: RouteContext): Promise<void> {
    const user = await currentUser(db, ctx.req);
    if (!user) return sendJson(ctx.res, 401, { error: 'Sign in to see recordings.' });
    const room = new URL(ctx.req.url ?? '/', 'http://localhost').searchParams.get('room');
    if (room !== null && !isUuid(room)) return sendJson(ctx.res, 400, { error: 'room must be a room id.' });
    trace.getActiveSpan()?.setAttributes({ 'enduser.id': user.id, ...(room ? { 'simplycaster.room.id': room } : {}) });
    const { rows: recordings } = await db.query<RecordingRow>(
      `SELECT recordings.id, recordings.room_id, recordings.started_at, recordings.stopped_at FROM recordings
       JOIN room_members ON room_members.room_id = recordings.room_id AND room_members.user_id = $1
       WHERE $2::uuid IS NULL OR recordings.room_id = $2::uuid
       ORDER BY recordings.started_at DESC LIMIT 20`,
      [user.id, room],
    );
    const { rows: tracks } = recordings.length
      ? await db.query<TrackRow>(
          `SELECT recording_tracks.recording_id, recording_tracks.id AS track_id, recording_tracks.user_id, users.display_name,
                  recording_tracks.mime_type, recording_tracks.status, recording_tracks.bytes, recording_tracks.duration_ms, recording_tracks.sha256
           FROM recording_tracks JOIN users ON users.id = recording_tracks.user_id
           WHERE recording_tracks.recording_id = ANY($1::uuid[]) ORDER BY users.display_name, recording_tracks.id`,
          [recordings.map((recording) => recording.id)],
        )
      : { rows: [] };
    trace.getActiveSpan()?.setAttribute('simplycaster.recording.count', recordings.length);
    sendJson(ctx.res, 200, {
      recordings: recordings.map((recording) => ({
        id: recording.id,
        roomId: recording.room_id,
        startedAt: iso(recording.started_at),
        stoppedAt: iso(recording.stopped_at),
        tracks: tracks
          .filter((track) => track.recording_id === recording.id)
          .map((track) => ({
            trackId: track.track_id,
            userId: track.user_id,
            displayName: track.display_name,
            mimeType: track.mime_type,
            status: track.status,
            bytes: track.bytes === null ? null : Number(track.bytes),
            durationMs: track.duration_ms,
            sha256: track.sha256,
            download: track.status === 'ready' ? `/api/recordings/${recording.id}/tracks/${track.track_id}/file` : null,
          })),
      })),
    });
  };
}
