/**
 * TracedWebSocket in real Chromium against the e2e server's traced `/ws/echo` channel (e2e/harness/ws-echo.ts:
 * echoes through the traced send, sends `raw:<text>` back as it is, and closes on `close`).
 */
import { expect, test } from './fixtures.ts';

test.beforeEach(async ({ page }) => {
  await page.goto('/sdk-harness.html');
  await expect(page.locator('#ready')).toHaveText('ready');
  await page.evaluate(() => {
    globalThis.flowtraceInitForTest();
  });
});

test('a flow continues across the handshake and, in envelopes, through the server and back', async ({ page, traces }) => {
  // Promise chains, not `await`: this code is not built through the flowtrace Vite plugin, and a
  // native await would lose the flow's context (DESIGN.md §1).
  const echoed = await page.evaluate(() =>
    globalThis.flowtraceSdk.runFlow('probe', () => {
      const ws = new globalThis.flowtraceSdk.TracedWebSocket(`${location.origin.replace('http', 'ws')}/ws/echo?x=1`, undefined, { envelope: true });
      return new Promise((opened) => ws.addEventListener('open', opened, { once: true }))
        .then(() => {
          // `onmessage` on purpose: the handler property must behave as on a plain WebSocket.
          // oxlint-disable-next-line unicorn/prefer-add-event-listener
          const reply = new Promise<string>((got) => (ws.onmessage = (event) => got(event.data as string)));
          ws.send('hello');
          return reply;
        })
        .then((data) => {
          ws.close();
          return data;
        });
    }),
  );
  expect(echoed).toBe('hello');

  const trace = await traces.rootedAt('probe');
  expect(trace).toHaveSpanTree({
    role: 'browser',
    name: 'probe',
    children: [
      {
        role: 'browser',
        kind: 'client',
        name: 'connect /ws/echo',
        attributes: { 'flowtrace.ws.connection.attempt': 1, 'url.full': /\/ws\/echo\?x=1$/ },
        children: [{ role: 'server', name: 'upgrade /ws/echo', attributes: { 'url.query': 'x=1', 'flowtrace.ws.envelope': true } }],
      },
      {
        role: 'browser',
        kind: 'producer',
        name: 'send /ws/echo',
        attributes: { 'messaging.message.body.size': 5 },
        children: [
          {
            role: 'server',
            kind: 'consumer',
            name: 'process /ws/echo',
            children: [
              {
                role: 'server',
                kind: 'producer',
                name: 'send /ws/echo',
                children: [{ role: 'browser', kind: 'consumer', name: 'process /ws/echo', attributes: { 'flowtrace.ws.context': 'valid' } }],
              },
            ],
          },
        ],
      },
    ],
  });
  const connect = trace.find((span) => span.name === 'connect /ws/echo')!;
  const received = trace.find((span) => span.side === 'browser' && span.kind === 'consumer')!;
  expect(received.links.map((link) => link.spanId)).toEqual([connect.spanId]);
});

test('the protocol carrier is echoed by the server and hidden from the app', async ({ page, traces }) => {
  const protocols = await page.evaluate(() =>
    globalThis.flowtraceSdk.runFlow('probe', () => {
      const url = `${location.origin.replace('http', 'ws')}/ws/echo`;
      const connect = (offered: string[] | undefined) => {
        const ws = new globalThis.flowtraceSdk.TracedWebSocket(url, offered, { carrier: 'protocol' });
        return new Promise((opened) => ws.addEventListener('open', opened, { once: true })).then(() => {
          ws.close();
          return ws.protocol;
        });
      };
      return connect(undefined).then((first) => connect(['chat']).then((second) => [first, second]));
    }),
  );
  expect(protocols).toEqual(['', 'chat']);
  const trace = await traces.rootedAt('probe');
  const upgrades = trace.filter((span) => span.name === 'upgrade /ws/echo');
  expect(upgrades.map((span) => span.attributes['flowtrace.ws.carrier'])).toEqual(['protocol', 'protocol']);
  expect(trace).toHaveSpanTree({
    name: 'probe',
    children: [
      { name: 'connect /ws/echo', children: [{ role: 'server', name: 'upgrade /ws/echo' }] },
      { name: 'connect /ws/echo', children: [{ role: 'server', name: 'upgrade /ws/echo' }] },
    ],
  });
});

test('an envelope with a bad context from the server still delivers its message, as a new trace', async ({ page, traces }) => {
  const data = await page.evaluate(async () => {
    const ws = new globalThis.flowtraceSdk.TracedWebSocket(`${location.origin.replace('http', 'ws')}/ws/echo`, undefined, { envelope: true });
    await new Promise((opened) => ws.addEventListener('open', opened, { once: true }));
    const reply = new Promise<string>((got) => ws.addEventListener('message', (event) => got(event.data as string), { once: true }));
    ws.send('raw:\u001eft1 traceparent=00-not-a-context-01\nhello');
    return reply;
  });
  expect(data).toBe('hello');
  const received = (await traces.settle({ minTraces: 2 }))
    .flatMap((trace) => trace.spans)
    .find((span) => span.name === 'process /ws/echo' && span.side === 'browser');
  expect(received).toMatchObject({ kind: 'consumer', attributes: { 'flowtrace.ws.context': 'invalid' } });
  expect(received!.parentSpanId).toBeUndefined();
});

test('binary and non-envelope messages pass through untouched, malformed envelopes included', async ({ page }) => {
  const replies = await page.evaluate(async () => {
    const ws = new globalThis.flowtraceSdk.TracedWebSocket(`${location.origin.replace('http', 'ws')}/ws/echo`, undefined, { envelope: true });
    ws.binaryType = 'arraybuffer';
    await new Promise((opened) => ws.addEventListener('open', opened, { once: true }));
    const next = () => new Promise<unknown>((got) => ws.addEventListener('message', (event) => got(event.data), { once: true }));
    const results: unknown[] = [];
    for (const message of [new Uint8Array([0x1e, 0x66, 0x74, 0x31, 0x20, 0x0a, 0xff]).buffer, 'raw:plain', 'raw:\u001eft1 no end of header', 'raw:{"type":"x"}']) {
      const reply = next();
      ws.send(message);
      const data = await reply;
      results.push(data instanceof ArrayBuffer ? [...new Uint8Array(data)] : data);
    }
    return results;
  });
  expect(replies).toEqual([[0x1e, 0x66, 0x74, 0x31, 0x20, 0x0a, 0xff], 'plain', '\u001eft1 no end of header', '{"type":"x"}']);
});

test('a reconnect carries the context active when it is made and links to the previous connection', async ({ page, traces }) => {
  await page.evaluate(async () => {
    const { runFlow, TracedWebSocket } = globalThis.flowtraceSdk;
    const url = `${location.origin.replace('http', 'ws')}/ws/echo`;
    const connect = () => {
      const ws = new TracedWebSocket(url, undefined, { envelope: true });
      return new Promise<WebSocket>((opened) => ws.addEventListener('open', () => opened(ws), { once: true }));
    };
    const first = await runFlow('first', connect);
    const closed = new Promise((done) => first.addEventListener('close', done, { once: true }));
    first.send('close');
    await closed;
    (await runFlow('second', connect)).close();
  });
  const first = await traces.rootedAt('first');
  const second = await traces.rootedAt('second');
  const firstConnect = first.find((span) => span.name === 'connect /ws/echo')!;
  expect(second).toHaveSpanTree({
    name: 'second',
    children: [{ name: 'connect /ws/echo', attributes: { 'flowtrace.ws.connection.attempt': 2 }, children: [{ role: 'server', name: 'upgrade /ws/echo' }] }],
  });
  expect(second.find((span) => span.name === 'connect /ws/echo')!.links.map((link) => link.spanId)).toEqual([firstConnect.spanId]);
});

test('tracing faults never reach the page: a bad messageAttributes hook, and an invalid URL throws the native error', async ({ page, traces }) => {
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  const result = await page.evaluate(async () => {
    const { runFlow, TracedWebSocket } = globalThis.flowtraceSdk;
    const errorOf = (make: () => unknown) => {
      try {
        make();
        return 'no error';
      } catch (error) {
        return `${(error as Error).name}`;
      }
    };
    const invalid = [
      errorOf(() => new WebSocket('ftp://example.com')),
      errorOf(() => new TracedWebSocket('ftp://example.com')),
      errorOf(() => new TracedWebSocket(`${location.origin.replace('http', 'ws')}/ws/echo`, ['chat', 'chat'])),
      errorOf(() => new TracedWebSocket(`${location.origin.replace('http', 'ws')}/ws/echo`, 'not a token')),
    ];
    const echoed = await runFlow('probe', () => {
      const ws = new TracedWebSocket(`${location.origin.replace('http', 'ws')}/ws/echo`, undefined, {
        envelope: true,
        messageAttributes: () => {
          throw new Error('hook failed');
        },
      });
      return new Promise((opened) => ws.addEventListener('open', opened, { once: true })).then(() => {
        const reply = new Promise((got) => ws.addEventListener('message', (event) => got(event.data), { once: true }));
        ws.send('still sent');
        return reply;
      });
    });
    return { invalid, echoed };
  });
  expect(result).toEqual({ invalid: ['SyntaxError', 'SyntaxError', 'SyntaxError', 'SyntaxError'], echoed: 'still sent' });
  expect(pageErrors).toEqual([]);
  // Settling also proves no span was left open by the refused sockets.
  await traces.settle();
});

test('instrumentWebSockets is opt-in global patching that traces plain `new WebSocket` and restores it', async ({ page, traces }) => {
  const state = await page.evaluate(async () => {
    const { instrumentWebSockets, runFlow, TracedWebSocket } = globalThis.flowtraceSdk;
    const original = globalThis.WebSocket;
    const uninstrument = instrumentWebSockets();
    const patched = await runFlow('probe', () => {
      const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/ws/echo`);
      return new Promise((opened) => ws.addEventListener('open', opened, { once: true })).then(() => {
        ws.close();
        return ws instanceof TracedWebSocket;
      });
    });
    uninstrument();
    return { patched, restored: globalThis.WebSocket === original };
  });
  expect(state).toEqual({ patched: true, restored: true });
  expect(await traces.rootedAt('probe')).toHaveSpanTree({
    name: 'probe',
    children: [{ name: 'connect /ws/echo', children: [{ role: 'server', name: 'upgrade /ws/echo', attributes: { 'flowtrace.ws.context': 'valid' } }] }],
  });
});
