/**
 * The `await` cases a real app has, as app code compiled by the page's build (so the flowtrace
 * Vite plugin transforms it, or not): e2e/await-cases.ts runs each one and checks which flow every
 * fetch is parented under. Each fetch is tagged `?step=<name>`.
 */
import { runFlow } from 'flowtrace/client';
import { fetchTwice } from 'flowtrace-fixture-third-party-lib';

const rooms = (step: string) => fetch(`/api/rooms?step=${step}`).then((response) => response.status);
/** A macrotask, so that flows really interleave (other flows' continuations run in between). */
const turn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function threeAwaits(name: string): Promise<void> {
  await rooms(`${name}-1`);
  await turn();
  await rooms(`${name}-2`);
  await rooms(`${name}-3`);
}

/** Through the library, then waits for `bothDone`: both flows stay open while the library runs. */
const viaLibrary = (name: string, done: () => void, bothDone: Promise<unknown>) =>
  runFlow(name, async () => {
    await fetchTwice(`/api/rooms?step=${name}`);
    done();
    await bothDone;
    await rooms(`${name}-after`);
  });

async function* pages(count: number): AsyncGenerator<number> {
  for (let page = 1; page <= count; page++) {
    await rooms(`gen-${page}`);
    yield page;
  }
}

export const awaitScenarios = {
  /** Two flows at once, three awaits each, with a macrotask between their awaits. */
  async interleaved(): Promise<void> {
    await Promise.all([runFlow('mix.one', () => threeAwaits('mix.one')), runFlow('mix.two', () => threeAwaits('mix.two'))]);
  },

  /** An inner flow between awaits of an outer one; the outer fetch after it is the outer's again. */
  async nested(): Promise<void> {
    await runFlow('nest.outer', async () => {
      await rooms('outer-1');
      await runFlow('nest.inner', async () => {
        await rooms('inner-1');
        await turn();
        await rooms('inner-2');
      });
      await rooms('outer-2');
    });
  },

  /** `for await` over an async generator that awaits, a `break`, and a loop over promises. */
  async forAwait(): Promise<void> {
    await runFlow('await.for_await', async () => {
      for await (const page of pages(3)) {
        await rooms(`body-${page}`);
        if (page === 2) break;
      }
      await rooms('after-break');
      for await (const status of [rooms('list-1'), rooms('list-2')]) if (status !== 200) throw new Error(`HTTP ${status}`);
      await rooms('after-list');
    });
  },

  /** `Promise.all` and `Promise.race` over async work that awaits. */
  async allAndRace(): Promise<void> {
    await runFlow('await.all_race', async () => {
      const late = async (step: string) => {
        await turn();
        return rooms(step);
      };
      await Promise.all([rooms('all-1'), late('all-2')]);
      await Promise.race([late('race-1'), late('race-2')]);
      await rooms('after-race');
    });
  },

  /** `try`/`catch`/`finally` around awaits, the failure a rejected await. */
  async tryFinally(): Promise<void> {
    await runFlow('await.try_finally', async () => {
      try {
        await rooms('try');
        await Promise.reject(new Error('rejected'));
      } catch {
        await rooms('catch');
      } finally {
        await turn();
        await rooms('finally');
      }
      await rooms('after-finally');
    });
  },

  /** Async arrows inside a flow: called in turn, and mapped over an array. */
  async arrows(): Promise<void> {
    await runFlow('await.arrow', async () => {
      const load = async (step: string) => {
        await turn();
        return rooms(step);
      };
      await load('arrow-1');
      await Promise.all([1, 2].map(async (n) => load(`arrow-map-${n}`)));
      await rooms('after-arrows');
    });
  },

  /** An error thrown after an await ends the flow as `error`; the caller sees it unchanged. */
  async throwAfterAwait(): Promise<string> {
    try {
      await runFlow('await.throws', async () => {
        await rooms('before-throw');
        await turn();
        throw new Error('failed after an await');
      });
      return 'no error';
    } catch (error) {
      await rooms('caller-catch');
      return (error as Error).message;
    }
  },

  /**
   * A timer, a microtask and an event listener set up inside a flow: none is carried (no global
   * patching). The microtask runs while its flow is the only one open, so the fallback puts it
   * there; the timer and the listener run after the flow ended: roots of their own.
   */
  async callbacks(): Promise<void> {
    const target = new EventTarget();
    const done: Array<Promise<number>> = [];
    const later = (step: string) => () => void done.push(rooms(step));
    await runFlow('await.callbacks', async () => {
      await rooms('in-flow');
      setTimeout(later('timeout'), 0);
      queueMicrotask(later('microtask'));
      target.addEventListener('ping', later('listener'));
    });
    await turn();
    target.dispatchEvent(new Event('ping'));
    await Promise.all(done);
  },

  /** Two flows interleaved through a library whose own awaits are not transformed (node_modules). */
  async thirdParty(): Promise<void> {
    const finished = { one: () => {}, two: () => {} };
    const bothDone = Promise.all([new Promise<void>((resolve) => (finished.one = resolve)), new Promise<void>((resolve) => (finished.two = resolve))]);
    await Promise.all([viaLibrary('lib.one', () => finished.one(), bothDone), viaLibrary('lib.two', () => finished.two(), bothDone)]);
  },

  /** Work a flow started without awaiting it resumes after the flow ended: a root linked to it. */
  async afterFlowEnded(): Promise<void> {
    const gate = { open: () => {} };
    const opened = new Promise<void>((resolve) => (gate.open = resolve));
    let late: Promise<number> | undefined;
    await runFlow('await.ended', async () => {
      late = (async () => {
        await opened;
        return rooms('late');
      })();
      await rooms('early');
    });
    gate.open();
    await late;
  },
};
