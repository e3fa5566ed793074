/**
 * `flowtrace/vite`: keeps span parentage exact across native `await` in user flows.
 *
 * Zone.js (the browser context manager) cannot follow a native `await`: after the first one, a
 * flow's later fetches lose their parent and start new traces (measured, DESIGN.md §1). Lowering
 * async/await to generators lets zone.js follow them. Builds honour `build.target`; the dev server
 * ignores it, so app code is lowered there by the oxc transform as well.
 */
import type { Plugin } from 'vite';

export interface FlowtraceViteOptions {
  /**
   * Target the app's code is lowered to; it must be below es2017, where native async arrived.
   * @default 'es2016'
   */
  target?: string;
}

/** The flowtrace Vite plugin. Add it to `plugins` in vite.config.ts. */
export function flowtrace({ target = 'es2016' }: FlowtraceViteOptions = {}): Plugin {
  return {
    name: 'flowtrace',
    config() {
      return {
        build: { target },
        // The default `exclude` covers .js files; app .js must be lowered too, dependencies need not.
        oxc: { include: /\.[mc]?[jt]sx?$/, exclude: /node_modules/, target },
      };
    },
  };
}
