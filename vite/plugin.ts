/**
 * `flowtrace/vite`: keeps span parentage exact across native `await` in user flows.
 *
 * Zone.js (the browser context manager) cannot follow a native `await`: after the first one, a
 * flow's later fetches lose their parent and start new traces (measured, DESIGN.md §1). Lowering
 * async/await to generators lets zone.js follow them. Builds honour `build.target`; the dev server
 * ignores it, so app code is lowered there by the oxc transform as well.
 *
 * The plugin also tells the SDK (through `__FLOWTRACE_BUILD__`) that await was lowered, so the SDK
 * trusts zone.js fully, and whether this is a development or a production build (sampling and the
 * test hook default on that).
 */
import type { Plugin } from 'vite';

export interface FlowtraceViteOptions {
  /**
   * Target the app's code is lowered to; it must be below es2017, where native async arrived.
   * @default 'es2016'
   */
  target?: string;
}

const NATIVE_ASYNC = /^es(2017|2018|2019|202\d|next)$/i;

/** The flowtrace Vite plugin. Add it to `plugins` in vite.config.ts. */
export function flowtrace({ target = 'es2016' }: FlowtraceViteOptions = {}): Plugin {
  if (typeof target !== 'string' || NATIVE_ASYNC.test(target)) {
    throw new TypeError(
      `flowtrace/vite: target ${JSON.stringify(target)} keeps native async/await, which zone.js cannot follow; use 'es2016' (the default)`,
    );
  }
  return {
    name: 'flowtrace',
    config(_config, env) {
      const build = { mode: env.command === 'serve' ? 'development' : 'production', asyncLowered: true };
      return {
        build: { target },
        // The default `exclude` covers .js files; app .js must be lowered too, dependencies need not.
        oxc: { include: /\.[mc]?[jt]sx?$/, exclude: /node_modules/, target },
        define: { __FLOWTRACE_BUILD__: JSON.stringify(build) },
      };
    },
  };
}
