/**
 * Zone mode (`asyncContext: 'zone'`), for apps that cannot use the await transform. zone.js
 * patches the page's globals and weighs 12 KB gz, so it is a separate chunk, loaded only when this
 * mode is chosen; until it has loaded (the client's `ready`), the synchronous manager stands in.
 */
import { diag } from '@opentelemetry/api';
import type { FlowContextManager } from './context-manager.ts';

/** @internal Loads zone.js and makes it the context manager's inner manager. Never rejects. */
export async function loadZoneContext(manager: FlowContextManager): Promise<void> {
  try {
    const { ZoneContextManager } = await import('@opentelemetry/context-zone');
    manager.useInner(new ZoneContextManager());
  } catch (error) {
    diag.warn('flowtrace: loading zone.js failed; spans after a native await lose their parent', error);
  }
}
