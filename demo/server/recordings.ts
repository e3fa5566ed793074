/**
 * Starting and stopping a room's recording: the host starts one (one at a time per room), the
 * server tells every participant connected to the room to record their track, and later to stop.
 * Both are broadcast over the signalling socket inside the request's trace, so the start reaches
 * every participant's browser as part of the host's click. Tracks and chunks: tracks.ts.
 */
import { trace } from '@opentelemetry/api';
import type { Database } from './database.ts';
import { sendJson } from './json.ts';
import { isUuid, membership } from './participants.ts';
import type { RouteContext } from './router.ts';
import type { SessionUser } from './sessions.ts';
import type { RoomBroadcast } from './signalling.ts';
import { inSpan, refuse } from './spans.ts';

const ATTR_ROOM_ID = 'simplycaster.room.id';
const ATTR_RECORDING_ID = 'simplycaster.recording.id';
const ATTR_PARTICIPANT_COUNT = 'simplycaster.room.participant_count';

/** Route handlers that start and stop recordings, telling the room through `room`. */
export function recordingRoutes(db: Database, room: RoomBroadcast) {
  /** The signed-in host of `roomId`; otherwise answers why not and returns `undefined`. */
  async function host(ctx: RouteContext, roomId: string): Promise<SessionUser | undefined> {
    const member = await membership(db, ctx.req, roomId);
    if ('refused' in member) {
      const errors = { signed_out: 'Sign in to record.', no_room: 'No such room.', not_member: 'Only members of this room can record in it.' };
      sendJson(ctx.res, member.status, { error: errors[member.refused] });
      return undefined;
    }
    trace.getActiveSpan()?.setAttribute('enduser.id', member.user.id);
    if (member.role !== 'host') {
      sendJson(ctx.res, 403, { error: 'Only the host of this room can start or stop a recording.' });
      return undefined;
    }
    return member.user;
  }

  return {
    async start(ctx: RouteContext): Promise<void> {
      const roomId = ctx.params.id ?? '';
      if (!isUuid(roomId)) return sendJson(ctx.res, 404, { error: 'No such room.' });
      trace.getActiveSpan()?.setAttribute(ATTR_ROOM_ID, roomId);
      const user = await host(ctx, roomId);
      if (!user) return;
      const started = await inSpan('recording.start', { [ATTR_ROOM_ID]: roomId }, async (span) => {
        // One statement: two starts at once cannot both find the room free.
        const { rows } = await db.query<{ id: string }>(
          `INSERT INTO recordings (room_id, started_by) SELECT $1, $2
           WHERE NOT EXISTS (SELECT 1 FROM recordings WHERE room_id = $1 AND stopped_at IS NULL) RETURNING id`,
          [roomId, user.id],
        );
        if (!rows[0]) {
          refuse(span, 'a recording is running in this room already');
          return undefined;
        }
        const participants = room.broadcast(roomId, { type: 'recording-start', recordingId: rows[0].id });
        span.setAttributes({ [ATTR_RECORDING_ID]: rows[0].id, [ATTR_PARTICIPANT_COUNT]: participants });
        return { id: rows[0].id, participants };
      });
      if (!started) return sendJson(ctx.res, 409, { error: 'A recording is running in this room already: stop it first.' });
      sendJson(ctx.res, 201, started);
    },

    async stop(ctx: RouteContext): Promise<void> {
      const recordingId = ctx.params.id ?? '';
      if (!isUuid(recordingId)) return sendJson(ctx.res, 404, { error: 'No such recording.' });
      const { rows: found } = await db.query<{ room_id: string }>('SELECT room_id FROM recordings WHERE id = $1', [recordingId]);
      const roomId = found[0]?.room_id;
      if (!roomId) return sendJson(ctx.res, 404, { error: 'No such recording.' });
      trace.getActiveSpan()?.setAttributes({ [ATTR_ROOM_ID]: roomId, [ATTR_RECORDING_ID]: recordingId });
      if (!(await host(ctx, roomId))) return;
      const attributes = { [ATTR_ROOM_ID]: roomId, [ATTR_RECORDING_ID]: recordingId };
      const participants = await inSpan('recording.stop', attributes, async (span) => {
        const { rows } = await db.query('UPDATE recordings SET stopped_at = now() WHERE id = $1 AND stopped_at IS NULL RETURNING id', [
          recordingId,
        ]);
        if (rows.length === 0) {
          refuse(span, 'the recording has stopped already');
          return undefined;
        }
        const reached = room.broadcast(roomId, { type: 'recording-stop', recordingId });
        span.setAttribute(ATTR_PARTICIPANT_COUNT, reached);
        return reached;
      });
      if (participants === undefined) return sendJson(ctx.res, 409, { error: 'This recording has stopped already.' });
      sendJson(ctx.res, 200, { id: recordingId, participants });
    },
  };
}
