// Bearer JWT checks for openid_connect strategies, the way Kong's openid-connect plugin treats a DCR strategy:
// discovery from the strategy issuer (an issuer given as its discovery URL is accepted), signature against the
// issuer's JWKS (jose remote JWKS, cached), iss, exp/nbf, audience and scopes where the strategy asks for them,
// then the credential claim that names the application.
import type { GatewayStrategy } from '../contracts';
import { loadJose } from '../idp/esm';

const WELL_KNOWN = '/.well-known/openid-configuration';
/** OpenID Connect identity scopes and Azure "<resource>/.default" requests never appear as token scopes. */
const NOT_TOKEN_SCOPES = new Set(['openid', 'profile', 'email', 'address', 'phone', 'offline_access']);

export type OidcOutcome =
  | { ok: true; credential: string; claim: string; payload: Record<string, unknown> }
  | { ok: false; status: 401; error: 'invalid_token' | undefined; description: string }
  | { ok: false; status: 403; error: 'insufficient_scope'; description: string; scope: string }
  | { ok: false; status: 403; error: 'unmapped'; description: string }
  | { ok: false; status: 502; error: 'discovery'; description: string };

interface IssuerInfo {
  issuer: string | undefined;
  jwks: ReturnType<Awaited<ReturnType<typeof loadJose>>['createRemoteJWKSet']>;
  fetchedAt: number;
}

const trimSlash = (s: string) => s.replace(/\/+$/, '');
export const issuerBase = (issuer: string) =>
  trimSlash(issuer.endsWith(WELL_KNOWN) ? issuer.slice(0, -WELL_KNOWN.length) : issuer);

function stringList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Audiences the strategy requires: audience_required, else audience, else an `audience` token post argument. */
export function requiredAudiences(strategy: GatewayStrategy): string[] {
  const extra = strategy.extra ?? {};
  const required = stringList(extra['audience_required']);
  if (required.length) return required;
  const audience = stringList(extra['audience']);
  if (audience.length) return audience;
  const names = stringList(extra['token_post_args_names']);
  const values = stringList(extra['token_post_args_values']);
  return names.flatMap((n, i) => (n === 'audience' && values[i] ? [values[i]] : []));
}

/**
 * Alternatives of scope sets, any one of which suffices: `scopes_required` as Kong reads it (each entry a
 * space-separated AND group, entries OR-ed), else all the strategy's scopes that can appear in a token.
 */
export function requiredScopeGroups(strategy: GatewayStrategy): string[][] {
  const explicit = stringList(strategy.extra?.['scopes_required']);
  if (explicit.length) return explicit.map((g) => g.split(' ').filter(Boolean));
  const scopes = (strategy.scopes ?? []).filter((s) => !NOT_TOKEN_SCOPES.has(s) && !s.endsWith('/.default'));
  return scopes.length ? [scopes] : [];
}

export function tokenScopes(payload: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  for (const key of ['scope', 'scp']) {
    const v = payload[key];
    if (typeof v === 'string')
      v.split(' ')
        .filter(Boolean)
        .forEach((s) => out.add(s));
    else stringList(v).forEach((s) => out.add(s));
  }
  return out;
}

export class OidcChecker {
  readonly #issuers = new Map<string, Promise<IssuerInfo>>();

  constructor(private readonly options: { clockToleranceSeconds: number; discoveryTtlMs: number }) {}

  async #issuer(strategyIssuer: string): Promise<IssuerInfo> {
    const key = issuerBase(strategyIssuer);
    const cached = this.#issuers.get(key);
    if (cached) {
      const info = await cached.catch(() => undefined);
      if (info && Date.now() - info.fetchedAt < this.options.discoveryTtlMs) return info;
    }
    const loading = (async (): Promise<IssuerInfo> => {
      const jose = await loadJose();
      const url = `${key}${WELL_KNOWN}`;
      let meta: Record<string, unknown>;
      try {
        const res = await fetch(url, { headers: { accept: 'application/json' } });
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        meta = (await res.json()) as Record<string, unknown>;
      } catch (err) {
        throw new Error(`OpenID discovery ${url} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (typeof meta['jwks_uri'] !== 'string') throw new Error(`OpenID discovery ${url} has no jwks_uri`);
      return {
        issuer: typeof meta['issuer'] === 'string' ? meta['issuer'] : undefined,
        jwks: jose.createRemoteJWKSet(new URL(meta['jwks_uri'])),
        fetchedAt: Date.now(),
      };
    })();
    this.#issuers.set(key, loading);
    loading.catch(() => {
      if (this.#issuers.get(key) === loading) this.#issuers.delete(key);
    });
    return loading;
  }

  async check(strategy: GatewayStrategy, authorization: string | undefined): Promise<OidcOutcome> {
    const jose = await loadJose();
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m?.[1]) {
      return {
        ok: false,
        status: 401,
        error: undefined,
        description: authorization
          ? 'the Authorization header is not a Bearer token'
          : 'no Bearer token in the Authorization header',
      };
    }
    const token = m[1];
    let claims: Record<string, unknown>;
    try {
      claims = jose.decodeJwt(token) as Record<string, unknown>;
      jose.decodeProtectedHeader(token);
    } catch {
      return { ok: false, status: 401, error: 'invalid_token', description: 'the bearer token is not a JWT' };
    }
    if (!strategy.issuer)
      return { ok: false, status: 401, error: 'invalid_token', description: 'the strategy has no issuer' };

    let info: IssuerInfo;
    try {
      info = await this.#issuer(strategy.issuer);
    } catch (err) {
      return {
        ok: false,
        status: 502,
        error: 'discovery',
        description: err instanceof Error ? err.message : String(err),
      };
    }

    const accepted = new Set([issuerBase(strategy.issuer), ...(info.issuer ? [trimSlash(info.issuer)] : [])]);
    const iss = typeof claims['iss'] === 'string' ? claims['iss'] : '';
    if (!accepted.has(trimSlash(iss))) {
      return {
        ok: false,
        status: 401,
        error: 'invalid_token',
        description: `the token issuer ${iss || '(none)'} is not the issuer of this API (${info.issuer ?? strategy.issuer})`,
      };
    }

    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jose.jwtVerify(token, info.jwks, { clockTolerance: this.options.clockToleranceSeconds }));
    } catch (err) {
      return { ok: false, status: 401, error: 'invalid_token', description: describeJoseError(err) };
    }

    const audiences = requiredAudiences(strategy);
    if (audiences.length) {
      const aud = stringList(payload['aud']);
      if (!aud.some((a) => audiences.includes(a))) {
        return {
          ok: false,
          status: 401,
          error: 'invalid_token',
          description: `the token audience ${aud.join(', ') || '(none)'} is not accepted (expected ${audiences.join(' or ')})`,
        };
      }
    }

    const groups = requiredScopeGroups(strategy);
    if (groups.length) {
      const have = tokenScopes(payload);
      if (!groups.some((g) => g.every((s) => have.has(s)))) {
        const wanted = groups.map((g) => g.join(' ')).join(' | ');
        return {
          ok: false,
          status: 403,
          error: 'insufficient_scope',
          scope: groups[0]?.join(' ') ?? '',
          description: `the token lacks the required scopes ${wanted} (it has ${[...have].join(' ') || 'none'})`,
        };
      }
    }

    const claimNames = strategy.credential_claim?.length ? strategy.credential_claim : ['sub'];
    for (const claim of claimNames) {
      const v = payload[claim];
      if (typeof v === 'string' && v) return { ok: true, credential: v, claim, payload };
      if (typeof v === 'number') return { ok: true, credential: String(v), claim, payload };
    }
    return {
      ok: false,
      status: 403,
      error: 'unmapped',
      description: `the token has none of the credential claims ${claimNames.join(', ')} that identify the application`,
    };
  }
}

function describeJoseError(err: unknown): string {
  const code = (err as { code?: string }).code;
  const e = err as { claim?: string; reason?: string; payload?: Record<string, unknown> };
  switch (code) {
    case 'ERR_JWT_EXPIRED': {
      const exp = e.payload?.['exp'];
      return typeof exp === 'number'
        ? `the token expired at ${new Date(exp * 1000).toISOString()}`
        : 'the token has expired';
    }
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return e.claim === 'nbf' ? 'the token is not valid yet (nbf)' : `the token ${e.claim ?? ''} claim is invalid`;
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return "the token signature does not verify against the issuer's keys";
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return "no key of the issuer's JWKS matches the token (kid / alg)";
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return "several keys of the issuer's JWKS match the token";
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'the token signing algorithm is not allowed';
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JOSE_GENERIC':
      return `the issuer's JWKS could not be loaded (${err instanceof Error ? err.message : String(err)})`;
    default:
      return `the token is not valid (${err instanceof Error ? err.message : String(err)})`;
  }
}
