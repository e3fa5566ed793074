/**
 * Invite links: the host of a room creates a single-use link with an expiry; a signed-in user
 * accepts it and becomes a member. The token travels in the link's fragment and the request body,
 * never in a URL the server records; only its hash is stored.
 */
import { trace } from '@opentelemetry/api';
import type { Database } from './database.ts';
import { readJson, sendJson } from './json.ts';
import type { RouteContext } from './router.ts';
import { currentUser } from './sessions.ts';
import { inSpan, refuse } from './spans.ts';
import { newToken, tokenHash } from './tokens.ts';

const ATTR_ROOM_ID = 'simplycaster.room.id';
const MAX_EXPIRY_SECONDS = 7 * 86_400;

export function invitationRoutes(db: Database) {
  return {
    async create(ctx: RouteContext): Promise<void> {
      const user = await currentUser(db, ctx.req);
      if (!user) return sendJson(ctx.res, 401, { error: 'Sign in to invite people.' });
      const roomId = ctx.params.id ?? '';
      trace.getActiveSpan()?.setAttributes({ 'enduser.id': user.id, [ATTR_ROOM_ID]: roomId });
      const body = await readJson(ctx.req);
      // 0 makes a link that has expired already: the demo's e2e tests use it, no clock needed.
      const expiresIn = body?.expiresInSeconds ?? 86_400;
      if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 0 || expiresIn > MAX_EXPIRY_SECONDS) {
        return sendJson(ctx.res, 400, { error: `expiresInSeconds must be a whole number from 0 to ${MAX_EXPIRY_SECONDS}.` });
      }
      const { rows: hosts } = await db.query('SELECT 1 FROM room_members WHERE room_id = $1 AND user_id = $2 AND role = $3', [
        roomId,
        user.id,
        'host',
      ]);
      if (hosts.length === 0) return sendJson(ctx.res, 403, { error: 'Only the host of this room can invite people.' });
      const token = await inSpan('invitation.issue_token', { [ATTR_ROOM_ID]: roomId }, async () => newToken());
      const { rows } = await db.query<{ expires_at: string }>(
        `INSERT INTO invitations (room_id, token_hash, created_by, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING expires_at`,
        [roomId, tokenHash(token), user.id, expiresIn],
      );
      sendJson(ctx.res, 201, { token, expiresAt: rows[0]?.expires_at });
    },

    async accept(ctx: RouteContext): Promise<void> {
      const user = await currentUser(db, ctx.req);
      if (!user) return sendJson(ctx.res, 401, { error: 'Sign in to accept the invitation.' });
      trace.getActiveSpan()?.setAttribute('enduser.id', user.id);
      const body = await readJson(ctx.req);
      const token = typeof body?.token === 'string' ? body.token : '';
      const outcome = await inSpan('invitation.redeem', {}, async (span) => {
        // One statement claims the link, so two people accepting at once cannot both succeed.
        const { rows: claimed } = await db.query<{ room_id: string }>(
          `UPDATE invitations SET used_at = now(), used_by = $2
           WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING room_id`,
          [tokenHash(token), user.id],
        );
        if (claimed[0]) return { roomId: claimed[0].room_id };
        const { rows } = await db.query<{ used: boolean }>(
          'SELECT used_at IS NOT NULL AS used FROM invitations WHERE token_hash = $1',
          [tokenHash(token)],
        );
        const reason = !rows[0] ? 'unknown' : rows[0].used ? 'used' : 'expired';
        span.setAttribute('simplycaster.invitation.refused', reason);
        refuse(span, `invitation ${reason}`);
        return { refused: reason };
      });
      if ('refused' in outcome) {
        const messages = {
          unknown: [404, 'This invite link is not valid.'],
          used: [410, 'This invite link has been used already.'],
          expired: [410, 'This invite link has expired.'],
        } as const;
        const [status, error] = messages[outcome.refused as keyof typeof messages];
        return sendJson(ctx.res, status, { error, reason: outcome.refused });
      }
      trace.getActiveSpan()?.setAttribute(ATTR_ROOM_ID, outcome.roomId);
      await db.query(
        `INSERT INTO room_members (room_id, user_id, role) VALUES ($1, $2, 'guest') ON CONFLICT (room_id, user_id) DO NOTHING`,
        [outcome.roomId, user.id],
      );
      const { rows } = await db.query<{ id: string; name: string }>('SELECT id, name FROM rooms WHERE id = $1', [outcome.roomId]);
      sendJson(ctx.res, 200, { room: rows[0] });
    },
  };
}
