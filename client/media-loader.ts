/**
 * Loads the WebRTC and MediaRecorder instrumentation on demand, in their own chunks, so apps that
 * do not ask for them do not download them.
 */
import { diag } from '@opentelemetry/api';
import type { ResolvedOptions } from './options.ts';

/** @internal */
export interface MediaInstrumentation {
  ready: Promise<void>;
  uninstall(): Promise<void>;
}

/** @internal */
export function loadMediaInstrumentation(options: Pick<ResolvedOptions, 'webrtc' | 'recording'>): MediaInstrumentation {
  const loads: Array<Promise<(() => void) | undefined>> = [];
  const safely = (what: string, load: () => Promise<() => void>) =>
    loads.push(
      load().catch((error: unknown) => {
        diag.warn(`flowtrace: ${what} instrumentation could not be loaded`, error);
        return undefined;
      }),
    );
  if (options.webrtc) safely('WebRTC', () => import('./webrtc.ts').then((m) => m.instrumentWebRTC()));
  if (options.recording) safely('recording', () => import('./recording.ts').then((m) => m.instrumentMediaRecorder()));
  const all = Promise.all(loads);
  return {
    ready: all.then(() => undefined),
    async uninstall() {
      for (const remove of await all) remove?.();
    },
  };
}
