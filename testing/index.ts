export { test } from './fixture.ts';
export type { FlowtraceFixtures } from './fixture.ts';
export { expect } from './matchers.ts';
export { TraceCollector } from './trace-collector.ts';
export type { CollectedTrace, SettleOptions } from './trace-collector.ts';
export type { AttributeExpectation, SpanExpectation } from './span-matcher.ts';
export { CHROMIUM_ARGS, MEDIA_ARGS, chromiumLaunchOptions, findChromium } from './chromium.ts';
export type { SpanRecord } from '../shared/span-record.ts';
