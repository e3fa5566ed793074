/**
 * Login sessions: an HttpOnly, SameSite=Lax cookie holding a random token; the database keeps
 * its hash and the user it belongs to.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from './database.ts';
import { newToken, tokenHash } from './tokens.ts';

export const SESSION_COOKIE = 'sc_session';
const SESSION_DAYS = 14;

export interface SessionUser {
  id: string;
  displayName: string;
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function setCookie(res: ServerResponse, value: string, maxAgeSeconds: number): void {
  res.setHeader('set-cookie', `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${maxAgeSeconds}`);
}

/** Creates a session for `userId` and sets its cookie; returns the token (never log it). */
export async function startSession(db: Database, res: ServerResponse, userId: string): Promise<string> {
  const token = newToken();
  await db.query(
    `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(days => $3))`,
    [tokenHash(token), userId, SESSION_DAYS],
  );
  setCookie(res, token, SESSION_DAYS * 86_400);
  return token;
}

/** The session token the request's cookie carries, if any (never log it). */
export function sessionToken(req: IncomingMessage): string | undefined {
  return readCookie(req, SESSION_COOKIE) || undefined;
}

/** The user whose unexpired session `token` is, or `undefined`. */
export async function userOfSession(db: Database, token: string): Promise<SessionUser | undefined> {
  const { rows } = await db.query<{ id: string; display_name: string }>(
    `SELECT users.id, users.display_name FROM sessions JOIN users ON users.id = sessions.user_id
     WHERE sessions.token_hash = $1 AND sessions.expires_at > now()`,
    [tokenHash(token)],
  );
  const row = rows[0];
  return row ? { id: row.id, displayName: row.display_name } : undefined;
}

/** The signed-in user of a request, or `undefined`. */
export async function currentUser(db: Database, req: IncomingMessage): Promise<SessionUser | undefined> {
  const token = sessionToken(req);
  return token ? userOfSession(db, token) : undefined;
}

export async function endSession(db: Database, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const token = readCookie(req, SESSION_COOKIE);
  if (token) await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash(token)]);
  setCookie(res, '', 0);
}
