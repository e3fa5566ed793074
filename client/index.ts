export { initFlowtrace } from './init.ts';
export type { FlowtraceClient } from './init.ts';
export type { FlowtraceOptions } from './options.ts';
export { clickFlow, runFlow } from './flows.ts';
export type { Flow, FlowOptions, FlowOutcome } from './flows.ts';
