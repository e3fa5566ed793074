/**
 * Opt-in global patching: `instrumentWebSockets()` makes every `new WebSocket(…)` on the page a
 * {@link TracedWebSocket}, for apps (or libraries) that construct their sockets themselves.
 */
import { diag } from '@opentelemetry/api';
import { TracedWebSocket, type TracedWebSocketOptions } from './websocket.ts';

/**
 * Replaces `globalThis.WebSocket` with a traced subclass using `options`; returns the function
 * that puts the original back. A second call while installed changes nothing.
 */
export function instrumentWebSockets(options: TracedWebSocketOptions = {}): () => void {
  const original = globalThis.WebSocket;
  if (original.prototype instanceof TracedWebSocket || original === TracedWebSocket) {
    diag.warn('flowtrace: WebSockets are already instrumented; the second call is ignored');
    return function uninstrumentWebSockets() {};
  }
  class FlowtraceWebSocket extends TracedWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, options);
    }
  }
  globalThis.WebSocket = FlowtraceWebSocket;
  return function uninstrumentWebSockets() {
    if (globalThis.WebSocket === FlowtraceWebSocket) globalThis.WebSocket = original;
  };
}
