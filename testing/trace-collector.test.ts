import { createServer, type Server } from 'node:http';
import { request as playwrightRequest, test } from '@playwright/test';
import { createFlowtraceEndpoints, createServerTracing, type ServerTracing } from '../server/index.ts';
import { ATTR_TEST_ID } from '../shared/attributes.ts';
import { expect } from './matchers.ts';
import { TraceCollector } from './trace-collector.ts';

// A real server whose endpoints live under another base path, behind an access token.
const TOKEN = 'collector-test-token-0123456789';
let server: Server;
let tracing: ServerTracing;
let baseURL: string;

test.beforeAll(async () => {
  tracing = createServerTracing({ serviceName: 'collector-test', register: false });
  const endpoints = createFlowtraceEndpoints(tracing, { basePath: '/_traces', access: { token: TOKEN } });
  server = createServer((req, res) => endpoints(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await tracing.shutdown();
});

function record(testId: string, name: string): void {
  tracing.tracer.startSpan(name, { attributes: { [ATTR_TEST_ID]: testId } }).end();
}

test('the collector reads from a configured base path with an access token', async () => {
  const request = await playwrightRequest.newContext({ baseURL });
  try {
    record('collector-a', 'job.run');
    const traces = new TraceCollector({ testId: 'collector-a', request, contexts: [], basePath: '/_traces/', token: TOKEN });
    expect(await traces.one()).toHaveSpanTree('server: job.run');
    const anonymous = new TraceCollector({ testId: 'collector-a', request, contexts: [], basePath: '/_traces' });
    await expect(anonymous.current()).rejects.toThrow(/trace API answered 403 \(give the fixture the token: use: { flowtrace: { token } }/);
  } finally {
    await request.dispose();
  }
});

test('one() with several traces names their roots and points to rootedAt(name)', async () => {
  const request = await playwrightRequest.newContext({ baseURL });
  try {
    record('collector-b', 'page.load');
    record('collector-b', 'room.create');
    const traces = new TraceCollector({ testId: 'collector-b', request, contexts: [], basePath: '/_traces', token: TOKEN });
    await expect(traces.one()).rejects.toThrow(/found 2 \(roots: "(page\.load|room\.create)", "(page\.load|room\.create)"\); pick one with rootedAt\(name\)/);
    expect(await traces.rootedAt('room.create')).toHaveSpanTree('room.create');
  } finally {
    await request.dispose();
  }
});
