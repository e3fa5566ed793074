export { flowtrace } from './plugin.ts';
export type { FlowtraceViteOptions } from './plugin.ts';
