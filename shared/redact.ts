/**
 * Redaction rules shared by the browser and the server: what counts as a secret in a URL.
 */

/** What a redacted value reads as. */
export const REDACTED = 'REDACTED';

/**
 * Query parameters redacted by default: OpenTelemetry's HTTP conventions list
 * (AWSAccessKeyId, Signature, sig, X-Goog-Signature) plus common credentials.
 */
export const DEFAULT_SENSITIVE_QUERY_PARAMS: readonly string[] = [
  'awsaccesskeyid',
  'signature',
  'sig',
  'x-goog-signature',
  'token',
  'access_token',
  'id_token',
  'refresh_token',
  'password',
  'passwd',
  'code',
  'secret',
  'client_secret',
  'api_key',
  'apikey',
];

/**
 * Replaces the values of sensitive parameters in a query string (with or without the leading `?`)
 * by {@link REDACTED}. Matching ignores case. Other parameters are left byte for byte.
 */
export function redactQuery(query: string, sensitive: readonly string[] = DEFAULT_SENSITIVE_QUERY_PARAMS): string {
  if (query === '' || query === '?') return query;
  const prefix = query.startsWith('?') ? '?' : '';
  const pairs = (prefix ? query.slice(1) : query).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 0) return pair;
    let key: string;
    try {
      key = decodeURIComponent(pair.slice(0, eq).replaceAll('+', ' '));
    } catch {
      key = pair.slice(0, eq);
    }
    return sensitive.includes(key.toLowerCase()) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
  });
  return prefix + pairs.join('&');
}

/** Redacts the query of a full or relative URL; anything that does not parse is returned as is. */
export function redactUrl(url: string, sensitive: readonly string[] = DEFAULT_SENSITIVE_QUERY_PARAMS): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = hash < 0 ? url.slice(q) : url.slice(q, hash);
  return url.slice(0, q) + redactQuery(query, sensitive) + (hash < 0 ? '' : url.slice(hash));
}
