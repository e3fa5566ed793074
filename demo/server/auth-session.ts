/**
 * The `auth.session` step of a request that needs a signed-in user: the session lookup as a span
 * (its database query a child), ending in error with `auth.failure.reason` when there is no
 * session (`no_session`) or the cookie's is unknown or expired (`invalid_session`).
 */
import type { IncomingMessage } from 'node:http';
import { trace } from '@opentelemetry/api';
import type { Database } from './database.ts';
import { sessionToken, userOfSession, type SessionUser } from './sessions.ts';
import { inSpan, refuse } from './spans.ts';

const ATTR_ENDUSER_ID = 'enduser.id';
const ATTR_FAILURE_REASON = 'auth.failure.reason';

/**
 * The request's signed-in user, looked up in an `auth.session` span; `undefined` when there is
 * none, the span then in error with the reason. The user's id goes on the request's span too.
 */
export function authenticate(db: Database, req: IncomingMessage): Promise<SessionUser | undefined> {
  const request = trace.getActiveSpan();
  return inSpan('auth.session', {}, async (span) => {
    const token = sessionToken(req);
    const user = token ? await userOfSession(db, token) : undefined;
    if (!user) {
      const reason = token ? 'invalid_session' : 'no_session';
      span.setAttribute(ATTR_FAILURE_REASON, reason);
      refuse(span, `sign-in required: ${reason}`);
      return undefined;
    }
    span.setAttribute(ATTR_ENDUSER_ID, user.id);
    request?.setAttribute(ATTR_ENDUSER_ID, user.id);
    return user;
  });
}
