/** Include/exclude rules for the HTTP middleware, compiled once into a predicate. */

/** Matches requests by path and/or method; a request matches when every given part matches. */
export interface RequestFilter {
  /** Exact paths, prefixes ending in `*` (`/api/*`), or regular expressions. */
  paths?: ReadonlyArray<string | RegExp>;
  /** Methods, any case. */
  methods?: readonly string[];
}

export function compileFilter({ paths, methods }: RequestFilter): (method: string, path: string) => boolean {
  const methodSet = methods ? new Set(methods.map((m) => m.toUpperCase())) : undefined;
  const matchers = paths?.map((pattern): ((path: string) => boolean) => {
    if (pattern instanceof RegExp) return (path) => pattern.test(path);
    if (pattern.endsWith('*')) {
      const prefix = pattern.slice(0, -1);
      return (path) => path.startsWith(prefix);
    }
    return (path) => path === pattern;
  });
  return function requestFilter(method, path) {
    if (methodSet && !methodSet.has(method)) return false;
    return !matchers || matchers.some((match) => match(path));
  };
}
