export { initFlowtrace } from './init.ts';
export type { FlowtraceClient } from './init.ts';
export type { AsyncContextMode, FlowtraceOptions } from './options.ts';
export { clickFlow, runFlow, startFlow } from './flows.ts';
export type { Flow, FlowHandle, FlowOptions, FlowOutcome } from './flows.ts';
export { uploadWithRetry } from './upload.ts';
export type { UploadOptions } from './upload.ts';
