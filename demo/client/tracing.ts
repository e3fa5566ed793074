/**
 * The demo's one flowtrace setup, shared by its pages. The demo is a showcase, so it records every
 * flow (production builds default to 10 %). Its production build leaves the testing fixture's
 * hooks off (the SDK's default); the e2e tests run its test build (`vite build --mode e2e`),
 * which accepts the fixture's test id.
 */
import { createClientTracing, type ClientTracing } from 'flowtrace/client';

// Vite replaces `import.meta.env.MODE` at build time, so a production bundle holds `false` here.
const e2eBuild = (import.meta as ImportMeta & { env: { MODE: string } }).env.MODE === 'e2e';

/** Starts tracing the page; `recording` adds MediaRecorder spans (loaded lazily: await `ready`). */
export function startTracing({ recording = false }: { recording?: boolean } = {}): ClientTracing {
  return createClientTracing({ serviceName: 'simplycaster-web', sampleRatio: 1, recording, ...(e2eBuild ? { testHooks: true } : {}) });
}
