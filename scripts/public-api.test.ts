/**
 * The published surface, entry by entry: what a user can import from each subpath in
 * package.json's exports. A change here is a change to what we promise; update the lists on
 * purpose (and CHANGELOG.md with them). Entry files only re-export, which this test also holds
 * them to, so reading their export statements is reading the surface.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

const root = new URL('..', import.meta.url);

const PUBLIC_API: Record<string, { values: string[]; types: string[] }> = {
  'flowtrace/client': {
    values: ['TracedWebSocket', 'clickFlow', 'createClientTracing', 'instrumentWebSockets', 'runFlow', 'startFlow', 'uploadWithRetry'],
    types: [
      'AsyncContextMode', 'ClientTracing', 'ClientTracingOptions', 'Flow', 'FlowHandle', 'FlowOptions', 'FlowOutcome',
      'HandshakeCarrier', 'TracedWebSocketOptions', 'UploadOptions',
    ],
  },
  'flowtrace/server': {
    values: [
      'createFlowtraceEndpoints', 'createHonoMiddleware', 'createHttpMiddleware', 'createServerTracing', 'createTracedFetch',
      'flowtraceErrorHandler', 'installShutdownHooks', 'runInBackground', 'setEndUser', 'setHttpRoute', 'traceAsync',
      'traceDatabase', 'traceWebSockets',
    ],
    types: [
      'AccessOptions', 'BackgroundOptions', 'BaggagePolicy', 'DatabaseTracingOptions', 'EndUser', 'EndpointsOptions',
      'ExportQueueOptions', 'ExportStats', 'HonoTracingOptions', 'HttpTracingOptions', 'JaegerSourceOptions', 'MessageListener', 'MessageSpans',
      'NextFunction', 'OtlpExportOptions', 'Queryable', 'RateLimitOptions', 'RedactingSpanProcessorOptions', 'RequestFilter', 'RoleRule',
      'ServerTracing', 'ServerTracingOptions', 'ShutdownHookOptions', 'SpanRecord', 'TestExports', 'TraceOptions', 'TraceResponse',
      'TracedFetchOptions', 'TracedSendOptions', 'TracerSource', 'TrustDecision', 'TrustPolicy', 'WebSocketTracing',
      'WebSocketTracingOptions',
    ],
  },
  'flowtrace/server/advanced': {
    values: [
      'CorrelationRegistry', 'OtlpHttpExporter', 'REQUEST_ID_HEADER', 'RedactingSpanProcessor', 'StrictW3CTraceContextPropagator',
      'TRACE_REQUEST_HEADERS', 'TraceStore', 'backgroundInFlight', 'createTraceCors', 'drainBackground', 'incomingContext',
      'isValidTraceState', 'recordRequestError', 'traceCallback', 'traceHandler', 'tracePromise', 'traceTimeout', 'traced',
      'withTraceHeaders',
    ],
    types: [
      'CorrelationRegistryOptions', 'IncomingContext', 'IncomingContextOptions', 'IngestOptions', 'TraceCorsOptions',
      'TraceQuery', 'TraceStoreOptions', 'TraceSummary',
    ],
  },
  'flowtrace/testing': {
    values: [
      'CHROMIUM_ARGS', 'MEDIA_ARGS', 'TraceCollector', 'TreeTextError', 'chromiumLaunchOptions', 'expect', 'findChromium',
      'findSecrets', 'maskSecret', 'matchSpanTree', 'parseTreeText', 'tagContext', 'test',
    ],
    types: [
      'AttributeExpectation', 'CollectedTrace', 'FlowtraceFixtures', 'FlowtraceOptions', 'JaegerTraceSource', 'LinkExpectation', 'SecretHit', 'SettleOptions',
      'SpanExpectation', 'SpanRecord', 'SpanTreeOptions', 'SpansLike', 'TraceApiOptions', 'TreeMismatch',
    ],
  },
  'flowtrace/vite': { values: ['flowtrace'], types: ['FlowtraceViteOptions'] },
};

interface PackageJson {
  exports: Record<string, string | { types?: string }>;
}

/** Each public subpath and the source file of its types (./lib/x/y.d.ts comes from x/y.ts). */
function entries(): Array<[string, string]> {
  const { exports } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as PackageJson;
  return Object.entries(exports)
    .filter(([subpath]) => subpath !== './package.json')
    .map(([subpath, target]) => {
      const types = typeof target === 'string' ? target : target.types;
      if (!types?.startsWith('./lib/')) throw new Error(`exports["${subpath}"] has no ./lib types: ${JSON.stringify(target)}`);
      return [`flowtrace${subpath.slice(1)}`, types.replace(/^\.\/lib\//, '').replace(/\.d\.ts$/, '.ts')];
    });
}

/** The names an entry file re-exports, values and types apart. */
function surface(file: string): { values: string[]; types: string[] } {
  const source = readFileSync(new URL(file, root), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const values: string[] = [];
  const types: string[] = [];
  const statement = /export\s+(type\s+)?\{([^}]*)\}\s+from\s+'[^']+';/g;
  for (const match of source.matchAll(statement)) {
    for (const part of match[2]!.split(',').map((name) => name.trim()).filter(Boolean)) {
      const typeOnly = Boolean(match[1]) || part.startsWith('type ');
      const name = part.replace(/^type\s+/, '').split(/\s+as\s+/).at(-1)!;
      (typeOnly ? types : values).push(name);
    }
  }
  const rest = source.replace(statement, '').trim();
  if (rest) throw new Error(`${file} does more than re-export (entry files only re-export): ${rest.slice(0, 120)}`);
  return { values: values.toSorted(), types: types.toSorted() };
}

test('every public entry exports exactly the listed names', () => {
  const actual = Object.fromEntries(entries().map(([name, file]) => [name, surface(file)]));
  const sorted = Object.fromEntries(
    Object.entries(PUBLIC_API).map(([name, api]) => [name, { values: api.values.toSorted(), types: api.types.toSorted() }]),
  );
  expect(actual).toEqual(sorted);
});

test('the server core stays small enough to hold in your head', () => {
  expect(PUBLIC_API['flowtrace/server']!.values.length).toBeLessThanOrEqual(13);
});
