/**
 * JWT decoding (no verification: the runner shows what a token says) and the checks of a token against an
 * openid_connect auth strategy, the way the gateway will judge it:
 *   iss               equals the strategy issuer (discovery-URL form and trailing slashes do not matter)
 *   credential_claim  each listed claim is present (it names the application to the gateway)
 *   scopes            the scopes the token request asked for were granted (`scope` string or `scp` array)
 *   strategy scopes   the strategy's scopes are in the token (OpenID identity scopes and `…/.default` excepted)
 *   aud               one of the audiences the strategy requires (Auth0: `audience`), or at least present for Auth0
 *   exp / nbf         in the future / in the past
 */
import type { AppAuthStrategy } from '../model/authStrategy';
import {
  CLIENT_ID_LIKE_CLAIMS,
  hasQuirk,
  perProviderType,
  providerNoun,
  type ProviderType,
} from '../model/providerTypes';

export interface DecodedJwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly hasSignature: boolean;
}

function b64json(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Decode a compact JWS; undefined when `token` is not one (opaque tokens, JWE). */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[0] || !parts[1]) return undefined;
  const header = b64json(parts[0]);
  const payload = b64json(parts[1]);
  if (!header || !payload) return undefined;
  return { header, payload, hasSignature: !!parts[2] };
}

/** What the checks need from a strategy (built from the Konnect object, or by hand in tests). */
export interface StrategyView {
  readonly id?: string | undefined;
  readonly name?: string | undefined;
  readonly issuer: string;
  readonly credentialClaims: readonly string[];
  readonly scopes: readonly string[];
  readonly authMethods: readonly string[];
  /** Audiences the strategy requires (`audience_required`, `audience`, or an `audience` token post argument). */
  readonly audiences: readonly string[];
  readonly providerType?: ProviderType | undefined;
  /** The strategy's other OIDC settings (token_post_args_*, …). */
  readonly extra: Readonly<Record<string, unknown>>;
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The view of an openid_connect strategy; undefined for key_auth. */
export function strategyView(s: AppAuthStrategy): StrategyView | undefined {
  if (s.strategy_type !== 'openid_connect') return undefined;
  const { issuer, credential_claim, scopes, auth_methods, ...extra } = s.configs['openid-connect'];
  return {
    id: s.id,
    name: s.name,
    issuer,
    credentialClaims: credential_claim,
    scopes,
    authMethods: auth_methods,
    audiences: requiredAudiences(extra),
    providerType: s.dcr_provider?.provider_type,
    extra,
  };
}

export function requiredAudiences(extra: Readonly<Record<string, unknown>>): string[] {
  const required = strings(extra['audience_required']);
  if (required.length) return required;
  const audience = strings(extra['audience']);
  if (audience.length) return audience;
  const names = strings(extra['token_post_args_names']);
  const values = strings(extra['token_post_args_values']);
  return names.flatMap((n, i) => (n === 'audience' && values[i] ? [values[i]] : []));
}

const WELL_KNOWN = '/.well-known/openid-configuration';
/** The issuer without a discovery suffix or trailing slashes: the form two issuers are compared in. */
export function normalizeIssuer(issuer: string): string {
  let s = issuer.trim();
  if (s.endsWith(WELL_KNOWN)) s = s.slice(0, -WELL_KNOWN.length);
  return s.replace(/\/+$/, '');
}

/** OpenID identity scopes and Azure `<resource>/.default` never show up as token scopes. */
export function isTokenScope(scope: string): boolean {
  return (
    !['openid', 'profile', 'email', 'address', 'phone', 'offline_access'].includes(scope) &&
    !scope.endsWith('/.default')
  );
}

export function tokenScopes(payload: Readonly<Record<string, unknown>>): string[] {
  const out = new Set<string>();
  for (const key of ['scope', 'scp']) {
    const v = payload[key];
    if (typeof v === 'string')
      v.split(' ')
        .filter(Boolean)
        .forEach((s) => out.add(s));
    else strings(v).forEach((s) => out.add(s));
  }
  return [...out];
}

export type CheckStatus = 'pass' | 'fail' | 'skip';
export type CheckId = 'iss' | 'signature' | 'credential_claim' | 'scopes' | 'strategy_scopes' | 'aud' | 'exp' | 'nbf';

export interface TokenCheck {
  readonly id: CheckId;
  /** e.g. "iss", "credential claim azp". */
  readonly label: string;
  readonly status: CheckStatus;
  readonly reason: string;
  /** The claim it is about, when there is one. */
  readonly claim?: string | undefined;
}

export interface CheckContext {
  /** Scopes the token request asked for (empty: none asked). */
  readonly requestedScopes?: readonly string[] | undefined;
  /** Milliseconds since the epoch. */
  readonly now: number;
  /** Formats an instant for people (local time). */
  readonly formatTime?: ((ms: number) => string) | undefined;
}

/** Local date and time with the zone, e.g. "23/11/2026, 05:12:09 UTC". */
export function formatLocalTime(ms: number): string {
  return (
    new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) +
    ` (${Intl.DateTimeFormat().resolvedOptions().timeZone})`
  );
}

export function relative(deltaMs: number): string {
  const s = Math.round(Math.abs(deltaMs) / 1000);
  const text =
    s < 90
      ? `${s} s`
      : s < 5400
        ? `${Math.round(s / 60)} min`
        : s < 172_800
          ? `${Math.round(s / 3600)} h`
          : `${Math.round(s / 86_400)} days`;
  return deltaMs >= 0 ? `in ${text}` : `${text} ago`;
}

/** Where each IdP puts the client id (the provider-type table): for hints when a credential claim is missing. */
export const CLIENT_ID_CLAIMS: Readonly<Record<ProviderType, string>> = perProviderType(
  (_t, spec) => spec.clientIdClaim,
);

/** Claims of this token that hold something like a client id (what the credential claim could be instead). */
export function clientIdLikeClaims(payload: Readonly<Record<string, unknown>>): string[] {
  return CLIENT_ID_LIKE_CLAIMS.filter((c) => typeof payload[c] === 'string' && payload[c] !== '');
}

export function checkToken(jwt: DecodedJwt, strategy: StrategyView, ctx: CheckContext): TokenCheck[] {
  const p = jwt.payload;
  const fmt = ctx.formatTime ?? formatLocalTime;
  const checks: TokenCheck[] = [];

  // iss
  const iss = typeof p['iss'] === 'string' ? p['iss'] : undefined;
  if (!iss)
    checks.push({
      id: 'iss',
      label: 'iss',
      claim: 'iss',
      status: 'fail',
      reason: `the token has no iss claim; the strategy's issuer is ${strategy.issuer}`,
    });
  else if (normalizeIssuer(iss) === normalizeIssuer(strategy.issuer))
    checks.push({ id: 'iss', label: 'iss', claim: 'iss', status: 'pass', reason: `${iss} is the strategy's issuer` });
  else
    checks.push({
      id: 'iss',
      label: 'iss',
      claim: 'iss',
      status: 'fail',
      reason: `issuer mismatch: the token's iss is ${iss}, the strategy's issuer is ${strategy.issuer}`,
    });

  // credential claims
  const claims = strategy.credentialClaims.length ? strategy.credentialClaims : ['sub'];
  for (const claim of claims) {
    const v = p[claim];
    const present = (typeof v === 'string' && v !== '') || typeof v === 'number';
    if (present)
      checks.push({
        id: 'credential_claim',
        label: `credential claim ${claim}`,
        claim,
        status: 'pass',
        reason: `${claim} = ${String(v)}`,
      });
    else {
      const alt = clientIdLikeClaims(p).filter((c) => c !== claim);
      const hint = strategy.providerType
        ? ` ${providerNoun(strategy.providerType)} puts the client id in \`${CLIENT_ID_CLAIMS[strategy.providerType]}\`.`
        : '';
      checks.push({
        id: 'credential_claim',
        label: `credential claim ${claim}`,
        claim,
        status: 'fail',
        reason: `the token has no \`${claim}\` claim; the strategy's credential claim is \`${claim}\`.${hint}${alt.length ? ` This token has ${alt.map((a) => `\`${a}\``).join(', ')}.` : ''}`,
      });
    }
  }

  // scopes the request asked for
  const granted = tokenScopes(p);
  const asked = (ctx.requestedScopes ?? []).filter(isTokenScope);
  if (!asked.length)
    checks.push({
      id: 'scopes',
      label: 'requested scopes',
      status: 'skip',
      reason: ctx.requestedScopes?.length
        ? `only ${ctx.requestedScopes.join(' ')} asked (never in a token's scopes)`
        : 'the token request asked for no scope',
    });
  else {
    const missing = asked.filter((s) => !granted.includes(s));
    checks.push(
      missing.length
        ? {
            id: 'scopes',
            label: 'requested scopes',
            status: 'fail',
            reason: `asked for ${asked.join(' ')} but ${missing.join(' ')} ${missing.length > 1 ? 'were' : 'was'} not granted (token scopes: ${granted.join(' ') || 'none'})`,
          }
        : { id: 'scopes', label: 'requested scopes', status: 'pass', reason: `granted: ${asked.join(' ')}` },
    );
  }

  // the strategy's scopes
  const needed = strategy.scopes.filter(isTokenScope);
  if (!needed.length)
    checks.push({
      id: 'strategy_scopes',
      label: 'strategy scopes',
      status: 'skip',
      reason: strategy.scopes.length
        ? `the strategy's scopes (${strategy.scopes.join(' ')}) never appear in tokens`
        : 'the strategy lists no scopes',
    });
  else {
    const missing = needed.filter((s) => !granted.includes(s));
    checks.push(
      missing.length
        ? {
            id: 'strategy_scopes',
            label: 'strategy scopes',
            status: 'fail',
            reason: `the strategy's scopes ${missing.join(' ')} are not in the token (token scopes: ${granted.join(' ') || 'none'}); ask for them with scope=${needed.join('%20')}`,
          }
        : {
            id: 'strategy_scopes',
            label: 'strategy scopes',
            status: 'pass',
            reason: `the token has ${needed.join(' ')}`,
          },
    );
  }

  // aud (an IdP that issues JWTs only for a named API audience, Auth0: the token must have one)
  const aud = strings(p['aud']);
  const audienceIdp = hasQuirk(strategy.providerType, 'tokenAudience') ? strategy.providerType : undefined;
  if (strategy.audiences.length) {
    const ok = aud.some((a) => strategy.audiences.includes(a));
    checks.push(
      ok
        ? { id: 'aud', label: 'aud', claim: 'aud', status: 'pass', reason: `${aud.join(', ')} is accepted` }
        : {
            id: 'aud',
            label: 'aud',
            claim: 'aud',
            status: 'fail',
            reason: `the token's audience ${aud.join(', ') || '(none)'} is not the strategy's ${strategy.audiences.join(' or ')}${audienceIdp ? `; ${providerNoun(audienceIdp)} needs audience=<API identifier> in the token request` : ''}`,
          },
    );
  } else if (audienceIdp) {
    checks.push(
      aud.length
        ? { id: 'aud', label: 'aud', claim: 'aud', status: 'pass', reason: `present: ${aud.join(', ')}` }
        : {
            id: 'aud',
            label: 'aud',
            claim: 'aud',
            status: 'fail',
            reason: `${providerNoun(audienceIdp)} tokens need an audience: add audience=<API identifier> to the token request`,
          },
    );
  } else {
    checks.push({
      id: 'aud',
      label: 'aud',
      claim: 'aud',
      status: 'skip',
      reason: aud.length
        ? `${aud.join(', ')} (the strategy requires no audience)`
        : 'the strategy requires no audience',
    });
  }

  // exp / nbf
  const exp = typeof p['exp'] === 'number' ? p['exp'] * 1000 : undefined;
  if (exp === undefined)
    checks.push({ id: 'exp', label: 'exp', claim: 'exp', status: 'skip', reason: 'the token has no exp claim' });
  else if (exp > ctx.now)
    checks.push({
      id: 'exp',
      label: 'exp',
      claim: 'exp',
      status: 'pass',
      reason: `expires at ${fmt(exp)} (${relative(exp - ctx.now)})`,
    });
  else
    checks.push({
      id: 'exp',
      label: 'exp',
      claim: 'exp',
      status: 'fail',
      reason: `the token expired at ${fmt(exp)} (${relative(exp - ctx.now)})`,
    });
  const nbf = typeof p['nbf'] === 'number' ? p['nbf'] * 1000 : undefined;
  if (nbf !== undefined && nbf > ctx.now)
    checks.push({
      id: 'nbf',
      label: 'nbf',
      claim: 'nbf',
      status: 'fail',
      reason: `the token is not valid before ${fmt(nbf)} (${relative(nbf - ctx.now)}): check the clocks`,
    });
  return checks;
}

/** The token in `Authorization: Bearer …`, if any. */
export function bearerOf(headers: readonly (readonly [string, string])[]): string | undefined {
  const v = headers.find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  const m = v ? /^Bearer\s+(\S+)\s*$/i.exec(v) : undefined;
  return m?.[1];
}
