/**
 * The tracks of a recording: every participant records a track and uploads it in numbered chunks;
 * completing a track checks that no chunk is missing and assembles it in the background. A
 * duplicated chunk is refused (409) and the stored one kept; an oversized one is refused (413); a
 * missing one is named in the error (400), and the chunks already stored stay, so the client can
 * upload the gap and complete again. Each refusal is an event on the request's span with the reason.
 * A room whose `recordingMode` is `audio` takes audio tracks only.
 */
import { createReadStream } from 'node:fs';
import { trace } from '@opentelemetry/api';
import { startAssembly } from './assembly.ts';
import type { Database } from './database.ts';
import { readJson, sendJson } from './json.ts';
import { ChunkTooLargeError, type MediaStore } from './media-store.ts';
import type { RouteContext } from './router.ts';
import { isUuid, membership, type RoomInfo } from './participants.ts';
import { currentUser, type SessionUser } from './sessions.ts';
import type { RoomBroadcast } from './signalling.ts';

const MIME = /^(audio|video)\/webm(;\s*codecs=[\w.,]+)?$/;

interface TrackRow {
  id: string;
  recording_id: string;
  room_id: string;
  user_id: string;
  status: string;
}

/** Why a chunk was refused, as an event on the request's span (an HTTP 4xx alone says too little). */
function refuseChunk(reason: 'duplicate' | 'too_large' | 'track_complete'): void {
  trace.getActiveSpan()?.addEvent('recording.chunk_refused', { 'simplycaster.chunk.refused': reason });
}

function annotate(attributes: Record<string, string | number>): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

/** Route handlers for tracks: add, upload a chunk, complete (assembly runs in the background), download. */
export function trackRoutes(db: Database, media: MediaStore, room: RoomBroadcast) {
  async function member(ctx: RouteContext, roomId: string): Promise<{ user: SessionUser; room: RoomInfo } | undefined> {
    const found = await membership(db, ctx.req, roomId);
    if ('refused' in found) {
      const errors = { signed_out: 'Sign in to record.', no_room: 'No such recording.', not_member: 'Only members of this room can record in it.' };
      sendJson(ctx.res, found.status, { error: errors[found.refused] });
      return undefined;
    }
    annotate({ 'enduser.id': found.user.id });
    return found;
  }

  async function ownTrack(ctx: RouteContext): Promise<TrackRow | undefined> {
    const { id, trackId } = ctx.params;
    const user = await currentUser(db, ctx.req);
    if (!user) {
      sendJson(ctx.res, 401, { error: 'Sign in to record.' });
      return undefined;
    }
    if (!isUuid(id) || !isUuid(trackId)) {
      sendJson(ctx.res, 404, { error: 'No such track.' });
      return undefined;
    }
    annotate({ 'enduser.id': user.id, 'simplycaster.recording.id': id!, 'simplycaster.track.id': trackId! });
    const { rows } = await db.query<TrackRow>(
      `SELECT recording_tracks.id, recording_id, room_id, user_id, status FROM recording_tracks
       JOIN recordings ON recordings.id = recording_tracks.recording_id WHERE recording_tracks.id = $1 AND recording_id = $2`,
      [trackId, id],
    );
    const row = rows[0];
    if (!row || row.user_id !== user.id) {
      sendJson(ctx.res, 404, { error: 'No such track.' });
      return undefined;
    }
    return row;
  }

  return {
    async addTrack(ctx: RouteContext): Promise<void> {
      const recordingId = ctx.params.id ?? '';
      if (!isUuid(recordingId)) return sendJson(ctx.res, 404, { error: 'No such recording.' });
      const { rows: recordings } = await db.query<{ room_id: string }>('SELECT room_id FROM recordings WHERE id = $1', [recordingId]);
      if (!recordings[0]) return sendJson(ctx.res, 404, { error: 'No such recording.' });
      const found = await member(ctx, recordings[0].room_id);
      if (!found) return;
      const { user, room: settings } = found;
      const body = await readJson(ctx.req);
      const mimeType = typeof body?.mimeType === 'string' ? body.mimeType : '';
      if (!MIME.test(mimeType)) return sendJson(ctx.res, 400, { error: 'mimeType must be audio/webm or video/webm.' });
      annotate({ 'simplycaster.room.recording_mode': settings.recordingMode });
      if (settings.recordingMode === 'audio' && !mimeType.startsWith('audio/')) {
        trace.getActiveSpan()?.addEvent('recording.track_refused', { 'simplycaster.track.refused': 'video_in_audio_room' });
        return sendJson(ctx.res, 409, { error: 'This room records audio only: add an audio/webm track.' });
      }
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO recording_tracks (recording_id, user_id, mime_type) VALUES ($1, $2, $3)
         ON CONFLICT (recording_id, user_id) DO NOTHING RETURNING id`,
        [recordingId, user.id, mimeType],
      );
      if (!rows[0]) return sendJson(ctx.res, 409, { error: 'You have a track in this recording already.' });
      annotate({ 'simplycaster.recording.id': recordingId, 'simplycaster.track.id': rows[0].id });
      sendJson(ctx.res, 201, { trackId: rows[0].id });
    },

    async uploadChunk(ctx: RouteContext): Promise<void> {
      const seq = Number(ctx.params.seq);
      if (!Number.isInteger(seq) || seq < 0 || seq > 100_000) return sendJson(ctx.res, 400, { error: 'The chunk number must be 0 or more.' });
      const track = await ownTrack(ctx);
      if (!track) return;
      annotate({ 'simplycaster.chunk.seq': seq });
      if (track.status !== 'recording') {
        refuseChunk('track_complete');
        return sendJson(ctx.res, 409, { error: 'This track is complete; it takes no more chunks.' });
      }
      let received: { temp: string; bytes: number };
      try {
        received = await media.receive(track.id, ctx.req);
      } catch (error) {
        if (!(error instanceof ChunkTooLargeError)) throw error;
        refuseChunk('too_large');
        ctx.res.setHeader('connection', 'close');
        return sendJson(ctx.res, 413, { error: `A chunk may hold at most ${media.maxChunkBytes} bytes.` });
      }
      annotate({ 'simplycaster.chunk.bytes': received.bytes });
      const { rows } = await db.query(
        'INSERT INTO recording_chunks (track_id, seq, bytes) VALUES ($1, $2, $3) ON CONFLICT (track_id, seq) DO NOTHING RETURNING seq',
        [track.id, seq, received.bytes],
      );
      if (rows.length === 0) {
        await media.discard(received.temp);
        refuseChunk('duplicate');
        return sendJson(ctx.res, 409, { error: `Chunk ${seq} was uploaded already; the stored one is kept.` });
      }
      await media.keep(received.temp, track.id, seq);
      sendJson(ctx.res, 201, { seq, bytes: received.bytes });
    },

    async complete(ctx: RouteContext): Promise<void> {
      const track = await ownTrack(ctx);
      if (!track) return;
      const body = await readJson(ctx.req);
      const chunkCount = body?.chunkCount;
      const durationMs = body?.durationMs;
      if (typeof chunkCount !== 'number' || !Number.isInteger(chunkCount) || chunkCount < 1) {
        return sendJson(ctx.res, 400, { error: 'chunkCount must be a whole number of at least 1.' });
      }
      if (typeof durationMs !== 'number' || !(durationMs >= 0)) return sendJson(ctx.res, 400, { error: 'durationMs must be 0 or more.' });
      if (track.status !== 'recording') return sendJson(ctx.res, 409, { error: 'This track is complete already.' });
      const { rows } = await db.query<{ seq: number }>('SELECT seq FROM recording_chunks WHERE track_id = $1 ORDER BY seq', [track.id]);
      const have = new Set(rows.map((row) => row.seq));
      const missing = Array.from({ length: chunkCount }, (_, seq) => seq).filter((seq) => !have.has(seq));
      const extra = rows.filter((row) => row.seq >= chunkCount).map((row) => row.seq);
      if (missing.length > 0 || extra.length > 0) {
        const span = trace.getActiveSpan();
        span?.addEvent('recording.chunks_incomplete', { 'simplycaster.chunk.missing': missing.join(','), 'simplycaster.chunk.extra': extra.join(',') });
        const problems = [missing.length ? `chunk(s) ${missing.join(', ')} missing` : '', extra.length ? `chunk(s) ${extra.join(', ')} beyond the count` : ''];
        return sendJson(ctx.res, 400, { error: `The track is incomplete: ${problems.filter(Boolean).join('; ')}.`, missing, extra });
      }
      await db.query(`UPDATE recording_tracks SET status = 'assembling' WHERE id = $1`, [track.id]);
      const { recording_id: recordingId, room_id: roomId, id: trackId } = track;
      // Every page in the room refreshes its recordings list when a track is ready (or failed).
      const finished = (status: string) => room.broadcast(roomId, { type: 'recording-updated', recordingId, trackId, status });
      void startAssembly(db, media, { recordingId, trackId, chunkCount, durationMs, finished });
      sendJson(ctx.res, 202, { status: 'assembling' });
    },

    async download(ctx: RouteContext): Promise<void> {
      const { id, trackId } = ctx.params;
      const user = await currentUser(db, ctx.req);
      if (!user) return sendJson(ctx.res, 401, { error: 'Sign in to download recordings.' });
      if (!isUuid(id) || !isUuid(trackId)) return sendJson(ctx.res, 404, { error: 'No such track.' });
      const { rows } = await db.query<{ mime_type: string; bytes: string }>(
        `SELECT recording_tracks.mime_type, recording_tracks.bytes FROM recording_tracks
         JOIN recordings ON recordings.id = recording_tracks.recording_id
         JOIN room_members ON room_members.room_id = recordings.room_id AND room_members.user_id = $3
         WHERE recording_tracks.id = $1 AND recording_tracks.recording_id = $2 AND recording_tracks.status = 'ready'`,
        [trackId, id, user.id],
      );
      if (!rows[0]) return sendJson(ctx.res, 404, { error: 'No such track, or it is not ready yet.' });
      ctx.res.writeHead(200, {
        'content-type': rows[0].mime_type.split(';')[0]!,
        'content-length': rows[0].bytes,
        'content-disposition': `attachment; filename="track-${trackId}.webm"`,
      });
      createReadStream(media.trackFile(trackId!)).pipe(ctx.res);
    },
  };
}
