/**
 * `flowtrace/vite`: keeps span parentage exact across native `await` in user flows.
 *
 * The default mode, `'transform'`, rewrites each app module that awaits so that the active
 * context is captured before every `await` and restored when the continuation resumes (see
 * vite/await-transform.ts); the SDK's context manager is then a small synchronous one and the
 * build keeps native async/await. Only app modules with an `await` inside an async function are
 * touched, in dev and build alike, with source maps; dependencies are not.
 *
 * `'zone'` is the older way for apps that need zone.js: async/await is lowered to generators
 * (`target`, es2016), which zone.js can follow, and the SDK loads zone.js on demand.
 *
 * The plugin tells the SDK (through `__FLOWTRACE_BUILD__`) which mode it built for, and whether
 * this is a development or a production build (sampling and the test hook default on that).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { transformAwait } from './await-transform.ts';

export interface FlowtraceViteOptions {
  /**
   * How `await` keeps its context: `'transform'` (the await transform, native async/await kept)
   * or `'zone'` (lowering for zone.js, which the SDK then loads).
   * @default 'transform'
   */
  asyncContext?: 'transform' | 'zone';
  /**
   * Zone mode only: the target app code is lowered to; it must be below es2017, where native
   * async arrived.
   * @default 'es2016'
   */
  target?: string;
}

const NATIVE_ASYNC = /^es(2017|2018|2019|202\d|next)$/i;
// The helpers transformed code imports. Resolved as a file of this package, so it is bundled
// with the app and shares nothing with the SDK but a global hook.
// From the sources it is the .ts file; from the published package (lib/), the built .js beside it.
const runtimeFile = (extension: string) => fileURLToPath(new URL(`../client/await-runtime.${extension}`, import.meta.url));
const RUNTIME = existsSync(runtimeFile('ts')) ? runtimeFile('ts') : runtimeFile('js');
const CLIENT_DIR = fileURLToPath(new URL('../client/', import.meta.url));
const SCRIPT = /\.([mc]?[jt]sx?|vue|svelte|astro)($|\?)/;

/** The flowtrace Vite plugin. Add it to `plugins` in vite.config.ts. */
export function flowtrace({ asyncContext = 'transform', target = 'es2016' }: FlowtraceViteOptions = {}): Plugin {
  if (asyncContext !== 'transform' && asyncContext !== 'zone') {
    throw new TypeError(`flowtrace/vite: asyncContext must be 'transform' or 'zone', got ${JSON.stringify(asyncContext)}`);
  }
  if (asyncContext === 'zone' && (typeof target !== 'string' || NATIVE_ASYNC.test(target))) {
    throw new TypeError(
      `flowtrace/vite: target ${JSON.stringify(target)} keeps native async/await, which zone.js cannot follow; use 'es2016' (the default)`,
    );
  }
  const warned = new Set<string>();
  return {
    name: 'flowtrace',
    config(_config, env) {
      const build = { mode: env.command === 'serve' ? 'development' : 'production', asyncContext };
      const define = { __FLOWTRACE_BUILD__: JSON.stringify(build) };
      if (asyncContext === 'transform') return { define };
      return {
        build: { target },
        // The default `exclude` covers .js files; app .js must be lowered too, dependencies need not.
        oxc: { include: /\.[mc]?[jt]sx?$/, exclude: /node_modules/, target },
        define,
      };
    },
    transform: {
      // Cheap filters first: a module without `await` is never parsed.
      filter: { id: { include: SCRIPT, exclude: /node_modules|^\0/ }, code: /\bawait\b/ },
      handler(code, id) {
        if (asyncContext !== 'transform') return null;
        // The SDK carries its own context; as installed it sits in node_modules, untransformed.
        if (id.startsWith(CLIENT_DIR)) return null;
        try {
          return transformAwait(code, id, RUNTIME) ?? null;
        } catch (error) {
          const file = id.split('?')[0]!;
          if (!warned.has(file)) {
            warned.add(file);
            this.warn(`flowtrace: could not parse ${file}, so its awaits do not carry trace context (${(error as Error).message?.split('\n')[0]})`);
          }
          return null;
        }
      },
    },
  };
}
