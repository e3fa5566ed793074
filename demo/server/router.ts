/**
 * A small router with route templates (`/api/rooms/:id`): it names each request's SERVER span
 * after the template, never after the concrete path, so span names stay few and carry no ids.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setHttpRoute } from 'flowtrace/server';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
}

export type RouteHandler = (ctx: RouteContext) => Promise<void>;

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

export class Router {
  readonly #routes: Route[] = [];

  on(method: string, template: string, handler: RouteHandler): this {
    const names: string[] = [];
    const source = template.replaceAll(/:(\w+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.#routes.push({ method, template, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** Runs the matching route; `false` when none matches. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    for (const route of this.#routes) {
      if (route.method !== req.method) continue;
      const match = route.pattern.exec(path);
      if (!match) continue;
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
      setHttpRoute(req, route.template);
      await route.handler({ req, res, params });
      return true;
    }
    return false;
  }
}
