/**
 * Unload-safe export. When the page is hidden, ended spans are flushed (the OTLP exporter sends
 * with `keepalive` fetch, which outlives the page). When it is going away (`pagehide`), flows still
 * open end as `unloaded` and every other open span (a fetch cut short) ends, marked
 * `flowtrace.unloaded`, before the flush, so the server sees the whole trace.
 */
import { diag } from '@opentelemetry/api';
import { flowRegistry } from './flow-registry.ts';
import type { OpenWork } from './open-work.ts';

/** Installs the page lifecycle listeners; returns their removal. */
export function installUnloadFlush(work: OpenWork, flush: () => Promise<void>): () => void {
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') void flush();
  };
  const onPageHide = () => {
    try {
      flowRegistry.endAll('unloaded', 'the page was unloaded');
      work.endAll();
    } catch (error) {
      diag.warn('flowtrace: ending open spans on pagehide failed', error);
    }
    void flush();
  };
  document.addEventListener('visibilitychange', onVisibility);
  addEventListener('pagehide', onPageHide);
  return function removeUnloadFlush() {
    document.removeEventListener('visibilitychange', onVisibility);
    removeEventListener('pagehide', onPageHide);
  };
}
