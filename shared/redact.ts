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

/**
 * Redacts sensitive query parameters wherever a string holds a URL (a span name, `url.full`, a
 * message). Strings without a query are returned untouched without being parsed.
 */
export function redactQueryInText(value: string, sensitive: readonly string[] = DEFAULT_SENSITIVE_QUERY_PARAMS): string {
  return value.includes('?') && value.includes('=') ? redactUrl(value, sensitive) : value;
}

/** Header values redacted by default wherever headers are recorded. Names are lower case. */
export const DEFAULT_SENSITIVE_HEADERS: readonly string[] = [
  'authorization',
  'cookie',
  'set-cookie',
  'proxy-authorization',
  'x-api-key',
];

// One pass over a string: e-mail addresses, bearer tokens, and 13-19 digit runs (card numbers,
// confirmed by the Luhn check below so order ids and timestamps survive).
const PERSONAL_DATA = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bbearer\s+[\w~+/.-]+=*|\b\d(?:[ -]?\d){12,18}\b/gi;
// A cheap test that any of the three could match; digits may be split by the same separators.
const QUICK_CHECK = /@|bearer|\d[ -]?\d[ -]?\d[ -]?\d/i;

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Replaces e-mail addresses, bearer tokens and card numbers (Luhn-valid 13-19 digit runs) in
 * `value` by {@link REDACTED}; returns `value` itself when nothing matched.
 */
export function scrubPersonalData(value: string): string {
  if (!QUICK_CHECK.test(value)) return value;
  return value.replace(PERSONAL_DATA, (match) => {
    if (match.includes('@') || /^bearer/i.test(match)) return REDACTED;
    const digits = match.replace(/[ -]/g, '');
    return luhnValid(digits) ? REDACTED : match;
  });
}

/**
 * Redacts the values of sensitive keys in a JSON-like value (for captured bodies), at any depth.
 * Keys match case-insensitively against `sensitive`.
 */
export function redactFields(value: unknown, sensitive: readonly string[] = DEFAULT_SENSITIVE_QUERY_PARAMS): unknown {
  if (Array.isArray(value)) return value.map((item) => redactFields(item, sensitive));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = sensitive.includes(key.toLowerCase()) ? REDACTED : redactFields(item, sensitive);
  }
  return out;
}
