export { initFlowtrace } from './init.ts';
export type { FlowtraceClient } from './init.ts';
export type { FlowtraceOptions } from './options.ts';
export { clickFlow, runFlow } from './flows.ts';
export type { Flow, FlowOptions, FlowOutcome } from './flows.ts';
export { TracedWebSocket } from './websocket.ts';
export type { TracedWebSocketOptions } from './websocket.ts';
export type { HandshakeCarrier } from './websocket-handshake.ts';
export { instrumentWebSockets } from './websocket-global.ts';
