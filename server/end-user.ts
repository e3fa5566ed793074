/**
 * One `setEndUser` for every adapter: a node:http/Express request or a Hono context, so an app
 * records its user the same way whichever middleware traced the request.
 */
import type { IncomingMessage } from 'node:http';
import type { Context as HonoContext } from 'hono';
import { setHonoEndUser } from './hono.ts';
import type { EndUser } from './http-options.ts';
import { setNodeEndUser } from './http.ts';

/**
 * Records the authenticated user (`enduser.id`, `user.roles`) on the request's SERVER span.
 * Call it after authentication with the node:http/Express `req` or the Hono context `c`.
 */
export function setEndUser(request: IncomingMessage | HonoContext, user: EndUser): void {
  // A node request has its socket; a Hono context does not.
  if ('socket' in request) setNodeEndUser(request, user);
  else setHonoEndUser(request, user);
}
