/**
 * The demo's one flowtrace setup, shared by its pages. The demo is a showcase, so it records every
 * flow (production builds default to 10 %), and its e2e suite runs the production build, so it
 * accepts the testing fixture's test id (production builds ignore it by default).
 */
import { createClientTracing, type ClientTracing } from 'flowtrace/client';

/** Starts tracing the page; `recording` adds MediaRecorder spans (loaded lazily: await `ready`). */
export function startTracing({ recording = false }: { recording?: boolean } = {}): ClientTracing {
  return createClientTracing({ serviceName: 'simplycaster-web', sampleRatio: 1, testHooks: true, recording });
}
