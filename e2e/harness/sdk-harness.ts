/**
 * Exposes the browser SDK to e2e tests on a page that has not initialised it, so each test
 * chooses the options (including bad ones) itself. The scenarios are app code compiled by the
 * page's build (Vite build with the plugin, the dev server, or a build without it), which is the
 * point of the `await` tests: code in `page.evaluate` is not compiled by Vite.
 */
import * as sdk from 'flowtrace/client';
import { awaitScenarios } from './await-scenarios.ts';

interface RecordOptions {
  /** For the flow's attributes. */
  recordingId: string;
  chunkUrl: string;
  /** @default 'POST' */
  method?: string;
  timeslice: number;
  chunks: number;
  skip?: number[];
  pad?: number;
  completeUrl?: string;
}

const rooms = (tag: string) => fetch(`/api/rooms?step=${tag}`).then((response) => response.status);

const fetchTwiceInFlow = (name: string) =>
  sdk.runFlow(name, async () => {
    await rooms(`${name}-1`);
    await rooms(`${name}-2`);
  });

const scenarios = {
  /** One flow, three fetches, each after a native `await` of the one before. */
  async awaitThreeFetches(name: string): Promise<number[]> {
    return sdk.runFlow(name, async () => {
      const a = await rooms('a');
      const b = await rooms('b');
      const c = await rooms('c');
      return [a, b, c];
    });
  },
  /** Two flows at once, each fetching after an await: ambiguous for a fallback. */
  async concurrentFlows(): Promise<void> {
    await Promise.all([fetchTwiceInFlow('flow.one'), fetchTwiceInFlow('flow.two')]);
  },
  /** A flow nested in another, with a fetch in each. */
  async nestedFlows(): Promise<void> {
    await sdk.runFlow('outer.flow', async () => {
      await rooms('outer');
      await sdk.runFlow('inner.flow', async () => {
        await rooms('inner');
      });
    });
  },
  /**
   * Records the fake camera in `timeslice` chunks, uploading each as it comes (with retries) to
   * `chunkUrl`, where `{seq}` stands for the chunk's number, until `chunks` chunks are done.
   * `skip` leaves chunk numbers out; `pad` adds that many zero bytes to chunk 0 (an oversized
   * chunk); with `completeUrl`, the track is then completed there, in the same flow.
   */
  async recordAndUpload(options: RecordOptions): Promise<{ uploaded: number[]; completed?: number }> {
    const { chunkUrl, method = 'POST', timeslice, chunks, skip = [], pad = 0, completeUrl } = options;
    return sdk.runFlow('recording.session', async (flow) => {
      flow.setAttributes({ 'simplycaster.recording.id': options.recordingId });
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      const recorder = new MediaRecorder(stream);
      const uploads: Array<Promise<number>> = [];
      let seq = 0;
      const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve()));
      recorder.addEventListener('dataavailable', (event) => {
        const index = seq++;
        if (seq >= chunks && recorder.state === 'recording') recorder.stop();
        if (skip.includes(index)) return;
        const body = index === 0 && pad > 0 ? new Blob([event.data, new Uint8Array(pad)]) : event.data;
        uploads.push(
          sdk
            .uploadWithRetry(chunkUrl.replace('{seq}', String(index)), body, { attempts: 2, init: { method } })
            .then((response) => response.status, () => 0),
        );
      });
      recorder.start(timeslice);
      await stopped;
      for (const track of stream.getTracks()) track.stop();
      const uploaded = await Promise.all(uploads);
      if (!completeUrl) return { uploaded };
      const completed = await fetch(completeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chunkCount: seq, durationMs: seq * timeslice }),
      });
      return { uploaded, completed: completed.status };
    });
  },
};

declare global {
  var flowtraceSdk: typeof sdk;
  var flowtraceScenarios: typeof scenarios;
  /** The `await` cases of e2e/await-cases.ts. */
  var flowtraceAwaitScenarios: typeof awaitScenarios;
  /** Test-page init: test hooks on, every flow sampled, no export delay, plus the test's options. */
  var flowtraceInitForTest: (options?: sdk.ClientTracingOptions) => sdk.ClientTracing;
}

const out = document.querySelector<HTMLElement>('#out')!;
// Plain listeners, not wrapped: their buttons opt in to automatic click flows with data-flow.
for (const id of ['#load-rooms', '#named-by-label']) {
  document.querySelector(id)!.addEventListener('click', () => {
    void fetch('/api/rooms?from=click').then((response) => (out.textContent = `rooms ${response.status}`));
  });
}
// Saves, then navigates away while its flow is still open: the flow must end as `unloaded`.
document.querySelector('#leave')!.addEventListener(
  'click',
  sdk.clickFlow('harness.leave', async () => {
    await fetch('/api/rooms', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"leaving"}' });
    location.assign('/sdk-harness.html?left=1');
    await new Promise(() => {});
  }),
);

globalThis.flowtraceSdk = sdk;
globalThis.flowtraceScenarios = scenarios;
globalThis.flowtraceAwaitScenarios = awaitScenarios;
globalThis.flowtraceInitForTest = (options = {}) =>
  sdk.createClientTracing({ testHooks: true, sampleRatio: 1, exportDelayMs: 0, ...options });
document.querySelector('#ready')!.textContent = 'ready';
