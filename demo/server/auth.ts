/**
 * Register, log in, log out, who am I. Each step of a login is a span: credential validation,
 * session creation, token generation. A failed login is a `security.login_failed` event that
 * says why (unknown user, wrong password) and carries no e-mail, password or token.
 */
import { trace } from '@opentelemetry/api';
import type { Database } from './database.ts';
import { readJson, sendJson } from './json.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { RouteContext } from './router.ts';
import { currentUser, endSession, startSession } from './sessions.ts';
import { inSpan, refuse } from './spans.ts';

const ATTR_ENDUSER_ID = 'enduser.id';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Credentials {
  email: string;
  password: string;
}

function credentials(body: Record<string, unknown> | undefined): Credentials | undefined {
  const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
  const password = typeof body?.password === 'string' ? body.password : '';
  return EMAIL.test(email) && password.length > 0 ? { email, password } : undefined;
}

async function signIn(db: Database, ctx: RouteContext, user: { id: string; display_name: string }, status: number) {
  trace.getActiveSpan()?.setAttribute(ATTR_ENDUSER_ID, user.id);
  await inSpan('auth.create_session', {}, async () => {
    await inSpan('auth.issue_token', {}, async () => startSession(db, ctx.res, user.id));
  });
  sendJson(ctx.res, status, { user: { id: user.id, displayName: user.display_name } });
}

export function authRoutes(db: Database) {
  return {
    async register(ctx: RouteContext): Promise<void> {
      const body = await readJson(ctx.req);
      const displayName = typeof body?.displayName === 'string' ? body.displayName.trim() : '';
      const email = typeof body?.email === 'string' ? body.email.trim() : '';
      const password = typeof body?.password === 'string' ? body.password : '';
      // Each refusal names its field, so the form can mark it (as the room form does).
      if (displayName.length < 1 || displayName.length > 60) {
        return sendJson(ctx.res, 400, { error: 'The display name needs 1 to 60 characters.', field: 'displayName' });
      }
      if (!EMAIL.test(email)) return sendJson(ctx.res, 400, { error: 'Enter a valid e-mail address.', field: 'email' });
      if (password.length < 8) return sendJson(ctx.res, 400, { error: 'The password needs at least 8 characters.', field: 'password' });
      const given = credentials(body)!;
      const hash = await inSpan('auth.hash_password', {}, () => hashPassword(given.password));
      const { rows } = await db.query<{ id: string; display_name: string }>(
        `INSERT INTO users (email, display_name, password_hash) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO NOTHING RETURNING id, display_name`,
        [given.email, displayName, hash],
      );
      const user = rows[0];
      if (!user) return sendJson(ctx.res, 409, { error: 'An account with this e-mail address exists already.' });
      await signIn(db, ctx, user, 201);
    },

    async login(ctx: RouteContext): Promise<void> {
      const given = credentials(await readJson(ctx.req));
      if (!given) return sendJson(ctx.res, 400, { error: 'Enter your e-mail address and password.' });
      const user = await inSpan('auth.validate_credentials', {}, async (span) => {
        const { rows } = await db.query<{ id: string; display_name: string; password_hash: string }>(
          'SELECT id, display_name, password_hash FROM users WHERE email = $1',
          [given.email],
        );
        const found = rows[0];
        const valid = found ? await verifyPassword(given.password, found.password_hash) : false;
        if (!valid) {
          const reason = found ? 'wrong_password' : 'unknown_user';
          trace.getActiveSpan()?.addEvent('security.login_failed', { 'auth.failure.reason': reason });
          refuse(span, `login refused: ${reason}`);
          return undefined;
        }
        return found;
      });
      // One answer for both reasons, so the API does not tell which e-mail addresses exist.
      if (!user) return sendJson(ctx.res, 401, { error: 'Wrong e-mail address or password.' });
      await signIn(db, ctx, user, 200);
    },

    async logout(ctx: RouteContext): Promise<void> {
      await endSession(db, ctx.req, ctx.res);
      sendJson(ctx.res, 200, { ok: true });
    },

    async me(ctx: RouteContext): Promise<void> {
      const user = await currentUser(db, ctx.req);
      if (user) trace.getActiveSpan()?.setAttribute(ATTR_ENDUSER_ID, user.id);
      sendJson(ctx.res, 200, { user: user ?? null });
    },
  };
}
