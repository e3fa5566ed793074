/**
 * Who may read traces (the trace API and the viewer). Traces hold URLs, user ids and SQL shapes,
 * so outside development and tests reading them needs a token or an app-defined role check.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface AccessOptions {
  /**
   * A secret that grants access, sent as `Authorization: Bearer <token>`, or once as `?token=`
   * on a viewer URL (it is then kept in an HttpOnly cookie scoped to the base path).
   */
  token?: string;
  /** An app-defined check, for example "the session's user has the `admin` role". */
  allow?: (req: IncomingMessage) => boolean | Promise<boolean>;
  /**
   * Let everyone read. 
   * @default true when NODE_ENV is not 'production' and neither `token` nor `allow` is given
   */
  open?: boolean;
}

const COOKIE = 'flowtrace_token';

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** Resolves the options into one check that answers whether a request may read traces. */
export function createAccessCheck(options: AccessOptions = {}, basePath = '/flowtrace') {
  const { token, allow } = options;
  const open = options.open ?? (process.env.NODE_ENV !== 'production' && token === undefined && allow === undefined);
  if (token !== undefined && token.length < 16) {
    throw new RangeError('flowtrace: access token must be at least 16 characters; generate one with `openssl rand -hex 16`');
  }

  /** Whether `req` may read; sets the token cookie when a valid `?token=` is presented. */
  return async function mayRead(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (open) return true;
    if (token !== undefined) {
      const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (bearer && sameSecret(bearer, token)) return true;
      const fromCookie = cookie(req, COOKIE);
      if (fromCookie && sameSecret(fromCookie, token)) return true;
      const fromQuery = url.searchParams.get('token');
      if (fromQuery && sameSecret(fromQuery, token)) {
        res.setHeader('set-cookie', `${COOKIE}=${encodeURIComponent(token)}; Path=${basePath}; HttpOnly; SameSite=Strict`);
        return true;
      }
    }
    return allow ? await allow(req) : false;
  };
}
