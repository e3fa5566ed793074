import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

async function openTraced(page: Page): Promise<void> {
  await page.goto('/sdk-harness.html');
  await expect(page.locator('#ready')).toHaveText('ready');
  await page.evaluate(() => globalThis.flowtraceInitForTest({ webrtc: true }).ready);
}

declare global {
  var call: { pc: RTCPeerConnection; flow: import('flowtrace/client').FlowHandle } | undefined;
}

/** Starts a flow with camera + microphone and a peer connection; answers `remoteOffer` if given, else offers. */
async function startCall(page: Page, name: string, offer?: RTCSessionDescriptionInit): Promise<RTCSessionDescriptionInit> {
  return page.evaluate(
    async ({ flowName, remoteOffer }) => {
      const flow = globalThis.flowtraceSdk.startFlow(flowName);
      const stream = await flow.run(() => navigator.mediaDevices.getUserMedia({ audio: true, video: true }));
      const pc = flow.run(() => new RTCPeerConnection());
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
      globalThis.call = { pc, flow };
      if (remoteOffer) {
        await pc.setRemoteDescription(remoteOffer);
        await pc.setLocalDescription(await pc.createAnswer());
      } else {
        await pc.setLocalDescription(await pc.createOffer());
      }
      // Non-trickle: wait until every candidate is in the description, so one exchange suffices.
      await new Promise<void>((resolve) => {
        if (pc.iceGatheringState === 'complete') return resolve();
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      });
      return { type: pc.localDescription!.type, sdp: pc.localDescription!.sdp };
    },
    { flowName: name, remoteOffer: offer },
  );
}

async function untilConnected(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const { pc, flow } = globalThis.call!;
    await new Promise<void>((resolve) => {
      if (pc.connectionState === 'connected') return resolve();
      pc.addEventListener('connectionstatechange', () => pc.connectionState === 'connected' && resolve());
    });
    flow.end();
  });
}

test('a real call between two pages: getUserMedia, offer/answer and ICE under each side’s flow, time to connected', async ({
  page,
  newTracedContext,
  traces,
}) => {
  const callee = await (await newTracedContext()).newPage();
  await openTraced(page);
  await openTraced(callee);
  const offer = await startCall(page, 'call.start');
  const answer = await startCall(callee, 'call.answer', offer);
  await page.evaluate((description) => globalThis.call!.pc.setRemoteDescription(description), answer);
  await Promise.all([untilConnected(page), untilConnected(callee)]);

  const caller = await traces.rootedAt('call.start', { minTraces: 2 });
  expect(caller).toHaveSpanTree({
    name: 'call.start',
    attributes: { 'flowtrace.flow.outcome': 'ok' },
    children: [
      {
        name: 'webrtc.get_user_media',
        status: 'unset',
        attributes: { 'webrtc.media.audio': true, 'webrtc.media.video': true, 'webrtc.media.permission': 'granted', 'webrtc.media.track_count': 2 },
      },
      {
        name: 'webrtc.peer_connection',
        status: 'unset',
        attributes: {
          'webrtc.connection.state': 'connected',
          'webrtc.connection.time_to_connected_ms': (v) => typeof v === 'number' && v >= 0,
          'webrtc.ice.candidates.host': (v) => typeof v === 'number' && v >= 1,
        },
        children: [
          { name: 'webrtc.create_offer', attributes: { 'webrtc.sdp.type': 'offer' } },
          { name: 'webrtc.set_local_description' },
          { name: 'webrtc.set_remote_description', attributes: { 'webrtc.sdp.type': 'answer' } },
        ],
      },
    ],
  });
  const pcSpan = caller.find((span) => span.name === 'webrtc.peer_connection')!;
  const states = pcSpan.events.filter((e) => e.name === 'webrtc.connection_state_change').map((e) => e.attributes['webrtc.connection.state']);
  expect(states).toEqual(['connecting', 'connected']);
  expect(pcSpan.events.some((e) => e.name === 'webrtc.ice_gathering_state_change')).toBe(true);

  const calleeTrace = await traces.rootedAt('call.answer', { minTraces: 2 });
  expect(calleeTrace).toHaveSpanTree({
    name: 'call.answer',
    children: [
      { name: 'webrtc.get_user_media' },
      {
        name: 'webrtc.peer_connection',
        attributes: { 'webrtc.connection.state': 'connected' },
        children: [
          { name: 'webrtc.set_remote_description', attributes: { 'webrtc.sdp.type': 'offer' } },
          { name: 'webrtc.create_answer', attributes: { 'webrtc.sdp.type': 'answer' } },
          { name: 'webrtc.set_local_description' },
        ],
      },
    ],
  });
});

test('getUserMedia denied: the flow ends in error with the reason, no SDK exception, the app keeps working', async ({ page, traces }) => {
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await openTraced(page);
  // A real denial: a frame whose permissions policy forbids camera and microphone (the fake-media
  // flags make Chromium accept every prompt, so a prompt cannot be refused here).
  await page.evaluate(() => {
    const frame = document.createElement('iframe');
    frame.allow = "camera 'none'; microphone 'none'";
    frame.src = '/sdk-harness.html?frame=1';
    document.body.append(frame);
  });
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('#ready')).toHaveText('ready');
  const inner = page.frames().find((f) => f.url().includes('frame=1'))!;
  const result = await inner.evaluate(async () => {
    await globalThis.flowtraceInitForTest({ webrtc: true }).ready;
    const outcome = await globalThis.flowtraceSdk
      .runFlow('call.start', () => navigator.mediaDevices.getUserMedia({ audio: true, video: true }))
      .then(() => 'granted', (error: Error) => error.name);
    const rooms = await fetch('/api/rooms');
    return { outcome, rooms: rooms.status };
  });
  expect(result).toEqual({ outcome: 'NotAllowedError', rooms: 200 });
  const trace = await traces.rootedAt('call.start');
  expect(trace).toHaveSpanTree({
    name: 'call.start',
    status: 'error',
    attributes: { 'flowtrace.flow.outcome': 'error', 'flowtrace.flow.reason': /denied|not allowed/i },
    children: [{ name: 'webrtc.get_user_media', status: 'error', attributes: { 'webrtc.media.permission': 'denied' } }],
  });
  expect(pageErrors).toEqual([]);
});

test('ICE failure: the connection span ends in error with the reason and its listeners are gone', async ({ page, traces }) => {
  await openTraced(page);
  // Chromium on loopback does not reach ICE "failed" in test time (unreachable candidates stay
  // "new"; consent expiry takes ~30 s), so the state is the one faked part: a real connection
  // reports "failed" through its real event.
  await page.evaluate(async () => {
    const flow = globalThis.flowtraceSdk.startFlow('call.start');
    const pc = flow.run(() => new RTCPeerConnection());
    globalThis.call = { pc, flow };
    await pc.setLocalDescription(await pc.createOffer({ offerToReceiveAudio: true }));
  });
  // The connection's event listeners as the browser itself reports them (DevTools protocol).
  const cdp = await page.context().newCDPSession(page);
  const listenerTypes = async () => {
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'globalThis.call.pc' });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
    return listeners.map((listener) => listener.type).toSorted();
  };
  expect(await listenerTypes()).toEqual([
    'connectionstatechange',
    'icecandidate',
    'iceconnectionstatechange',
    'icegatheringstatechange',
    'signalingstatechange',
  ]);
  const result = await page.evaluate(async () => {
    const { pc, flow } = globalThis.call!;
    Object.defineProperty(pc, 'connectionState', { configurable: true, get: () => 'failed' });
    pc.dispatchEvent(new Event('connectionstatechange'));
    flow.fail('the call could not connect');
    flow.end();
    return (await fetch('/api/rooms')).status;
  });
  expect(await listenerTypes()).toEqual([]);
  await page.evaluate(() => globalThis.call!.pc.close());
  expect(result).toBe(200);
  const trace = await traces.rootedAt('call.start');
  expect(trace).toHaveSpanTree({
    name: 'call.start',
    status: 'error',
    children: [
      {
        name: 'webrtc.peer_connection',
        status: 'error',
        attributes: { 'webrtc.connection.state': 'failed' },
        children: [{ name: 'webrtc.create_offer' }, { name: 'webrtc.set_local_description' }],
      },
    ],
  });
  const pcSpan = trace.find((span) => span.name === 'webrtc.peer_connection')!;
  expect(pcSpan.status.message).toMatch(/^connection failed/);
  expect(pcSpan.events.filter((e) => e.name === 'webrtc.connection_state_change').map((e) => e.attributes['webrtc.connection.state'])).toEqual(['failed']);
});
