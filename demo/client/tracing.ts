/**
 * The demo's one flowtrace setup, shared by its pages. The demo is a showcase, so it records every
 * flow (production builds default to 10 %), and its e2e suite runs the production build, so it
 * accepts the testing fixture's test id (production builds ignore it by default).
 */
import { initFlowtrace, type FlowtraceClient } from 'flowtrace/client';

export function startTracing(): FlowtraceClient {
  return initFlowtrace({ serviceName: 'simplycaster-web', sampleRatio: 1, testHooks: true });
}
