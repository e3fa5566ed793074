/**
 * The background job that assembles a finished track: concatenate its chunks, compute bytes and
 * a SHA-256 checksum, record the duration the recorder reported. It runs after the response, as
 * a new trace linked to the request that asked for it (a job outliving its request must not keep
 * the request's trace open).
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { runInBackground } from 'flowtrace/server';
import type { Database } from './database.ts';
import type { MediaStore } from './media-store.ts';

const tracer = trace.getTracer('simplycaster');

export interface AssemblyJob {
  recordingId: string;
  trackId: string;
  chunkCount: number;
  durationMs: number;
  /** Called inside the job's span once the track is `ready` or `failed` (to tell the room). */
  finished?: (status: 'ready' | 'failed') => void;
}

function tell(job: AssemblyJob, status: 'ready' | 'failed'): void {
  try {
    job.finished?.(status);
  } catch (error) {
    // The track is assembled either way; a page that missed the news sees it on its next load.
    trace.getActiveSpan()?.recordException(error as Error);
  }
}

async function assemble(db: Database, media: MediaStore, job: AssemblyJob): Promise<void> {
  const span = trace.getActiveSpan();
  try {
    const assembled = await tracer.startActiveSpan('media.concatenate', async (step) => {
      try {
        return await media.assemble(job.trackId, job.chunkCount);
      } finally {
        step.end();
      }
    });
    span?.setAttributes({
      'simplycaster.recording.bytes': assembled.bytes,
      'simplycaster.recording.sha256': assembled.sha256,
      'simplycaster.recording.duration_ms': job.durationMs,
    });
    await db.query(
      `UPDATE recording_tracks SET status = 'ready', bytes = $2, sha256 = $3, duration_ms = $4, chunk_count = $5 WHERE id = $1`,
      [job.trackId, assembled.bytes, assembled.sha256, job.durationMs, job.chunkCount],
    );
    tell(job, 'ready');
  } catch (error) {
    // Handled here, not by runInBackground: the track is marked failed and the room told.
    span?.recordException(error as Error);
    span?.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    await db
      .query(`UPDATE recording_tracks SET status = 'failed', failure = $2 WHERE id = $1`, [job.trackId, 'assembly failed'])
      .catch(() => undefined);
    tell(job, 'failed');
  }
}

/**
 * Starts the job with flowtrace's `runInBackground`: a new trace linked to the active request's
 * span, which shutdown waits for (`installShutdownHooks` drains background work).
 */
export function startAssembly(db: Database, media: MediaStore, job: AssemblyJob): Promise<void> {
  return runInBackground({ tracer }, 'recording.assemble', () => assemble(db, media, job), {
    mode: 'link',
    attributes: {
      'simplycaster.recording.id': job.recordingId,
      'simplycaster.track.id': job.trackId,
      'simplycaster.chunk.count': job.chunkCount,
    },
  });
}
