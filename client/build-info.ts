/**
 * What the app's build tells the SDK: development or production, and how the `flowtrace/vite`
 * plugin made `await` keep its context (the await transform, or lowering for zone.js). The plugin
 * defines `__FLOWTRACE_BUILD__`; without it, Vite's `import.meta.env.DEV` still tells the mode, and
 * the SDK assumes native `await` with nothing carrying context (the fallback that never mis-parents).
 */

/** @internal */
export interface BuildInfo {
  mode: 'development' | 'production';
  /**
   * `'transform'`: the plugin's await transform carries context; `'zone'`: the plugin lowered
   * async/await so that zone.js follows it; `'none'`: not built through the plugin.
   */
  asyncContext: 'transform' | 'zone' | 'none';
}

// The name is the plugin's `define` key: dunder-named so it cannot clash with an app global.
// oxlint-disable-next-line no-underscore-dangle
declare const __FLOWTRACE_BUILD__: BuildInfo | undefined;

/** @internal */
export function buildInfo(): BuildInfo {
  if (typeof __FLOWTRACE_BUILD__ !== 'undefined' && __FLOWTRACE_BUILD__) return __FLOWTRACE_BUILD__;
  const env = (import.meta as ImportMeta & { env?: { DEV?: boolean } }).env;
  return { mode: env?.DEV === true ? 'development' : 'production', asyncContext: 'none' };
}
