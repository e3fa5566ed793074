/**
 * Opaque random tokens (session cookies, invite links). Only their SHA-256 is stored, so a
 * database dump (or a span) never holds a usable token.
 */
import { createHash, randomBytes } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
