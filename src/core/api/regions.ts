/** Konnect regions, base URLs and token shapes (docs/konnect-api.md §1.1, §1.2). */

export const KONNECT_REGIONS = ['us', 'eu', 'au', 'me', 'in', 'sg'] as const;
export type KonnectRegion = (typeof KONNECT_REGIONS)[number];

export function isKonnectRegion(value: string): value is KonnectRegion {
  return (KONNECT_REGIONS as readonly string[]).includes(value);
}

/** `us` → `https://us.api.konghq.com`. Paths carry their version (`/v2/dcr-providers`, `/v1/auth-servers`, `/v3/...`). */
export function regionBaseUrl(region: KonnectRegion): string {
  return `https://${region}.api.konghq.com`;
}

/**
 * Normalises a base URL given instead of a region (e.g. the local sandbox `http://127.0.0.1:8080`): http(s) only, no
 * credentials, query or fragment, no trailing slash. A path prefix is kept (`http://host/konnect` + `/v2/...`).
 * Throws a `TypeError` with a readable message otherwise.
 */
export function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new TypeError(`Not a valid URL: "${baseUrl}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError(`Konnect base URL must use http or https, not ${url.protocol}`);
  if (url.username || url.password) throw new TypeError('Konnect base URL must not contain credentials');
  if (url.search || url.hash) throw new TypeError('Konnect base URL must not contain a query or a fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Where a client points: a region, or an explicit base URL (which wins). */
export interface KonnectEndpoint {
  region?: KonnectRegion | undefined;
  baseUrl?: string | undefined;
}

export function resolveBaseUrl(endpoint: KonnectEndpoint): string {
  if (endpoint.baseUrl) return normalizeBaseUrl(endpoint.baseUrl);
  if (endpoint.region) {
    if (!isKonnectRegion(endpoint.region))
      throw new TypeError(
        `Unknown Konnect region "${String(endpoint.region)}" (expected one of ${KONNECT_REGIONS.join(', ')})`,
      );
    return regionBaseUrl(endpoint.region);
  }
  throw new TypeError('Either a Konnect region or a base URL is required');
}

// ---------------------------------------------------------------------------------------------------------------
// Tokens

/** `pat`: a personal access token (`kpat_…`); `spat`: a system-account token (`spat_…`); `other`: anything else. */
export type KonnectTokenKind = 'pat' | 'spat' | 'other';

const PAT_SHAPE = /^(kpat|spat)_[A-Za-z0-9]{20,}$/;

/** Says whether a token looks like a Konnect PAT/SPAT. Loose on purpose: it checks the prefix and the alphabet. */
export function konnectTokenKind(token: string): KonnectTokenKind {
  const m = PAT_SHAPE.exec(token.trim());
  if (!m) return 'other';
  return m[1] === 'kpat' ? 'pat' : 'spat';
}

export function looksLikeKonnectToken(token: string): boolean {
  return konnectTokenKind(token) !== 'other';
}

/**
 * Rejects what can never be a bearer token (empty, whitespace or control characters inside, non-ASCII), so it
 * cannot break the Authorization header. Any other token is allowed (the sandbox takes its own); use
 * `konnectTokenKind` to warn about an unexpected shape. Returns the trimmed token.
 */
export function checkBearerToken(token: string): string {
  const t = token.trim();
  if (!t) throw new TypeError('The Konnect token is empty');
  if (!/^[\x21-\x7e]+$/.test(t))
    throw new TypeError('The Konnect token contains spaces, control or non-ASCII characters');
  return t;
}
