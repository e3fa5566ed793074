/**
 * What the app's build tells the SDK: development or production, and whether async/await was
 * lowered so that zone.js can follow it. The `flowtrace/vite` plugin defines
 * `__FLOWTRACE_BUILD__`; without it, Vite's `import.meta.env.DEV` still tells the mode, and the
 * SDK assumes native `await` (the fallback that never mis-parents).
 */

/** @internal */
export interface BuildInfo {
  mode: 'development' | 'production';
  /** True when the `flowtrace/vite` plugin lowered async/await (zone.js then follows every await). */
  asyncLowered: boolean;
}

// The name is the plugin's `define` key: dunder-named so it cannot clash with an app global.
// oxlint-disable-next-line no-underscore-dangle
declare const __FLOWTRACE_BUILD__: BuildInfo | undefined;

/** @internal */
export function buildInfo(): BuildInfo {
  if (typeof __FLOWTRACE_BUILD__ !== 'undefined' && __FLOWTRACE_BUILD__) return __FLOWTRACE_BUILD__;
  const env = (import.meta as ImportMeta & { env?: { DEV?: boolean } }).env;
  return { mode: env?.DEV === true ? 'development' : 'production', asyncLowered: false };
}
